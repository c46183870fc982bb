namespace SparseViT.Forensics.Metrics;

/// <summary>One image's score (e.g. the mask max) and whether it is truly manipulated.</summary>
public readonly record struct ImageScore(double Score, bool IsManipulated);
