namespace SparseViT.Forensics.Metadata;

/// <summary>One DQT table: destination id (0 luminance, 1 chrominance by convention) and 64 values in natural order.</summary>
public sealed record QuantizationTable(int Id, IReadOnlyList<int> Values);
