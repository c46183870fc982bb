namespace SparseViT.Forensics.Verdicts;

/// <summary>
/// The outcome of <see cref="VerdictPolicy"/>. There is deliberately no "authentic": a model and a metadata
/// check that find nothing show only that they found nothing.
/// </summary>
public enum Verdict
{
    Manipulated,
    Suspicious,
    NoEvidence,
}
