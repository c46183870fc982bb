namespace SparseViT.Forensics.Provenance;

public sealed record ManifestSummary(string Label, string? ClaimGenerator, string? Signer, ProvenanceStatus Status);
