namespace SparseViT.Forensics.Metrics;

/// <summary>A ground-truth mask whose size is not the image's: it belongs to another image or was resized.</summary>
public sealed class GroundTruthSizeMismatchException(string message) : IOException(message);
