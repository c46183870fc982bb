using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using SparseViT.Forensics.Scanning;
using TorchSharp;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit bench`: throughput and memory per configuration, one JSON line each, so runs on different machines
/// (and a GPU box) can be compared line by line. Without a checkpoint the published base configuration with random
/// weights is used: the cost of a forward pass does not depend on the weights' values.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "Checkpoint to benchmark (default: --config with random weights)." };
        var config = new Option<string>("--config") { Description = "Without --checkpoint: base (the published 50 M-parameter shape) or fixture (the tiny test model).", DefaultValueFactory = _ => "base" };
        config.AcceptOnlyFromAmong("base", "fixture");
        var device = new Option<string>("--device") { Description = "Comma-separated devices (auto, cpu, cuda, cuda:N).", DefaultValueFactory = _ => "auto" };
        var precision = new Option<string>("--precision") { Description = "Comma-separated precisions (fp32, bf16, fp16).", DefaultValueFactory = _ => "fp32" };
        var batch = new Option<string>("--batch-size", "-b") { Description = "Comma-separated batch sizes.", DefaultValueFactory = _ => "1" };
        var threads = new Option<string?>("--threads") { Description = "Comma-separated libtorch CPU thread counts (default: libtorch's choice)." };
        var images = new Option<string?>("--images") { Description = "Folder of images to decode and run (default: synthetic images of --image-size)." };
        var size = new Option<string>("--image-size") { Description = "WxH of synthetic images.", DefaultValueFactory = _ => "1024x768" };
        var count = new Option<int>("--count", "-n") { Description = "Images timed per configuration.", DefaultValueFactory = _ => 8 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first.", DefaultValueFactory = _ => 1 };
        var command = new Command("bench", "Model-only and end-to-end images/s, peak memory and reduced-precision agreement, one JSON line per configuration.")
        {
            checkpoint, config, device, precision, batch, threads, images, size, count, warmup,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count), warm = parse.GetValue(warmup);
            if (n < 1) throw new ArgumentException("--count must be at least 1");
            if (warm < 0) throw new ArgumentException("--warmup must be 0 or more");
            var devices = CommonOptions.SplitList(parse.GetValue(device));
            var precisions = CommonOptions.SplitList(parse.GetValue(precision)).Select(PrecisionNames.Parse).ToList();
            var batches = CommonOptions.SplitList(parse.GetValue(batch)).Select(b => CommonOptions.ParsePositive(b, "--batch-size")).ToList();
            var threadCounts = CommonOptions.SplitList(parse.GetValue(threads)).Select(t => (int?)CommonOptions.ParsePositive(t, "--threads")).DefaultIfEmpty(null).ToList();
            var sources = LoadImages(parse.GetValue(images), parse.GetValue(size)!, n);

            TorchRuntime.EnsureInitialised();
            string? checkpointPath = parse.GetValue(checkpoint);
            IReadOnlyDictionary<string, CheckpointTensor> weights;
            SparseViTConfig modelConfig;
            string modelName;
            if (checkpointPath is not null)
            {
                var loaded = CheckpointLoader.Load(CheckpointResolver.Resolve(checkpointPath).Path);
                weights = loaded.StateDict;
                modelConfig = loaded.Configuration!;
                modelName = Path.GetFileName(checkpointPath);
            }
            else
            {
                modelConfig = parse.GetValue(config) == "fixture" ? FixtureConfig : SparseViTConfig.Base;
                weights = RandomWeights(modelConfig);
                modelName = $"random-{parse.GetValue(config)}";
            }

            var reference = new Dictionary<(string Device, int? Threads), float[][]>();
            foreach (string dev in devices)
            foreach (int? th in threadCounts)
            foreach (var prec in precisions.OrderBy(p => p == Precision.Fp32 ? 0 : 1))
            foreach (int b in batches)
            {
                var result = RunOne(weights, modelConfig, modelName, dev, prec, b, th, sources, warm, reference);
                Console.Out.WriteLine(JsonSerializer.Serialize(result));
                Console.Out.Flush();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly SparseViTConfig FixtureConfig = new() { Depths = [1, 1, 15, 4], Channels = [8, 16, 32, 64], HeadDim = 16 };

    private sealed record Source(string Name, byte[] Encoded);

    private static List<Source> LoadImages(string? folder, string size, int count)
    {
        if (folder is not null)
        {
            var files = FileEnumerator.Enumerate([folder]).Where(i => i.IsScannable).Take(count).ToList();
            if (files.Count == 0) throw new ArgumentException($"--images '{folder}' holds no image files");
            return Enumerable.Range(0, count).Select(i => files[i % files.Count]).Select(f => new Source(f.Path, File.ReadAllBytes(f.Path))).ToList();
        }
        var parts = size.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int w) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int h) || w < 1 || h < 1)
            throw new ArgumentException($"--image-size '{size}' must be WxH, e.g. 1024x768");
        // Synthetic JPEGs so the end-to-end figure includes a real decode.
        var random = new Random(20241219);
        return Enumerable.Range(0, Math.Min(count, 4)).Select(i => new Source($"synthetic-{i}.jpg", SyntheticJpeg(w, h, random))).ToList()
            is var made ? Enumerable.Range(0, count).Select(i => made[i % made.Count]).ToList() : [];
    }

    private static byte[] SyntheticJpeg(int width, int height, Random random)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(new SkiaSharp.SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            using var paint = new SkiaSharp.SKPaint();
            for (int i = 0; i < 40; i++)
            {
                paint.Color = new SkiaSharp.SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawRect(random.Next(width), random.Next(height), random.Next(1, width / 2 + 1), random.Next(1, height / 2 + 1), paint);
            }
        }
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static IReadOnlyDictionary<string, CheckpointTensor> RandomWeights(SparseViTConfig config)
    {
        using var model = new SparseViTModel(config);
        var result = new Dictionary<string, CheckpointTensor>();
        foreach (var (name, tensor) in model.state_dict())
        {
            using var cpu = tensor.cpu();
            if (cpu.dtype == torch.ScalarType.Int64)
                result[name] = new CheckpointTensor(name, TensorDType.Int64, cpu.shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()).ToArray());
            else
            {
                using var f = cpu.to(torch.ScalarType.Float32);
                result[name] = new CheckpointTensor(name, TensorDType.Float32, f.shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.data<float>().ToArray().AsSpan()).ToArray());
            }
        }
        return result;
    }

    private static Dictionary<string, object?> RunOne(IReadOnlyDictionary<string, CheckpointTensor> weights, SparseViTConfig config, string name, string device,
        Precision precision, int batchSize, int? threads, List<Source> sources, int warmup, Dictionary<(string, int?), float[][]> references)
    {
        using var predictor = SparseViTPredictor.Create(weights, config, new PredictorOptions { Device = device, Precision = precision, Threads = threads }, name);
        var inputs = new List<ModelInput>();
        foreach (var s in sources)
        {
            var decoded = ImageDecoder.Decode(s.Encoded, s.Name);
            inputs.Add(new ModelInput(ImagePreprocessor.Prepare(decoded.Image, predictor.InputSize), decoded.Width, decoded.Height));
        }
        for (int i = 0; i < warmup; i++) predictor.PredictBatch(inputs.Take(batchSize).ToArray());
        using var gpu = predictor.Description.Device.StartsWith("cuda", StringComparison.Ordinal) ? GpuMemorySampler.TryStart() : null;

        var maps = new List<float[]>();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in inputs.Chunk(batchSize))
            maps.AddRange(predictor.PredictBatch(chunk).Select(m => m.Values));
        double modelSeconds = clock.Elapsed.TotalSeconds;

        // End to end as a scan runs it: decode workers ahead of batched inference, the original-size map on
        // finishing workers behind it, so the figure is the overlapped pipeline rather than a sum of stages.
        clock.Restart();
        var pipeline = new BatchPipeline<Source, ModelInput, ProbabilityMap, int>
        {
            Prepare = s =>
            {
                var decoded = ImageDecoder.Decode(s.Encoded, s.Name);
                return new ModelInput(ImagePreprocessor.Prepare(decoded.Image, predictor.InputSize), decoded.Width, decoded.Height);
            },
            NeedsInference = _ => true,
            Infer = predictor.PredictBatch,
            Finish = (_, map, error) => error is null ? map!.ToOriginalSize().Length : throw error,
            Fail = (_, error) => throw error,
            Limits = new PipelineLimits { BatchSize = batchSize },
        };
        foreach (int _ in pipeline.Run(sources)) { }
        double endToEndSeconds = clock.Elapsed.TotalSeconds;

        var key = (device, threads);
        double? maxDelta = null, f1 = null, agreement = null, pooledAgreement = null;
        if (precision == Precision.Fp32) references[key] = maps.ToArray();
        else
        {
            if (!references.TryGetValue(key, out var fp32))
            {
                using var reference = SparseViTPredictor.Create(weights, config, new PredictorOptions { Device = device, Precision = Precision.Fp32, Threads = threads }, name);
                fp32 = inputs.Chunk(batchSize).SelectMany(c => reference.PredictBatch(c).Select(m => m.Values)).ToArray();
                references[key] = fp32;
            }
            var agreements = maps.Select((m, i) => PrecisionAgreement.Measure(fp32[i], m, 0.5f)).ToList();
            maxDelta = agreements.Max(a => a.MaxAbsDifference);
            f1 = agreements.Average(a => a.PixelF1);
            agreement = agreements.Min(a => a.DecisionAgreement);
            pooledAgreement = agreements.Select((a, i) => a.DecisionAgreement * maps[i].Length).Sum() / maps.Sum(m => (double)m.Length);
        }

        return new Dictionary<string, object?>
        {
            ["model"] = name,
            ["parameters"] = predictor.Description.Parameters,
            ["device"] = predictor.Description.Device,
            ["precision"] = precision.ToName(),
            ["batchSize"] = batchSize,
            ["threads"] = torch.get_num_threads(),
            ["images"] = sources.Count,
            ["imageSize"] = $"{inputs[0].OriginalWidth}x{inputs[0].OriginalHeight}",
            ["modelImagesPerSecond"] = Math.Round(sources.Count / modelSeconds, 3),
            ["endToEndImagesPerSecond"] = Math.Round(sources.Count / endToEndSeconds, 3),
            ["peakHostRssMiB"] = PeakRssMiB(),
            ["peakGpuMemoryMiB"] = gpu?.PeakMiB,
            ["maxAbsDeltaVsFp32"] = maxDelta,
            ["pixelF1VsFp32"] = f1,
            ["decisionAgreementVsFp32"] = pooledAgreement,
            ["minDecisionAgreementVsFp32"] = agreement,
            ["gpu"] = predictor.Description.Device.StartsWith("cuda", StringComparison.Ordinal) ? NvidiaSmi.GpuName(Math.Max(0, predictor.Device.index)) : null,
            ["cudaLibraries"] = predictor.Description.Device.StartsWith("cuda", StringComparison.Ordinal) ? NvidiaSmi.CudaLibraries() : null,
            ["libtorch"] = TorchRuntime.LibTorchVersion,
            ["torchSharp"] = TorchRuntime.TorchSharpVersion,
        };
    }

    /// <summary>
    /// TorchSharp exposes no CUDA allocator statistics, so this samples nvidia-smi's per-process figure (which
    /// includes the CUDA context) every 100 ms while a configuration runs; null when nvidia-smi is absent.
    /// </summary>
    private sealed class GpuMemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private double? _peak;

        private GpuMemorySampler() => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (Sample() is { } now) _peak = Math.Max(_peak ?? 0, now);
                try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
            }
        });

        public double? PeakMiB
        {
            get
            {
                if (Sample() is { } now) _peak = Math.Max(_peak ?? 0, now);
                return _peak;
            }
        }

        public static GpuMemorySampler? TryStart() => Sample() is null ? null : new GpuMemorySampler();

        private static double? Sample()
        {
            string? text = NvidiaSmi.Query("--query-compute-apps=pid,used_memory --format=csv,noheader,nounits");
            if (text is null) return null;
            string self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var cells = line.Split(',', StringSplitOptions.TrimEntries);
                if (cells.Length == 2 && cells[0] == self && double.TryParse(cells[1], CultureInfo.InvariantCulture, out double mib)) return mib;
            }
            return 0;
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _loop.Wait(2000); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }

    /// <summary>VmHWM: the process's peak resident set, which is what a container's memory limit meets.</summary>
    internal static double? PeakRssMiB()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return Math.Round(long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        catch (IOException) { }
        return null;
    }
}
