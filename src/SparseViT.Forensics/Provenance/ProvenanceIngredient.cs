namespace SparseViT.Forensics.Provenance;

public sealed record ProvenanceIngredient(string? Title, string? Relationship, IReadOnlyList<string> ValidationStatus);
