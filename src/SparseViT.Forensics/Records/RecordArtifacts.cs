namespace SparseViT.Forensics.Records;

/// <summary>Paths of files written for this image; null when not written.</summary>
public sealed record RecordArtifacts(string? Mask = null, string? Overlay = null);
