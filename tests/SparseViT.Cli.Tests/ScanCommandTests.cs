using System.Text.Json;

namespace SparseViT.Cli.Tests;

/// <summary>`sparsevit scan` as a user runs it: a real process, the fixture checkpoint, timeouts on every wait.</summary>
public sealed class ScanCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static string[] Scan(params string[] args) =>
        ["scan", .. args, "--checkpoint", CliRunner.FixtureCheckpoint, .. (args.Contains("--batch-size") ? Array.Empty<string>() : ["--batch-size", "4"])];

    private static List<JsonElement> ReadJsonl(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void Samples_in_all_three_formats_with_masks_overlays_and_fail_on_exit_codes()
    {
        var json = CliRunner.Run(Scan(CliRunner.Samples, "--format", "json", "--output", P("r.json"), "--masks", P("masks"), "--overlays", P("overlays"), "--fail-on", "suspicious"));
        var records = JsonDocument.Parse(File.ReadAllText(P("r.json"))).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal(["sample_1.jpg", "sample_2.jpg", "sample_3.jpg"], records.Select(r => r.GetProperty("fileName").GetString()));
        Assert.All(records, r => Assert.Equal("ok", r.GetProperty("status").GetString()));
        Assert.Equal(3, Directory.GetFiles(P("masks"), "*.png").Length);
        Assert.Equal(3, Directory.GetFiles(P("overlays"), "*.png").Length);
        Assert.All(records, r => Assert.True(File.Exists(r.GetProperty("artifacts").GetProperty("mask").GetString())));
        Assert.Empty(json.Stdout);
        var verdicts = records.Select(r => r.GetProperty("verdict").GetString()).ToList();
        int expected = verdicts.Any(v => v is "manipulated" or "suspicious") ? 1 : 0;
        Assert.True(json.ExitCode == expected, json.ToString());

        var csv = CliRunner.Run(Scan(CliRunner.Samples, "--format", "csv", "--output", P("r.csv"), "--fail-on", "never"));
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var lines = File.ReadAllLines(P("r.csv"));
        Assert.Equal(4, lines.Length);
        Assert.Contains("sha256", lines[0]);

        // No --output: JSONL on stdout, nothing but records there.
        var jsonl = CliRunner.Run(Scan(CliRunner.Samples, "--fail-on", "manipulated", "--quiet"));
        var streamed = jsonl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(3, streamed.Count);
        Assert.True(jsonl.ExitCode == (verdicts.Contains("manipulated") ? 1 : 0), jsonl.ToString());
        Assert.Equal("", jsonl.Stderr.Trim());

        var error = CliRunner.Run(Scan(CliRunner.Samples, "--fail-on", "error", "--output", P("e.jsonl")));
        Assert.True(error.ExitCode == 0, error.ToString());
    }

    [Fact]
    public void Two_hundred_images_and_every_broken_file_give_ok_and_error_records_and_exit_3()
    {
        string folder = P("mixed");
        TestImages.Generate(folder, 200);
        var broken = TestImages.AddBrokenFiles(folder);
        var r = CliRunner.Run(Scan(folder, "--format", "jsonl", "--output", P("mixed.jsonl"), "--fail-on", "error"), TimeSpan.FromMinutes(8));
        Assert.True(r.ExitCode == 3, r.ToString());
        var records = ReadJsonl(P("mixed.jsonl"));
        Assert.Equal(200 + broken.Count, records.Count);
        var byName = records.ToDictionary(x => x.GetProperty("fileName").GetString()!);
        foreach (var good in byName.Keys.Where(k => k.StartsWith("gen_")))
            Assert.Equal("ok", byName[good].GetProperty("status").GetString());
        foreach (string bad in broken)
        {
            Assert.True(byName.ContainsKey(bad), $"no record for {bad}");
            Assert.Equal("error", byName[bad].GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(byName[bad].GetProperty("error").GetProperty("message").GetString()));
        }
        string Message(string name) => byName[name].GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("FIFO", Message("fifo.jpg"));
        Assert.Contains("loop", Message("loop-a.jpg"));
        Assert.Contains("directory", Message("folder.jpg"));
        Assert.Contains("ImageTooLarge", Message("huge-header.png"));
        Assert.Contains("ImageEmpty", Message("zero-byte.jpg"));
        // Records keep enumeration order (sorted folder entries).
        var names = records.Select(x => x.GetProperty("fileName").GetString()!).ToList();
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
    }

    [Fact]
    public void Killed_scan_resumed_records_every_file_exactly_once()
    {
        string folder = P("resume");
        TestImages.Generate(folder, 24, seed: 11);
        string output = P("resume.jsonl");
        using (var process = CliRunner.Start(Scan(folder, "--format", "jsonl", "--output", output, "--fail-on", "never", "--batch-size", "2")))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
            while (DateTime.UtcNow < deadline && !process.HasExited && (!File.Exists(output) || File.ReadAllLines(output).Length < 3))
                Thread.Sleep(100);
            Assert.False(process.HasExited, "the scan finished before it could be killed: " + (process.HasExited ? process.StandardError.ReadToEnd() : ""));
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to flush or clean up
            Assert.True(process.WaitForExit(30_000));
        }
        int before = File.ReadAllLines(output).Length;
        Assert.InRange(before, 3, 23);
        var resumed = CliRunner.Run(Scan(folder, "--format", "jsonl", "--output", output, "--resume", "--fail-on", "never"), TimeSpan.FromMinutes(5));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var paths = ReadJsonl(output).Select(r => r.GetProperty("path").GetString()!).ToList();
        Assert.Equal(24, paths.Count);
        Assert.Equal(24, paths.Distinct().Count());
        Assert.Contains("already recorded", resumed.Stderr);
    }

    [Fact]
    public void Three_shards_merged_equal_one_unsharded_scan()
    {
        string folder = P("shards");
        TestImages.Generate(folder, 12, seed: 5);
        // Batch size 1: libtorch's CPU kernels may round differently for different batch shapes, and "same records"
        // means the same numbers.
        var all = CliRunner.Run(Scan(folder, "--batch-size", "1", "--format", "jsonl", "--output", P("all.jsonl"), "--fail-on", "never"));
        Assert.True(all.ExitCode == 0, all.ToString());
        for (int i = 0; i < 3; i++)
        {
            // Shard 1 takes its index from the Kubernetes variable, as an Indexed Job pod would.
            string[] shard = i == 1 ? ["--shard-count", "3"] : ["--shard", $"{i}/3"];
            var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = i.ToString() };
            var r = CliRunner.Run(Scan([folder, .. shard, "--batch-size", "1", "--format", "jsonl", "--output", P($"shard-{i}.jsonl"), "--fail-on", "never"]), environment: env);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        var merged = CliRunner.Run(["merge", P("shard-0.jsonl"), P("shard-1.jsonl"), P("shard-2.jsonl"), P("shard-2.jsonl"), "--format", "jsonl", "--output", P("merged.jsonl")]);
        Assert.True(merged.ExitCode == 0, merged.ToString());
        static string Key(JsonElement r) => $"{r.GetProperty("path").GetString()}|{r.GetProperty("sha256").GetString()}|{r.GetProperty("verdict").GetString()}|{r.GetProperty("scores").GetRawText()}";
        var expected = ReadJsonl(P("all.jsonl")).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var actual = ReadJsonl(P("merged.jsonl")).Select(Key).ToList();
        Assert.Equal(expected, actual);
        Assert.All(Enumerable.Range(0, 3), i => Assert.NotEmpty(ReadJsonl(P($"shard-{i}.jsonl"))));
    }

    [Fact]
    public void Usage_and_fatal_errors_have_their_exit_codes()
    {
        var resumeToStdout = CliRunner.Run(Scan(CliRunner.Samples, "--resume"), TimeSpan.FromMinutes(1));
        Assert.Equal(2, resumeToStdout.ExitCode);
        var badShard = CliRunner.Run(Scan(CliRunner.Samples, "--shard", "3/3"), TimeSpan.FromMinutes(1));
        Assert.Equal(2, badShard.ExitCode);
        // Only meaningful while the repository holds no checkpoint of its own (the default model may ship later).
        string repoCheckpoints = Path.Combine(CliRunner.RepoRoot, "checkpoints");
        bool repoHasModel = Directory.Exists(repoCheckpoints) && Directory.EnumerateFiles(repoCheckpoints, "*", SearchOption.AllDirectories)
            .Any(f => f.EndsWith(".pth") || f.EndsWith(".safetensors") || f.EndsWith(".pt") || f.EndsWith(".ckpt"));
        var noModel = CliRunner.Run(["scan", CliRunner.Samples, "--fail-on", "never", "--quiet"], TimeSpan.FromMinutes(2), workingDirectory: _dir);
        if (repoHasModel) Assert.True(noModel.ExitCode == 0, noModel.ToString());
        else
        {
            Assert.True(noModel.ExitCode == 4, noModel.ToString());
            Assert.Contains("SPARSEVIT_CHECKPOINT", noModel.Stderr);
        }
        var hostile = CliRunner.Run(["scan", CliRunner.Samples, "--checkpoint", Path.Combine(CliRunner.Shared, "fixtures", "sparsevit-tiny", "hostile-code-exec.pth")], TimeSpan.FromMinutes(1));
        Assert.Equal(4, hostile.ExitCode);
        Assert.Empty(hostile.Stdout);
    }
}
