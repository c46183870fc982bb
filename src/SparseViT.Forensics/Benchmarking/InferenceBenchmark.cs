using System.Diagnostics;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using SparseViT.Forensics.Scanning;
using TorchSharp;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>
/// Measures one set of weights over configurations (device × threads × precision × batch size), in one process so the
/// ratios between lines are meaningful. fp32 runs first per (device, threads) and its maps are the reference every
/// reduced precision is compared with.
/// </summary>
public sealed class InferenceBenchmark
{
    private readonly IReadOnlyDictionary<string, CheckpointTensor> _weights;
    private readonly SparseViTConfig _config;
    private readonly string _name;
    private readonly Dictionary<(string Device, int? Threads), float[][]> _fp32Maps = new();

    public InferenceBenchmark(IReadOnlyDictionary<string, CheckpointTensor> weights, SparseViTConfig config, string name)
    {
        _weights = weights;
        _config = config;
        _name = name;
    }

    /// <summary>
    /// Weights of <paramref name="config"/> as a fresh module initializes them: a forward pass costs the same whatever
    /// the values, so the published shape can be timed without its checkpoint.
    /// </summary>
    public static InferenceBenchmark WithRandomWeights(SparseViTConfig config, string name)
    {
        TorchRuntime.EnsureInitialized();
        using var model = new SparseViTModel(config);
        return new InferenceBenchmark(CheckpointExporter.FromModule(model), config, name);
    }

    /// <summary>Times <paramref name="images"/> after <paramref name="warmup"/> untimed batches.</summary>
    public BenchmarkResult Run(string device, Precision precision, int batchSize, int? threads, IReadOnlyList<BenchmarkImage> images, int warmup,
        InferenceBackend backend = InferenceBackend.Torch)
    {
        if (images.Count == 0) throw new ArgumentException("a benchmark needs at least one image");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");
        if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "warm-up batches must be 0 or more");
        using var predictor = SparseViTPredictor.Create(_weights, _config, new PredictorOptions { Device = device, Precision = precision, Threads = threads, Backend = backend }, _name);
        var inputs = images.Select(i => Prepare(predictor, i)).ToList();
        for (int i = 0; i < warmup; i++) predictor.PredictBatch(inputs.Take(batchSize).ToArray());
        bool cuda = predictor.Description.Device.StartsWith("cuda", StringComparison.Ordinal);
        using var gpu = cuda ? GpuMemorySampler.TryStart() : null;

        var maps = new List<float[]>();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in inputs.Chunk(batchSize))
            maps.AddRange(predictor.PredictBatch(chunk).Select(m => m.Values));
        double modelSeconds = clock.Elapsed.TotalSeconds;

        // End to end as a scan runs it: decode workers ahead of batched inference, the original-size map on
        // finishing workers behind it, so the figure is the overlapped pipeline rather than a sum of stages.
        clock.Restart();
        var pipeline = new BatchPipeline<BenchmarkImage, ModelInput, ProbabilityMap, int>
        {
            Prepare = image => Prepare(predictor, image),
            NeedsInference = _ => true,
            Infer = predictor.PredictBatch,
            Finish = (_, map, error) => error is null ? map!.ToOriginalSize().Length : throw error,
            Fail = (_, error) => throw error,
            Limits = new PipelineLimits { BatchSize = batchSize },
        };
        foreach (int _ in pipeline.Run(images)) { }
        double endToEndSeconds = clock.Elapsed.TotalSeconds;

        bool torchFp32 = precision == Precision.Fp32 && predictor.Backend == InferenceBackend.Torch;
        (double MaxDelta, double F1, double Pooled, double Worst)? agreement = torchFp32 ? null : CompareWithFp32(device, threads, batchSize, inputs, maps);
        if (torchFp32) _fp32Maps[(device, threads)] = maps.ToArray();
        int usedThreads = predictor.Backend == InferenceBackend.Onnx ? threads ?? Environment.ProcessorCount : torch.get_num_threads();
        double gflop = ModelCost.FlopsPerImage(_config) / 1e9;
        double imagesPerSecond = images.Count / modelSeconds;

        return new BenchmarkResult
        {
            Model = _name,
            Parameters = predictor.Description.Parameters,
            Device = predictor.Description.Device,
            Precision = precision.ToName(),
            Backend = predictor.Description.Backend,
            BatchSize = batchSize,
            Threads = usedThreads,
            Images = images.Count,
            ImageSize = $"{inputs[0].OriginalWidth}x{inputs[0].OriginalHeight}",
            ModelImagesPerSecond = Math.Round(imagesPerSecond, 3),
            ModelGflopPerImage = Math.Round(gflop, 2),
            ModelGflops = Math.Round(imagesPerSecond * gflop, 1),
            HostSgemmGflops = cuda ? null : GemmProbe.Gflops(predictor.Backend, usedThreads),
            EndToEndImagesPerSecond = Math.Round(images.Count / endToEndSeconds, 3),
            PeakHostRssMiB = ProcessMemory.PeakHostRssMiB(),
            PeakGpuMemoryMiB = gpu?.PeakMiB,
            MaxAbsDeltaVsFp32 = agreement?.MaxDelta,
            PixelF1VsFp32 = agreement?.F1,
            DecisionAgreementVsFp32 = agreement?.Pooled,
            MinDecisionAgreementVsFp32 = agreement?.Worst,
            Cpu = HostProcessor.Name,
            CpuFeatures = HostProcessor.Features,
            Gpu = cuda ? NvidiaSmi.GpuName(Math.Max(0, predictor.Device.index)) : null,
            CudaLibraries = cuda ? NvidiaSmi.CudaLibraries() : null,
            Libtorch = TorchRuntime.LibTorchVersion,
            TorchSharp = TorchRuntime.TorchSharpVersion,
        };
    }

    private static ModelInput Prepare(SparseViTPredictor predictor, BenchmarkImage image)
    {
        var decoded = ImageDecoder.Decode(image.Encoded, image.Name);
        return new ModelInput(ImagePreprocessor.Prepare(decoded.Image, predictor.InputSize), decoded.Width, decoded.Height);
    }

    private (double MaxDelta, double F1, double Pooled, double Worst) CompareWithFp32(
        string device, int? threads, int batchSize, List<ModelInput> inputs, List<float[]> maps)
    {
        if (!_fp32Maps.TryGetValue((device, threads), out var fp32))
        {
            using var reference = SparseViTPredictor.Create(_weights, _config, new PredictorOptions { Device = device, Precision = Precision.Fp32, Threads = threads }, _name);
            fp32 = inputs.Chunk(batchSize).SelectMany(c => reference.PredictBatch(c).Select(m => m.Values)).ToArray();
            _fp32Maps[(device, threads)] = fp32;
        }
        var agreements = maps.Select((m, i) => PrecisionAgreement.Measure(fp32[i], m, 0.5f)).ToList();
        double pooled = agreements.Select((a, i) => a.DecisionAgreement * maps[i].Length).Sum() / maps.Sum(m => (double)m.Length);
        return (agreements.Max(a => a.MaxAbsDifference), agreements.Average(a => a.PixelF1), pooled, agreements.Min(a => a.DecisionAgreement));
    }
}
