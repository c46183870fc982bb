namespace SparseViT.Forensics.Benchmarking;

/// <summary>
/// One configuration's measurements: model-only and end-to-end throughput, peak memory, and for reduced precision
/// how far its maps are from fp32's on the same images. `sparsevit bench` writes one JSON line of this per configuration.
/// </summary>
public sealed record BenchmarkResult
{
    public required string Model { get; init; }
    public long Parameters { get; init; }
    public required string Device { get; init; }
    public required string Precision { get; init; }
    /// <summary>torch or onnx; the *VsFp32 fields of an onnx run compare it with the torch fp32 run of the same device and threads.</summary>
    public string Backend { get; init; } = "torch";
    public int BatchSize { get; init; }
    public int Threads { get; init; }
    public int Images { get; init; }

    /// <summary>WxH of the (first) benchmarked image.</summary>
    public required string ImageSize { get; init; }
    public double ModelImagesPerSecond { get; init; }

    /// <summary>Floating-point operations of one forward pass (<see cref="SparseViT.Engine.Model.ModelCost"/>), in GFLOP.</summary>
    public double ModelGflopPerImage { get; init; }

    /// <summary>The rate the model-only figure amounts to: <see cref="ModelImagesPerSecond"/> × <see cref="ModelGflopPerImage"/>.</summary>
    public double ModelGflops { get; init; }

    /// <summary>
    /// CPU lines: the fp32 matrix-multiply rate of the line's backend's own GEMM (libtorch's, or ONNX Runtime's MLAS) with
    /// the line's threads (<see cref="SparseViT.Engine.Inference.GemmProbe"/>, measured for every line since shared CPUs
    /// drift); <see cref="ModelGflops"/> over it is how close the backend comes to what it can do on this host.
    /// </summary>
    public double? HostSgemmGflops { get; init; }

    /// <summary>Decode, preprocess, inference and original-size map as a scan overlaps them.</summary>
    public double EndToEndImagesPerSecond { get; init; }
    public double? PeakHostRssMiB { get; init; }
    public double? PeakGpuMemoryMiB { get; init; }
    public double? MaxAbsDeltaVsFp32 { get; init; }
    public double? PixelF1VsFp32 { get; init; }

    /// <summary>Share of all pixels whose thresholded decision equals fp32's.</summary>
    public double? DecisionAgreementVsFp32 { get; init; }

    /// <summary>The worst single image's share.</summary>
    public double? MinDecisionAgreementVsFp32 { get; init; }
    public required string Cpu { get; init; }

    /// <summary>The host's GEMM-relevant vector extensions (avx2, fma, avx512f, avx512_vnni, avx512_bf16, amx_tile, amx_bf16).</summary>
    public required IReadOnlyList<string> CpuFeatures { get; init; }
    public string? Gpu { get; init; }
    public string? CudaLibraries { get; init; }
    public required string Libtorch { get; init; }
    public required string TorchSharp { get; init; }

    /// <summary>How many alternating rounds the figures summarise (`bench --rounds`).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>
    /// One line for a configuration timed in several rounds that alternated with the other configurations, so a host
    /// whose speed drifts (shared or throttled CPUs) moves every configuration alike: the median of each rate (the GEMM
    /// ceiling measured in each round too), the worst of each memory peak and agreement figure.
    /// </summary>
    public static BenchmarkResult Combine(IReadOnlyList<BenchmarkResult> rounds)
    {
        if (rounds.Count == 0) throw new ArgumentException("no rounds to combine", nameof(rounds));
        if (rounds.Count == 1) return rounds[0];
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            int mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
        static double? Worst(IEnumerable<double?> values, bool highest)
        {
            var known = values.OfType<double>().ToList();
            return known.Count == 0 ? null : highest ? known.Max() : known.Min();
        }
        double model = Median(rounds.Select(r => r.ModelImagesPerSecond));
        var ceilings = rounds.Select(r => r.HostSgemmGflops).OfType<double>().ToList();
        return rounds[0] with
        {
            ModelImagesPerSecond = Math.Round(model, 3),
            ModelGflops = Math.Round(model * rounds[0].ModelGflopPerImage, 1),
            EndToEndImagesPerSecond = Math.Round(Median(rounds.Select(r => r.EndToEndImagesPerSecond)), 3),
            HostSgemmGflops = ceilings.Count == 0 ? null : Math.Round(Median(ceilings), 1),
            PeakHostRssMiB = Worst(rounds.Select(r => r.PeakHostRssMiB), highest: true),
            PeakGpuMemoryMiB = Worst(rounds.Select(r => r.PeakGpuMemoryMiB), highest: true),
            MaxAbsDeltaVsFp32 = Worst(rounds.Select(r => r.MaxAbsDeltaVsFp32), highest: true),
            PixelF1VsFp32 = Worst(rounds.Select(r => r.PixelF1VsFp32), highest: false),
            DecisionAgreementVsFp32 = Worst(rounds.Select(r => r.DecisionAgreementVsFp32), highest: false),
            MinDecisionAgreementVsFp32 = Worst(rounds.Select(r => r.MinDecisionAgreementVsFp32), highest: false),
            Rounds = rounds.Count,
        };
    }
}
