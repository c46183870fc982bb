namespace SparseViT.Forensics.Provenance;

public sealed record ProvenanceAction(string Action, string? DigitalSourceType, string? SoftwareAgent, string? When);
