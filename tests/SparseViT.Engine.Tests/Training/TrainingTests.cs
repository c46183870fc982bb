using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Model;
using SparseViT.Engine.Training;
using static TorchSharp.torch;

namespace SparseViT.Engine.Tests.Training;

[Collection(GlobalTorchRng.Name)]
public sealed class TrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sparsevit-train-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Textured stand-ins for photos: smooth colour gradients, blobs and sensor-like noise, deterministic.</summary>
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
    private static readonly SparseViTConfig Small = TrainingConfigs.Tiny with { ImageSize = 256 };

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
        // scored by the freshly initialised model and by the trained one.
        var manipulator = new SyntheticManipulator(photos, Small.ImageSize);
        var fixedBatch = Enumerable.Range(0, 6).Select(i => manipulator.Generate(1234, i)).ToList();
        using var fresh = new SparseViTModel(Small);
        AuthorsInitialisation.Apply(fresh);
        using var trained = new SparseViTModel(Small);
        trained.load(Path.Combine(trainer.StateDir, "model.bin"));
        double before = FixedBatchLoss(fresh, fixedBatch), after = FixedBatchLoss(trained, fixedBatch);
        Assert.True(after < 0.7 * before, $"held-back loss {before:F3} → {after:F3}");

        // The exported .pth reloads through the product's loader into a fresh model with bit-identical outputs.
        Assert.NotNull(summary.LastCheckpoint);
        var loaded = CheckpointLoader.Load(summary.LastCheckpoint!, Small);
        Assert.Equal(TrainingConfigs.Tiny, CheckpointLoader.Load(summary.LastCheckpoint!).Configuration); // shapes alone identify the configuration
        using var reloaded = new SparseViTModel(Small);
        ModelState.Import(reloaded, loaded.StateDict.Values);
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
    public void PthWriterRoundTripsThroughTheLoader()
    {
        using var model = new SparseViTModel(TrainingConfigs.Tiny);
        var tensors = ModelState.Export(model);
        string path = Path.Combine(_dir, "w.pth");
        PyTorchCheckpointWriter.Write(path, tensors, new Dictionary<string, long> { ["step"] = 70000, ["epoch"] = 3 });

        var loaded = CheckpointLoader.Load(path);
        Assert.Equal(CheckpointFormat.PyTorchZip, loaded.Format);
        Assert.Equal(tensors.Count, loaded.StateDict.Count);
        foreach (var t in tensors)
        {
            var r = loaded.StateDict[t.Name];
            Assert.Equal(t.DType, r.DType);
            Assert.Equal(t.Shape, r.Shape);
            Assert.True(t.Data.Span.SequenceEqual(r.Data.Span), t.Name);
        }
        Assert.Equal("70000", loaded.Metadata["step"]);

        // torch.save pads every record to 64 bytes so that torch.load(mmap=True) works; so do we.
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        Assert.Contains(zip.Entries, e => e.FullName == "archive/data.pkl");
        Assert.Contains(zip.Entries, e => e.FullName == "archive/version");
    }

    [Fact]
    public void Fp16SafetensorsExportReloads()
    {
        using var model = new SparseViTModel(TrainingConfigs.Tiny);
        string path = Path.Combine(_dir, "m.safetensors");
        CheckpointFiles.Write(path, ModelState.Export(model, half: true), ExportFormat.Safetensors, 5, TrainingConfigs.Tiny);
        var loaded = CheckpointLoader.Load(path, TrainingConfigs.Tiny);
        Assert.Equal(TensorDType.Float16, loaded.StateDict["lmu.conv_last.weight"].DType);
        using var reloaded = new SparseViTModel(TrainingConfigs.Tiny);
        ModelState.Import(reloaded, loaded.StateDict.Values);
        var w0 = model.state_dict()["lmu.gamma1"].data<float>().ToArray();
        var w1 = reloaded.state_dict()["lmu.gamma1"].data<float>().ToArray();
        Assert.Equal(w0.Select(v => (float)(Half)v), w1);
    }

    [Fact]
    public void SyntheticSamplesAreReproducibleAndMasked()
    {
        var photos = GeneratedPhotos(3, 600);
        var m = new SyntheticManipulator(photos);
        foreach (var kind in Enum.GetValues<ManipulationKind>().Where(k => k != ManipulationKind.Labelled))
        {
            var s1 = m.Generate(new Random(11), kind);
            var s2 = m.Generate(new Random(11), kind);
            Assert.Equal(s1.Image.Pixels, s2.Image.Pixels);
            Assert.Equal(s1.Mask, s2.Mask);
            Assert.Equal(512, s1.Image.Width);
            double area = s1.Mask.Count(v => v != 0) / (double)s1.Mask.Length;
            if (kind == ManipulationKind.Authentic) Assert.Equal(0, area);
            else Assert.InRange(area, 0.005, 0.45);
        }
    }

    [Fact]
    public void PixelF1FollowsTheImdlBenCoConvention()
    {
        byte[] truth = [1, 1, 0, 0], pred = [1, 0, 1, 0];
        Assert.Equal(0.5, SyntheticEvaluation.PixelScores(pred, truth).F1, 6);
        Assert.Equal(0, SyntheticEvaluation.PixelScores([0, 0, 0, 0], [0, 0, 0, 0]).F1);
    }

    [Fact]
    public void AuthorsInitialisationIsFiniteAndTruncated()
    {
        using var model = new SparseViTModel(TrainingConfigs.Tiny);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            AuthorsInitialisation.Apply(model);
            foreach (var (name, p) in model.named_parameters())
                Assert.True(p.isfinite().all().item<bool>(), name);
        }
        var w = model.named_parameters().First(p => p.name == "encoder_net.blocks3.0.attn.qkv.weight").parameter;
        Assert.True(w.abs().max().item<float>() <= 0.04f + 1e-6f);
        Assert.InRange(w.std().item<float>(), 0.015f, 0.02f);
        Assert.Equal(1e-6f, model.named_parameters().First(p => p.name == "encoder_net.blocks4.2.gamma_2").parameter.max().item<float>(), 9);
    }

    [Fact]
    public void LayerScaleInitIsConfigurableAndBounded()
    {
        using var model = new SparseViTModel(TrainingConfigs.Tiny);
        AuthorsInitialisation.Apply(model, 0.1);
        var gammas = model.named_parameters().Where(p => p.name.EndsWith(".gamma_1") || p.name.EndsWith(".gamma_2")).ToList();
        Assert.NotEmpty(gammas);
        Assert.All(gammas, g => Assert.Equal(0.1f, g.parameter.min().item<float>(), 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthorsInitialisation.Apply(model, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthorsInitialisation.Apply(model, 2));
    }

    [Fact]
    public void DiceTermMatchesItsDefinitionAndZeroWeightIsTheAuthorsBce()
    {
        // Two 1×1×2×2 images: one half-edited, one authentic. Values worked by hand from the definitions.
        var logits = tensor(new float[] { 2, -1, 0, 3, -2, -2, -2, -2 }, [2, 1, 2, 2]);
        var masks = tensor(new float[] { 1, 1, 0, 0, 0, 0, 0, 0 }, [2, 1, 2, 2]);
        double bce = nn.functional.binary_cross_entropy_with_logits(logits, masks).item<float>();
        Assert.Equal(bce, Trainer.Loss(logits, masks, 0).item<float>(), 6);

        static double S(double x) => 1 / (1 + Math.Exp(-x));
        double p1 = S(2) + S(-1) + S(0) + S(3), tp1 = S(2) + S(-1);
        double dice1 = 1 - (2 * tp1 + 1) / (p1 + 2 + 1);
        double dice2 = 1 - 1 / (4 * S(-2) + 1);
        double expected = bce + 0.5 * (dice1 + dice2) / 2;
        Assert.Equal(expected, Trainer.Loss(logits, masks, 0.5).item<float>(), 5);
    }

    [Fact]
    public void SampleSeedsAreTheSameInEveryProcess()
    {
        // Expected values from an independent SplitMix64 written in Python; HashCode.Combine (per-process random) would
        // give a different held-out set in every run.
        Assert.Equal(1484626960, SampleSeed.Of(20250, 0, 0xE7A1));
        Assert.Equal(1067381987, SampleSeed.Of(1, -1, 0x5EED));
        Assert.Equal(1686820324, SampleSeed.Of(3, 123456789012, 0x7A11));
    }

    [Fact]
    public void ScheduleWarmsUpThenFollowsACosine()
    {
        Assert.Equal(0.1, Trainer.LearningRateAt(0, 100, 10, 1.0, 0.0), 9);
        Assert.Equal(1.0, Trainer.LearningRateAt(10, 100, 10, 1.0, 0.0), 9);
        Assert.Equal(0.5, Trainer.LearningRateAt(55, 100, 10, 1.0, 0.0), 9);
        Assert.Equal(0.0, Trainer.LearningRateAt(100, 100, 10, 1.0, 0.0), 9);
    }

    [Fact]
    public void WallpaperResolutionsShareOneIdentityAndSplit()
    {
        string a = Path.Combine("/usr/share/wallpapers/Altai/contents/images/1920x1080.jpg");
        string b = Path.Combine("/usr/share/wallpapers/Altai/contents/images_dark/5120x2880.png");
        Assert.Equal("altai", PhotoLibrary.IdentityOf(a));
        Assert.Equal(PhotoLibrary.IdentityOf(a), PhotoLibrary.IdentityOf(b));
        Assert.Equal("kleiber_by_lukas_baubkus", PhotoLibrary.IdentityOf("/x/Kleiber_by_Lukas_Baubkus.jpg"));
        Assert.Equal(PhotoSplit.HeldOut, PhotoLibrary.SplitOf("kleiber_by_lukas_baubkus"));
    }

    [Fact]
    public void FolderDatasetPairsImagesWithMasksByStem()
    {
        string root = NewDatasetFolder("ds");
        var image = GeneratedPhotos(1, 300).Photos[0];
        var maskPixels = new byte[300 * 300 * 3];
        for (int y = 0; y < 300; y++)
            for (int x = 150; x < 300; x++)
                maskPixels[(y * 300 + x) * 3] = maskPixels[(y * 300 + x) * 3 + 1] = maskPixels[(y * 300 + x) * 3 + 2] = 255;
        Save(image, Path.Combine(root, "Tp", "a.png"));
        Save(new RgbImage(300, 300, maskPixels), Path.Combine(root, "Gt", "a_gt.png"));

        var dataset = new FolderDataset(root);
        Assert.Equal(1, dataset.Count);
        var sample = dataset.Load(0, new Random(1));
        Assert.Equal(512, sample.Image.Width);
        double area = sample.Mask.Count(v => v != 0) / (double)sample.Mask.Length;
        Assert.InRange(area, 0.48, 0.52);
    }

    [Fact]
    public void PthWriterOutputLoadsInPyTorchWhenInstalled()
    {
        // Runs only where a Python with torch exists (Debian: apt-get install python3-torch); elsewhere it checks nothing.
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return;
        using var model = new SparseViTModel(TrainingConfigs.Tiny);
        string path = Path.Combine(_dir, "t.pth");
        PyTorchCheckpointWriter.Write(path, ModelState.Export(model), new Dictionary<string, long> { ["step"] = 12 });
        string script =
            "import sys\ntry:\n import torch\nexcept ImportError:\n print('NO_TORCH'); sys.exit(0)\n" +
            "ck = torch.load(sys.argv[1], map_location='cpu', weights_only=True)\n" +
            "sd = ck['model']\nprint(len(sd), ck['step'], float(sd['lmu.conv_last.weight'].double().sum()), int(sd['encoder_net.blocks1.0.norm1.num_batches_tracked']))\n";
        var psi = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        if (output == "NO_TORCH") return;
        var parts = output.Split(' ');
        Assert.Equal(model.state_dict().Count.ToString(), parts[0]);
        Assert.Equal("12", parts[1]);
        double expected = model.state_dict()["lmu.conv_last.weight"].to(ScalarType.Float64).sum().item<double>();
        Assert.Equal(expected, double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal("0", parts[3]);
    }

    [Fact]
    public void StreamIsTheSameSequenceWhateverTheNumberOfWorkers()
    {
        var photos = GeneratedPhotos(2, 320);
        var source = new SampleSource([], new SyntheticManipulator(photos, 128), seed: 7);
        var expected = Enumerable.Range(0, 7).Select(i => source.Get(40 + i)).ToList();
        foreach (int workers in new[] { 1, 3 })
        {
            var streamed = source.Stream(40, CancellationToken.None, workers).Take(7).ToList();
            Assert.Equal(expected.Count, streamed.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Kind, streamed[i].Kind);
                Assert.Equal(expected[i].Image.Pixels, streamed[i].Image.Pixels);
                Assert.Equal(expected[i].Mask, streamed[i].Mask);
            }
        }
    }

    [Fact]
    public void StreamReportsAFailingWorkerWithTheSampleIndex()
    {
        // A labelled pair deleted after the dataset was listed: the worker's decode fails, and the consumer must hear why.
        string root = NewDatasetFolder("vanishing");
        var image = GeneratedPhotos(1, 64).Photos[0];
        Save(image, Path.Combine(root, "Tp", "a.png"));
        Save(image, Path.Combine(root, "Gt", "a.png"));
        var source = new SampleSource([new FolderDataset(root, 64)], null, seed: 1);
        File.Delete(Path.Combine(root, "Tp", "a.png"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => source.Stream(0, CancellationToken.None, workers: 2).Take(3).ToList());
        Assert.Contains("sample generation failed at sample 0", error.Message);
    }

    [Fact]
    public void BatchNormalisesExactlyAsTheAuthorsOperationOrder()
    {
        var photos = GeneratedPhotos(2, 300);
        var manipulator = new SyntheticManipulator(photos, 64);
        var samples = Enumerable.Range(0, 3).Select(i => manipulator.Generate(5, i)).ToList();
        var (images, masks) = TrainingTensors.Batch(samples);
        Assert.Equal(new long[] { 3, 3, 64, 64 }, images.shape);
        Assert.Equal(new long[] { 3, 1, 64, 64 }, masks.shape);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var got = images.data<float>().ToArray();
        var gotMasks = masks.data<float>().ToArray();
        int plane = 64 * 64;
        for (int k = 0; k < 3; k++)
            for (int c = 0; c < 3; c++)
            {
                // The per-pixel float arithmetic of the CPU loop this replaced: x · (1 / (255·std)) − mean/std.
                float scale = 1f / (255f * std[c]), shift = mean[c] / std[c];
                for (int p = 0; p < plane; p++)
                {
                    float expected = samples[k].Image.Pixels[3 * p + c] * scale - shift;
                    Assert.Equal(expected, got[(k * 3 + c) * plane + p]);
                }
            }
        for (int k = 0; k < 3; k++)
            for (int p = 0; p < plane; p++)
                Assert.Equal(samples[k].Mask[p], (byte)gotMasks[k * plane + p]);
    }

    [Fact]
    public void ExportedPhotosReloadWithTheSameIdentitiesAndSplit()
    {
        var photos = GeneratedPhotos(3, 400);
        string folder = Path.Combine(_dir, "pack");
        long bytes = photos.Export(folder, quality: 95);
        Assert.True(bytes > 0);
        Assert.Equal(photos.Identities.OrderBy(i => i, StringComparer.Ordinal), PhotoLibrary.Discover([folder]).Select(d => d.Identity));
        var reloaded = PhotoLibrary.Load([folder], PhotoSplit.All);
        Assert.Equal(photos.Count, reloaded.Count);
        for (int i = 0; i < photos.Count; i++)
        {
            int j = reloaded.Identities.ToList().IndexOf(photos.Identities[i]);
            var a = photos.Photos[i].Pixels;
            var b = reloaded.Photos[j].Pixels;
            Assert.Equal(a.Length, b.Length);
            double meanAbs = a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
            Assert.True(meanAbs < 2.0, $"JPEG q95 copy differs by {meanAbs:F2} on average");
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
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
