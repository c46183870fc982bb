namespace SparseViT.Forensics.Benchmarking;

/// <summary>An encoded image to benchmark on (decoding is part of the end-to-end figure).</summary>
public sealed record BenchmarkImage(string Name, byte[] Encoded);
