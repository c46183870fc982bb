using System.Diagnostics;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using SparseViT.Forensics.Scanning;
using TorchSharp;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>An encoded image to benchmark on (decoding is part of the end-to-end figure).</summary>
public sealed record BenchmarkImage(string Name, byte[] Encoded);
