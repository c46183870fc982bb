namespace SparseViT.Forensics.Scoring;

/// <summary>Axis-aligned box, top-left origin, exclusive of X+Width / Y+Height.</summary>
public sealed record RegionBox(int X, int Y, int Width, int Height);
