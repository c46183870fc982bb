using System.Security.Cryptography;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Scanning;
using SparseViT.Forensics.Tests.Support;
using SparseViT.Tests.Shared;
using Xunit.Abstractions;

namespace SparseViT.Forensics.Tests.Scanning;

/// <summary>
/// The scan as users run it: a hundred and twenty distinct photos through one loaded model, batched, with decode workers,
/// and two scans at once in one process while collections are forced. Every file's scores and mask PNG must equal those
/// of the plainest scan (one image at a time, one decode worker), and none may be non-finite.
/// </summary>
public sealed class ScanInvarianceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-invariance-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private static string DefaultCheckpoint => Path.Combine(RepoPaths.Root, "checkpoints", "default", "sparsevit-default.safetensors");

    [Fact]
    public void BatchSizeDecodeWorkersAndConcurrentScansDoNotChangeAnyRecord()
    {
        var files = ImageVariants.WriteFiles(RepoPaths.Shared(), Path.Combine(_dir, "images"), 120, seed: 2026);
        using var predictor = SparseViTPredictor.Load(DefaultCheckpoint, new PredictorOptions { Device = "cpu" });

        var reference = Scan(predictor, files, "plain", batchSize: 1, workers: 1);
        Assert.All(reference.Values, r => Assert.Equal(RecordStatus.Ok, r.Record.Status));
        Assert.True(reference.Values.Select(r => r.Mask).Distinct().Count() > 110, "the variants should give distinct masks");

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(20);
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            var a = Task.Run(() => Scan(predictor, files, "concurrent-a", batchSize: 16, workers: 3));
            var b = Task.Run(() => Scan(predictor, files.Reverse().ToArray(), "concurrent-b", batchSize: 5, workers: 1));
            Compare(reference, a.GetAwaiter().GetResult(), "scan A (batch 16, 3 decode workers) beside scan B, under forced collections");
            Compare(reference, b.GetAwaiter().GetResult(), "scan B (batch 5, reversed order) beside scan A, under forced collections");
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    [Fact]
    public void APoisonedCheckpointGivesErrorRecordsNeverAVerdict()
    {
        var files = ImageVariants.WriteFiles(RepoPaths.Shared(), Path.Combine(_dir, "images"), 6, seed: 9);
        string poisoned = PoisonedCheckpoint.Write(DefaultCheckpoint, Path.Combine(_dir, "poisoned.safetensors"));
        using var predictor = SparseViTPredictor.Load(poisoned, new PredictorOptions { Device = "cpu" });
        var scanner = new ImageScanner(predictor, new ScanOptions { BatchSize = 4 });
        var records = scanner.Scan(files).ToList();

        Assert.Equal(6, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(RecordStatus.Error, r.Status);
            Assert.Equal(RecordErrorCodes.ModelOutputNotFinite, r.Error!.Code);
            Assert.Contains("NaN or infinite", r.Error.Message);
            Assert.Null(r.Verdict);
            Assert.Null(r.Scores);
            Assert.NotNull(r.Sha256);
        });
        Assert.Equal(6, scanner.Statistics.Failed);
        Assert.Equal(0, scanner.Statistics.Manipulated + scanner.Statistics.Suspicious);
    }

    private Dictionary<string, (ForensicRecord Record, string Mask)> Scan(SparseViTPredictor predictor, IReadOnlyList<string> files, string name, int batchSize, int workers)
    {
        string masks = Path.Combine(_dir, "masks-" + name);
        var scanner = new ImageScanner(predictor, new ScanOptions { BatchSize = batchSize, DecodeWorkers = workers, MasksDirectory = masks, SkipMetadata = true });
        var records = scanner.Scan(files).ToList();
        Assert.Equal(files.Count, records.Count);
        return records.ToDictionary(r => Path.GetFileName(r.Path), r => (r, r.Artifacts.Mask is { } m ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(m))) : ""));
    }

    private void Compare(Dictionary<string, (ForensicRecord Record, string Mask)> expected, Dictionary<string, (ForensicRecord Record, string Mask)> actual, string what)
    {
        double worst = 0;
        int maskDifferences = 0;
        foreach (var (file, (record, mask)) in expected)
        {
            var other = actual[file];
            Assert.Equal(RecordStatus.Ok, other.Record.Status);
            var s = other.Record.Scores!;
            Assert.True(double.IsFinite(s.Max) && double.IsFinite(s.Mean), $"{what}: {file} has max {s.Max}, mean {s.Mean}");
            worst = Math.Max(worst, Math.Max(Math.Abs(s.Max - record.Scores!.Max), Math.Abs(s.Mean - record.Scores.Mean)));
            Assert.Equal(record.Verdict, other.Record.Verdict);
            if (mask != other.Mask) maskDifferences++;
        }
        output.WriteLine($"{what}: {expected.Count} files, max |Δ| of max/mean scores {worst:E2}, {maskDifferences} mask PNGs differ");
        Assert.True(worst <= 1e-6, $"{what}: scores differ by {worst:E2} from the one-at-a-time scan");
        Assert.Equal(0, maskDifferences);
    }
}
