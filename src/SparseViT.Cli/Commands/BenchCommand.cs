using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SparseViT.Cli.Output;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using SparseViT.Forensics.Benchmarking;
using SparseViT.Forensics.Models;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit bench`: throughput and memory per configuration, one JSON line each (<see cref="BenchmarkResult"/>), so
/// runs on different machines (and a GPU box) can be compared line by line. Without a checkpoint a named variant with
/// random weights is used: the cost of a forward pass does not depend on the weights' values.
/// </summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create(CliConsole console)
    {
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "Checkpoint to benchmark (default: --config with random weights)." };
        var config = new Option<string>("--config") { Description = "Without --checkpoint: base (the published 50 M-parameter shape), compact (the shipped default's) or tiny (the test fixture's).", DefaultValueFactory = _ => "base" };
        config.AcceptOnlyFromAmong([.. SparseViTConfig.Variants.Keys]);
        var device = new Option<IReadOnlyList<string>>("--device")
        {
            Description = "Comma-separated devices (auto, cpu, cuda, cuda:N).",
            DefaultValueFactory = _ => ["auto"],
            CustomParser = result => CommonOptions.ParsedList(result, d => d),
        };
        var precision = new Option<IReadOnlyList<Precision>>("--precision")
        {
            Description = "Comma-separated precisions (fp32, bf16, fp16).",
            DefaultValueFactory = _ => [Precision.Fp32],
            CustomParser = result => CommonOptions.ParsedList(result, PrecisionNames.Parse),
        };
        var batch = new Option<IReadOnlyList<int>>("--batch-size", "-b")
        {
            Description = "Comma-separated batch sizes.",
            DefaultValueFactory = _ => [1],
            CustomParser = result => CommonOptions.ParsedList(result, CommonOptions.ParsePositive),
        };
        var threads = new Option<IReadOnlyList<int>>("--threads")
        {
            Description = "Comma-separated libtorch CPU thread counts (default: libtorch's choice).",
            DefaultValueFactory = _ => [],
            CustomParser = result => CommonOptions.ParsedList(result, CommonOptions.ParsePositive),
        };
        var images = new Option<string?>("--images") { Description = "Folder of images to decode and run (default: synthetic images of --image-size)." };
        var size = new Option<(int Width, int Height)>("--image-size")
        {
            Description = "WxH of synthetic images.",
            DefaultValueFactory = _ => (1024, 768),
            CustomParser = result => CommonOptions.Parsed(result, ParseSize),
        };
        var count = new Option<int>("--count", "-n") { Description = "Images timed per configuration.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first.", DefaultValueFactory = _ => 1 }.AtLeast(0);
        var backend = new Option<IReadOnlyList<InferenceBackend>>("--backend")
        {
            Description = "Comma-separated backends (torch, onnx); each torch fp32 run is the reference the others are compared with.",
            DefaultValueFactory = _ => [InferenceBackend.Torch],
            CustomParser = result => CommonOptions.ParsedList(result, InferenceBackends.Parse),
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Time every configuration this many times, alternating between them, and report medians (steadier ratios on hosts whose speed drifts).",
            DefaultValueFactory = _ => 1,
        }.AtLeast(1);
        var command = new Command("bench", "Model-only and end-to-end images/s, peak memory and reduced-precision agreement, one JSON line per configuration.")
        {
            checkpoint, config, device, precision, backend, batch, threads, images, size, count, warmup, rounds,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            var (width, height) = parse.GetValue(size);
            var sources = parse.GetValue(images) is { } folder ? BenchmarkImages.FromFolder(folder, n) : BenchmarkImages.Synthetic(width, height, n);
            IReadOnlyList<int?> threadCounts = parse.GetValue(threads)!.Select(t => (int?)t).DefaultIfEmpty(null).ToList();

            TorchRuntime.EnsureInitialized();
            InferenceBenchmark benchmark;
            if (parse.GetValue(checkpoint) is { } checkpointPath)
            {
                var loaded = CheckpointLoader.Load(CheckpointResolver.Resolve(checkpointPath, environment: console.Environment).Path);
                benchmark = new InferenceBenchmark(loaded.StateDict, loaded.Configuration!, Path.GetFileName(checkpointPath));
            }
            else
            {
                string variant = parse.GetValue(config)!;
                benchmark = InferenceBenchmark.WithRandomWeights(SparseViTConfig.Named(variant), $"random-{variant}");
            }

            var configurations = (
                from dev in parse.GetValue(device)!
                from th in threadCounts
                from back in parse.GetValue(backend)!.OrderBy(k => k == InferenceBackend.Torch ? 0 : 1)
                from prec in parse.GetValue(precision)!.OrderBy(p => p == Precision.Fp32 ? 0 : 1)
                where back != InferenceBackend.Onnx || prec == Precision.Fp32 // the onnx backend is fp32
                from b in parse.GetValue(batch)!
                select (Device: dev, Threads: th, Backend: back, Precision: prec, BatchSize: b)).ToList();
            int roundCount = parse.GetValue(rounds);
            var measured = configurations.Select(_ => new List<BenchmarkResult>()).ToList();
            for (int round = 0; round < roundCount; round++)
                for (int i = 0; i < configurations.Count; i++)
                {
                    var c = configurations[i];
                    measured[i].Add(benchmark.Run(c.Device, c.Precision, c.BatchSize, c.Threads, sources, parse.GetValue(warmup), c.Backend));
                    if (round == roundCount - 1)
                    {
                        console.Out.WriteLine(JsonSerializer.Serialize(BenchmarkResult.Combine(measured[i]), Json));
                        console.Out.Flush();
                    }
                }
            return ExitCodes.Success;
        });
        return command;
    }

    private static (int, int) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int w) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int h) || w < 1 || h < 1)
            throw new ArgumentException("must be WxH, e.g. 1024x768");
        return (w, h);
    }
}
