using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Model;
using SparseViT.Training.Data;
using SparseViT.Training.Evaluation;
using static TorchSharp.torch;

namespace SparseViT.Training.Tests;

[Collection(GlobalTorchRng.Name)]
public sealed partial class TrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sparsevit-train-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Textured stand-ins for photos: smooth color gradients, blobs and sensor-like noise, deterministic.</summary>
    internal static PhotoLibrary GeneratedPhotos(int count = 4, int size = 640)
    {
        var images = new List<RgbImage>();
        for (int k = 0; k < count; k++)
        {
            var rng = new Random(100 + k);
            var px = new byte[size * size * 3];
            double fx = 0.005 + 0.02 * rng.NextDouble(), fy = 0.005 + 0.02 * rng.NextDouble();
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        double v = 128 + 80 * Math.Sin(fx * x * (c + 1) + k) * Math.Cos(fy * y + c) + 6 * (rng.NextDouble() - 0.5);
                        px[(y * size + x) * 3 + c] = (byte)Math.Clamp(v, 0, 255);
                    }
            images.Add(new RgbImage(size, size, px));
        }
        return PhotoLibrary.FromImages(images);
    }

    // The tiny shape at 256² (16×16 stage-3 map, s = 2…16): a quarter of the work, so the training tests stay fast.
    private static readonly SparseViTConfig Small = SparseViTConfig.Tiny with { ImageSize = 256 };

    private TrainingOptions TinyOptions(int steps, string output) => new()
    {
        Config = Small,
        OutputDir = output,
        Steps = steps,
        BatchSize = 2,
        LearningRate = 2e-3,
        WarmupSteps = 2,
        SaveEvery = 1000,
        LogEvery = 1000,
        Threads = 2,
        Seed = 3,
    };

    [Fact]
    public void TinyConfigurationLearnsAndItsCheckpointReloadsToIdenticalOutputs()
    {
        var photos = GeneratedPhotos();
        string output = Path.Combine(_dir, "run");
        var trainer = new Trainer(TinyOptions(16, output), TextWriter.Null);
        var summary = trainer.Run(new SampleSource([], new SyntheticManipulator(photos, Small.ImageSize), seed: 3));

        var losses = summary.Losses.Select(l => l.Loss).ToList();
        Assert.Equal(16, losses.Count);
        Assert.True(losses.Skip(8).Average() < losses[0], $"training loss did not fall: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");

        // Per-batch losses are noisy (different edits, region sizes); the clean check is one fixed held-back batch,
        // scored by the freshly initialized model and by the trained one.
        var manipulator = new SyntheticManipulator(photos, Small.ImageSize);
        var fixedBatch = Enumerable.Range(0, 6).Select(i => manipulator.Generate(1234, i)).ToList();
        using var fresh = new SparseViTModel(Small);
        AuthorsInitialization.Apply(fresh);
        using var trained = new SparseViTModel(Small);
        trained.load(Path.Combine(trainer.StateDir, "model.bin"));
        double before = FixedBatchLoss(fresh, fixedBatch), after = FixedBatchLoss(trained, fixedBatch);
        Assert.True(after < 0.7 * before, $"held-back loss {before:F3} → {after:F3}");

        // The exported .pth reloads through the product's loader into a fresh model with bit-identical outputs.
        Assert.NotNull(summary.LastCheckpoint);
        var loaded = CheckpointLoader.Load(summary.LastCheckpoint!, Small);
        Assert.Equal(SparseViTConfig.Tiny, CheckpointLoader.Load(summary.LastCheckpoint!).Configuration); // shapes alone identify the configuration
        using var reloaded = new SparseViTModel(Small);
        StateDictCopier.CopyInto(reloaded, loaded.StateDict);
        using var original = new SparseViTModel(Small);
        original.load(Path.Combine(trainer.StateDir, "model.bin"));

        var sample = new SyntheticManipulator(photos, Small.ImageSize).Generate(9, 0);
        var (image, _) = TrainingTensors.Batch([sample]);
        original.eval();
        reloaded.eval();
        using var _ = no_grad();
        using var a = original.Probabilities(image);
        using var b = reloaded.Probabilities(image);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void ResumingContinuesExactlyWhereTheRunStopped()
    {
        var photos = GeneratedPhotos(3, 560);
        var source = () => new SampleSource([], new SyntheticManipulator(photos, Small.ImageSize), seed: 5);

        string straight = Path.Combine(_dir, "straight");
        new Trainer(TinyOptions(4, straight) with { BatchSize = 1 }, TextWriter.Null).Run(source());

        string split = Path.Combine(_dir, "split");
        new Trainer(TinyOptions(4, split) with { BatchSize = 1, MaxStepsThisRun = 2 }, TextWriter.Null).Run(source());
        var second = new Trainer(TinyOptions(4, split) with { BatchSize = 1, Resume = true }, TextWriter.Null).Run(source());
        Assert.Equal(2, second.StartStep);
        Assert.Equal(4, second.EndStep);

        var x = CheckpointLoader.Load(Path.Combine(straight, "latest.pth"), Small).StateDict;
        var y = CheckpointLoader.Load(Path.Combine(split, "latest.pth"), Small).StateDict;
        foreach (var (name, t) in x)
            Assert.True(t.Data.Span.SequenceEqual(y[name].Data.Span), $"{name} differs after resume");
    }

    [Fact]
    public void TimeBudgetFitsTheHorizonFromMeasuredSteps()
    {
        var budget = new TrainingTimeBudget(TimeSpan.FromSeconds(1000), startStep: 100, evalEvery: 0);
        TimeSpan At(int step) => TimeSpan.FromSeconds(40 + 2.0 * (step - 100)); // 40 s of start-up, then 2 s per update
        int? fitted = null;
        for (int step = 101; step <= 100 + TrainingTimeBudget.SkipSteps + TrainingTimeBudget.MeasureSteps; step++)
            fitted ??= budget.Fit(step, At(step), maxSteps: 100_000);
        Assert.Equal(2.0, budget.SecondsPerStep, 9);
        // At step 125 (t = 90 s): (1000 − 90 − 30 reserve) / 2 = 440 more updates.
        Assert.Equal(565, fitted);
        Assert.Null(budget.Fit(126, At(126), 100_000));
        // --steps stays the upper bound.
        var capped = new TrainingTimeBudget(TimeSpan.FromSeconds(1000), 0, 0);
        int? cap = null;
        for (int step = 1; step <= 25; step++) cap ??= capped.Fit(step, TimeSpan.FromSeconds(step * 0.1), maxSteps: 60);
        Assert.Equal(60, cap);
    }

    [Fact]
    public void TimeBudgetCountsEvaluationsAndStopsInTime()
    {
        var budget = new TrainingTimeBudget(TimeSpan.FromSeconds(600), startStep: 0, evalEvery: 50);
        budget.Spent(TimeSpan.FromSeconds(20)); // the evaluation made before training
        int? fitted = null;
        for (int step = 1; step <= 25; step++) fitted ??= budget.Fit(step, TimeSpan.FromSeconds(30 + step), 100_000);
        // 1 s per update plus 20 s / 50 updates of evaluation; reserve = 20 s (final evaluation) + 18 s (3 %).
        Assert.Equal(25 + (int)Math.Floor((600 - 55 - 38) / 1.4), fitted);
        Assert.False(budget.OutOfTime(TimeSpan.FromSeconds(500)));
        Assert.True(budget.OutOfTime(TimeSpan.FromSeconds(562)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingTimeBudget(TimeSpan.Zero, 0, 0));
    }

    [Fact]
    public void ARunUnderABudgetStopsInTimeAndStillSaves()
    {
        // A 1 s budget is smaller than the final-save reserve (10 s), so the run stops after its first update, saved.
        var photos = GeneratedPhotos(2, 320);
        string output = Path.Combine(_dir, "budget");
        var summary = new Trainer(TinyOptions(50, output) with { BatchSize = 1, TimeBudget = TimeSpan.FromSeconds(1), SampleWorkers = 2 }, TextWriter.Null)
            .Run(new SampleSource([], new SyntheticManipulator(photos, Small.ImageSize), seed: 3));
        Assert.Equal(1, summary.EndStep);
        Assert.True(File.Exists(Path.Combine(output, "latest.pth")));
        Assert.True(File.Exists(Path.Combine(output, "train-state", "state.json")));
    }

    [Fact]
    public void TrainingSurvivesGarbageCollectionsDuringNativeCalls()
    {
        // A thread that collects and finalizes without pause: TorchSharp's temporary scalars (a + b, add_(1), its AdamW)
        // are then freed mid-call within ~10,000 operations, as 15 sample workers did on a GPU. Every update here does
        // thousands of such calls (forward, BatchNorm counters, loss, optimizer, evaluation); none may hit a freed scalar.
        var photos = GeneratedPhotos(2, 320);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            var options = TinyOptions(30, Path.Combine(_dir, "gc")) with { BatchSize = 1, DiceWeight = 1, SampleWorkers = 2, EvalEvery = 15 };
            var evaluation = new SyntheticEvaluation(photos, 2, 11, Small.ImageSize);
            var summary = new Trainer(options, TextWriter.Null).Run(new SampleSource([], new SyntheticManipulator(photos, Small.ImageSize), seed: 3), evaluation);
            Assert.Equal(30, summary.EndStep);
            Assert.All(summary.Losses, l => Assert.True(double.IsFinite(l.Loss)));
            Assert.NotNull(summary.LastEvaluation);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    private static double FixedBatchLoss(SparseViTModel model, IReadOnlyList<TrainingSample> batch)
    {
        model.eval();
        using var _ = no_grad();
        var (images, masks) = TrainingTensors.Batch(batch);
        using var logits = model.UpsampledLogits(images);
        using var loss = nn.functional.binary_cross_entropy_with_logits(logits, masks);
        return loss.item<float>();
    }

    /// <summary>An empty folder in the authors' layout (Tp/ + Gt/) under this test's directory.</summary>
    private string NewDatasetFolder(string name)
    {
        string root = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(root, "Tp"));
        Directory.CreateDirectory(Path.Combine(root, "Gt"));
        return root;
    }

    private static void Save(RgbImage image, string path)
    {
        using var bitmap = ImageOps.ToBitmap(image);
        using var file = File.Create(path);
        bitmap.Encode(file, SkiaSharp.SKEncodedImageFormat.Png, 100);
    }
}
