namespace SparseViT.Forensics.Evidence;

/// <summary>How much an indicator should move a reviewer, in increasing order (compare with &lt; and &gt;).</summary>
public enum Severity
{
    /// <summary>Context only; never changes a verdict.</summary>
    Info,
    /// <summary>Common in innocent files too (stripped metadata, re-encoding); worth a look in aggregate.</summary>
    Low,
    /// <summary>The file has been through software after capture or its metadata contradicts itself.</summary>
    Medium,
    /// <summary>The content itself disagrees with what the file recorded at capture.</summary>
    High,
}
