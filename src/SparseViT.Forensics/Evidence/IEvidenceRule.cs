namespace SparseViT.Forensics.Evidence;

/// <summary>One check producing at most one indicator. Rules must not throw on missing data: they return null.</summary>
public interface IEvidenceRule
{
    string Id { get; }
    EvidenceIndicator? Evaluate(EvidenceContext context);
}
