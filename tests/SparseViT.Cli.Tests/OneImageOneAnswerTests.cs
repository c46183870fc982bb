using System.Text.Json;
using SparseViT.Tests.Shared;

namespace SparseViT.Cli.Tests;

/// <summary>
/// The shipped tool with the shipped model, run the way the lesson of issue 12 says users run it: a hundred and twenty
/// files through one loaded model at the batch sizes people pick, each record equal to that file scanned alone.
/// </summary>
public sealed class OneImageOneAnswerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-answer-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private static string DefaultCheckpoint => Path.Combine(CliRunner.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors");

    // libtorch's own thread choice, as users get it (the runner pins one thread for the other tests).
    private static readonly Dictionary<string, string?> DefaultThreads = new() { ["SPARSEVIT_THREADS"] = null };

    [Fact]
    public void A_hundred_and_twenty_copies_at_batch_sizes_1_4_and_8_each_equal_the_single_file_scan()
    {
        var samples = Directory.GetFiles(CliRunner.Samples).Order(StringComparer.Ordinal).ToArray();
        var single = new Dictionary<string, (double Max, double Mean)>();
        foreach (var sample in samples)
        {
            var alone = CliRunner.RunProcess(["scan", sample, "--checkpoint", DefaultCheckpoint, "--quiet", "--fail-on", "never"], environment: DefaultThreads);
            Assert.True(alone.ExitCode == 0, alone.ToString());
            var record = JsonDocument.Parse(alone.Stdout.Trim()).RootElement;
            single[Path.GetFileName(sample)] = Scores(record);
        }

        string copies = Path.Combine(_dir, "copies");
        Directory.CreateDirectory(copies);
        for (int c = 1; c <= 40; c++)
            foreach (var sample in samples)
                File.Copy(sample, Path.Combine(copies, $"copy{c:D2}_{Path.GetFileName(sample)}"));

        foreach (int batch in new[] { 1, 4, 8 })
        {
            string output = Path.Combine(_dir, $"b{batch}.jsonl");
            var run = CliRunner.RunProcess(["scan", copies, "--checkpoint", DefaultCheckpoint, "--batch-size", batch.ToString(), "--output", output, "--quiet", "--fail-on", "never"],
                timeout: TimeSpan.FromMinutes(5), environment: DefaultThreads);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("", run.Stderr.Trim());
            var records = File.ReadAllLines(output).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            Assert.Equal(120, records.Count);
            foreach (var record in records)
            {
                string name = record.GetProperty("fileName").GetString()!;
                Assert.Equal("ok", record.GetProperty("status").GetString());
                var (max, mean) = Scores(record);
                var expected = single[name[(name.IndexOf('_') + 1)..]];
                Assert.True(double.IsFinite(max) && double.IsFinite(mean), $"batch {batch}: {name} max {max} mean {mean}");
                Assert.True(Math.Abs(max - expected.Max) <= 1e-4 && Math.Abs(mean - expected.Mean) <= 1e-4,
                    $"batch {batch}: {name} max {max} mean {mean}, scanned alone {expected.Max} {expected.Mean}");
            }
        }
    }

    [Fact]
    public void A_checkpoint_with_a_NaN_weight_gives_error_records_exit_3_and_no_verdict()
    {
        string poisoned = PoisonedCheckpoint.Write(DefaultCheckpoint, Path.Combine(_dir, "nan.safetensors"));
        var scan = CliRunner.RunProcess(["scan", CliRunner.Samples, "--checkpoint", poisoned, "--batch-size", "2", "--fail-on", "suspicious"]);
        Assert.True(scan.ExitCode == 3, scan.ToString());
        var records = scan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal("error", r.GetProperty("status").GetString());
            Assert.Equal("model-output-not-finite", r.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("verdict").ValueKind);
            Assert.Contains(Path.GetFileName(r.GetProperty("path").GetString()!), scan.Stderr);
        });

        var mask = CliRunner.RunProcess(["mask", Path.Combine(CliRunner.Samples, "sample_1.jpg"), "--checkpoint", poisoned, "--output", Path.Combine(_dir, "m.npy")]);
        Assert.True(mask.ExitCode == 3, mask.ToString());
        Assert.Contains("sample_1.jpg: ModelOutputNotFinite:", mask.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "m.npy")));
    }

    private static (double Max, double Mean) Scores(JsonElement record)
    {
        var scores = record.GetProperty("scores");
        return (Number(scores.GetProperty("max")), Number(scores.GetProperty("mean")));
    }

    // Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
}
