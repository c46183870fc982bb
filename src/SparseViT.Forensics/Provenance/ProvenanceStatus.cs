namespace SparseViT.Forensics.Provenance;

public sealed record ProvenanceStatus
{
    public IReadOnlyList<string> Success { get; init; } = [];
    public IReadOnlyList<string> Informational { get; init; } = [];
    public IReadOnlyList<string> Failure { get; init; } = [];
}
