using System.Diagnostics;
using System.Text.Json;
using SparseViT.Tests.Shared;

namespace SparseViT.Cli.Tests;

/// <summary>
/// Scale-out on a real Slurm cluster (Debian's slurm-wlm, one node on this machine): the README's array script scans
/// a folder in three shards, the merge equals a single-process scan, and a task cancelled mid-way and resubmitted with
/// --resume still records every file exactly once.
/// </summary>
public sealed class SlurmArrayTests : IDisposable
{
    private const int Images = 300;
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-slurm-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static string Script => Path.Combine(CliRunner.RepoRoot, "src", "SparseViT.Cli", "examples", "sparsevit-array.sbatch");

    [SlurmFact]
    public void The_readme_array_job_scans_in_three_shards_and_a_cancelled_task_resumes_without_duplicates()
    {
        Shell(Cluster, ["start"], TimeSpan.FromMinutes(10));
        try { Run(); }
        finally { Shell(Cluster, ["stop"], TimeSpan.FromMinutes(1)); }
    }

    private static string Cluster => Path.Combine(CliRunner.RepoRoot, "tests", "scripts", "slurm-cluster.sh");

    private void Run()
    {
        // The README shows the script this test submits, verbatim.
        Assert.Contains(File.ReadAllText(Script), File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md")));
        ImageVariants.WriteFiles(CliRunner.Shared, P("images"), Images, seed: 21);
        string bin = Directory.CreateDirectory(P("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "sparsevit"), $"#!/bin/sh\nexec dotnet \"{CliRunner.ToolDll}\" \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "sparsevit"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // 1. Three shards, merged, against one process.
        string job = Submit("0-2", P("run1"));
        WaitFor(job, TimeSpan.FromMinutes(8));
        var shards = Enumerable.Range(0, 3).Select(i => Lines(Path.Combine(P("run1"), $"shard-{i}.jsonl"))).ToList();
        Assert.All(shards, s => Assert.True(s.Count > 0, "a shard scanned nothing"));
        Assert.Equal(Images, shards.Sum(s => s.Count));
        var merged = Records(CliRunner.RunProcess(["merge", .. Enumerable.Range(0, 3).Select(i => Path.Combine(P("run1"), $"shard-{i}.jsonl")), "--format", "jsonl", "-q"]).Stdout);
        var single = Records(CliRunner.RunProcess(["scan", P("images"), "--recurse", "--checkpoint", CliRunner.FixtureCheckpoint, "--format", "jsonl", "--fail-on", "never", "-q"],
            TimeSpan.FromMinutes(8)).Stdout);
        Assert.Equal(Images, merged.Count);
        Assert.Equal(single.Keys.Order(StringComparer.Ordinal), merged.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, record) in single)
        {
            Assert.Equal(record.GetProperty("verdict").GetString(), merged[path].GetProperty("verdict").GetString());
            Assert.Equal(record.GetProperty("imageScore").GetDouble(), merged[path].GetProperty("imageScore").GetDouble(), 6);
        }

        // 2. Task 1 cancelled mid-way, resubmitted alone with --resume: still every file once.
        string job2 = Submit("0-2", P("run2"));
        string shard1 = Path.Combine(P("run2"), "shard-1.jsonl");
        var clock = Stopwatch.StartNew();
        while (Lines(shard1).Count < 5 && clock.Elapsed < TimeSpan.FromMinutes(5)) Thread.Sleep(100);
        Shell("scancel", [$"{job2}_1"], TimeSpan.FromMinutes(1));
        WaitFor(job2, TimeSpan.FromMinutes(8));
        int beforeResume = Lines(shard1).Count;
        Assert.True(beforeResume < shards[1].Count, $"task 1 finished ({beforeResume} of {shards[1].Count}) before it could be cancelled");
        WaitFor(Submit("1", P("run2"), shards: 3), TimeSpan.FromMinutes(8));
        var resumed = Enumerable.Range(0, 3).SelectMany(i => Lines(Path.Combine(P("run2"), $"shard-{i}.jsonl"))).ToList();
        var paths = resumed.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()!).ToList();
        Assert.Equal(Images, paths.Count);
        Assert.Equal(Images, paths.Distinct().Count());
        Assert.Equal(single.Keys.Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    private string Submit(string array, string results, int? shards = null)
    {
        Directory.CreateDirectory(P("logs"));
        string exports = string.Join(",", "ALL", $"PATH={P("bin")}:{Environment.GetEnvironmentVariable("PATH")}", $"IMAGES={P("images")}",
            $"CHECKPOINT={CliRunner.FixtureCheckpoint}", $"RESULTS={results}", "SPARSEVIT_CHECKPOINT=", $"SHARDS={shards?.ToString() ?? ""}");
        string output = Shell("sbatch", ["--parsable", $"--array={array}", "--cpus-per-task=1", "--mem=2G", $"--chdir={_dir}",
            $"--output={P("logs")}/%A_%a.log", $"--export={exports}", Script], TimeSpan.FromMinutes(1));
        return output.Trim().Split(';')[0];
    }

    private void WaitFor(string job, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (Shell("squeue", ["-h", "-j", job, "-o", "%i %T"], TimeSpan.FromMinutes(1)).Trim().Length > 0)
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"job {job} still queued or running after {limit}; logs: {string.Join("\n", Directory.GetFiles(P("logs")).Select(File.ReadAllText))}");
            Thread.Sleep(500);
        }
    }

    private static List<string> Lines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.EndsWith('}')).ToList() : [];

    private static Dictionary<string, JsonElement> Records(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(r => r.GetProperty("path").GetString()!);

    private static string Shell(string file, string[] args, TimeSpan limit)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit)) { process.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)} ran past {limit}"); }
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }
}

/// <summary>
/// A fact that needs root and starts Slurm daemons: it runs where SPARSEVIT_SLURM_TESTS=1 (.ci/run sets it) and says
/// why it is skipped elsewhere.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SPARSEVIT_SLURM_TESTS") != "1")
            Skip = "needs root to install and start a one-node Slurm cluster: set SPARSEVIT_SLURM_TESTS=1 (.ci/run does)";
        else if (Environment.UserName != "root")
            Skip = "SPARSEVIT_SLURM_TESTS=1 but not root: the cluster's daemons need root";
    }
}
