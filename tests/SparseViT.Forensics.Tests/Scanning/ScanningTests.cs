using System.Diagnostics;
using SparseViT.Forensics.Models;
using SparseViT.Forensics.Scanning;

namespace SparseViT.Forensics.Tests.Scanning;

public sealed class ScanningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-scan-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private string Touch(string relative, int bytes = 3)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    [Fact]
    public void Folder_listing_is_sorted_filtered_and_recurse_is_opt_in()
    {
        Touch("b.jpg");
        Touch("a.png");
        Touch("notes.txt");
        Touch("sub/c.jpg");
        var flat = FileEnumerator.Enumerate([_dir]).Select(i => i.RelativePath).ToList();
        Assert.Equal(["a.png", "b.jpg"], flat);
        var deep = FileEnumerator.Enumerate([_dir], new ScanEnumerationOptions { Recurse = true }).Select(i => i.RelativePath).ToList();
        Assert.Equal(["a.png", "b.jpg", "sub/c.jpg"], deep);
    }

    [Fact]
    public void Special_files_become_items_with_problems_without_blocking()
    {
        Touch("ok.jpg");
        Directory.CreateDirectory(Path.Combine(_dir, "x.jpg"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop.jpg"), Path.Combine(_dir, "loop.jpg"));
        File.CreateSymbolicLink(Path.Combine(_dir, "dangling.jpg"), Path.Combine(_dir, "nowhere.jpg"));
        string fifo = Path.Combine(_dir, "pipe.jpg");
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit(10_000);
        var sw = Stopwatch.StartNew();
        var items = FileEnumerator.Enumerate([_dir, Path.Combine(_dir, "missing.jpg")]).ToDictionary(i => Path.GetFileName(i.Path));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
        Assert.True(items["ok.jpg"].IsScannable);
        Assert.Contains("directory", items["x.jpg"].Problem);
        Assert.Equal(FileKind.LinkLoop, items["loop.jpg"].Kind);
        Assert.Equal(FileKind.BrokenLink, items["dangling.jpg"].Kind);
        Assert.Equal(FileKind.Fifo, items["pipe.jpg"].Kind);
        Assert.Equal(FileKind.Missing, items["missing.jpg"].Kind);
        Assert.All(items.Values.Where(i => i.Path != Path.Combine(_dir, "ok.jpg")), i => Assert.False(i.IsScannable));
    }

    [Fact]
    public void Globs_and_stdin_expand_in_stable_order_once_per_path()
    {
        Touch("g/one.jpg");
        Touch("g/two.jpg");
        Touch("g/deep/three.jpg");
        var globbed = FileEnumerator.Enumerate([Path.Combine(_dir, "g", "*.jpg")]).Select(i => i.RelativePath).ToList();
        Assert.Equal(["one.jpg", "two.jpg"], globbed);
        var deep = FileEnumerator.Enumerate([Path.Combine(_dir, "g", "**", "*.jpg")]).Select(i => i.RelativePath).ToList();
        Assert.Equal(["deep/three.jpg", "one.jpg", "two.jpg"], deep);
        var stdin = new StringReader(Path.Combine(_dir, "g", "two.jpg") + "\n\n" + Path.Combine(_dir, "g", "two.jpg") + "\n");
        Assert.Single(FileEnumerator.Enumerate(["-"], new ScanEnumerationOptions { Stdin = stdin }));
    }

    [Fact]
    public void Shards_partition_deterministically_and_cover_everything()
    {
        var names = Enumerable.Range(0, 300).Select(i => $"dir/img_{i:D4}.jpg").ToList();
        var shards = Enumerable.Range(0, 3).Select(s => names.Where(n => ShardSelector.ShardOf(n, 3) == s).ToList()).ToList();
        Assert.Equal(300, shards.Sum(s => s.Count));
        Assert.All(shards, s => Assert.InRange(s.Count, 60, 140));
        // Pinned so a change of hash (which would re-partition running jobs) is noticed.
        Assert.Equal(0xcbf29ce484222325UL, ShardSelector.Fnv1a64(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, ShardSelector.Fnv1a64("a"));
        Assert.Equal(ShardSelector.ShardOf("./dir/x.jpg", 7), ShardSelector.ShardOf("dir/x.jpg", 7));
    }

    [Fact]
    public void Shard_resolution_follows_flags_then_kubernetes_then_slurm()
    {
        Assert.Equal(new ShardSelector(1, 3), ShardSelector.Resolve("1/3", null, _ => null));
        Assert.Throws<ArgumentException>(() => ShardSelector.Resolve("3/3", null, _ => null));
        Assert.Throws<ArgumentException>(() => ShardSelector.Resolve("x", null, _ => null));
        Assert.Equal(new ShardSelector(2, 4), ShardSelector.Resolve(null, 4, v => v == "JOB_COMPLETION_INDEX" ? "2" : null));
        Assert.Equal(new ShardSelector(1, 2), ShardSelector.Resolve(null, null, v => v switch { "SLURM_ARRAY_TASK_ID" => "1", "SLURM_ARRAY_TASK_COUNT" => "2", _ => null }));
        Assert.Equal(ShardSelector.All, ShardSelector.Resolve(null, null, _ => null));
        Assert.Throws<ArgumentException>(() => ShardSelector.Resolve(null, 4, _ => null));
    }

    [Fact]
    public void Resume_index_ignores_a_cut_last_line_and_truncates_it()
    {
        string a = Touch("a.jpg", 10), b = Touch("b.jpg", 20);
        string jsonl = Path.Combine(_dir, "out.jsonl");
        string good = $"{{\"path\":\"{a}\",\"sizeBytes\":10}}\n{{\"path\":\"/x/fifo.jpg\",\"sizeBytes\":null,\"status\":\"error\"}}\n";
        File.WriteAllText(jsonl, good + $"{{\"path\":\"{b}\",\"sizeB");
        var index = ResumeIndex.Load(jsonl);
        Assert.Equal(2, index.Count);
        Assert.Equal(1, index.DiscardedLines);
        Assert.True(index.Contains(ScanItem.From(a, "a.jpg")));
        Assert.False(index.Contains(ScanItem.From(b, "b.jpg")));
        File.WriteAllBytes(a, new byte[11]);
        Assert.False(index.Contains(ScanItem.From(a, "a.jpg")));
        // Same size, but modified after it was scanned.
        File.WriteAllText(jsonl, $"{{\"path\":\"{b}\",\"sizeBytes\":20,\"scannedAt\":\"2001-01-01T00:00:00+00:00\"}}\n");
        var stale = ResumeIndex.Load(jsonl);
        Assert.False(stale.Contains(ScanItem.From(b, "b.jpg")));
        File.SetLastWriteTimeUtc(b, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.True(stale.Contains(ScanItem.From(b, "b.jpg")));
        File.WriteAllText(jsonl, good + $"{{\"path\":\"{b}\",\"sizeB");
        index.TruncateTail(jsonl);
        Assert.Equal(good, File.ReadAllText(jsonl));
    }

    [Fact]
    public void Checkpoint_resolution_precedence_and_guidance()
    {
        string tool = Path.Combine(_dir, "tool");
        Directory.CreateDirectory(tool);
        string work = Path.Combine(_dir, "work");
        Directory.CreateDirectory(work);
        string explicitFile = Touch("explicit.pth");
        string envFile = Touch("env.safetensors");
        Assert.Equal(CheckpointSource.Explicit, CheckpointResolver.Resolve(explicitFile, tool, _ => envFile, work).Source);
        Assert.Equal(envFile, CheckpointResolver.Resolve(null, tool, _ => envFile, work).Path);
        var missing = Assert.Throws<CheckpointNotFoundException>(() => CheckpointResolver.Resolve(null, tool, _ => null, work));
        Assert.Contains("github.com/scu-zjz/SparseViT", missing.Message);
        Assert.Contains("SPARSEVIT_CHECKPOINT", missing.Message);
        Assert.Throws<CheckpointNotFoundException>(() => CheckpointResolver.Resolve(Path.Combine(_dir, "nope.pth"), tool, _ => null, work));
        Touch("tool/checkpoints/default/sparsevit-default.safetensors");
        Assert.Equal(CheckpointSource.ShippedDefault, CheckpointResolver.Resolve(null, tool, _ => null, work).Source);
        Touch("work/SparseViT.Automation.sln");
        Touch("work/checkpoints/repo.pth");
        Assert.Equal(CheckpointSource.RepositoryCheckpoints, CheckpointResolver.Resolve(null, tool, _ => null, work).Source);
        Touch("tool/checkpoints/b.pth");
        Touch("tool/checkpoints/a.pth");
        var beside = CheckpointResolver.Resolve(null, tool, _ => null, work);
        Assert.Equal(CheckpointSource.ToolCheckpoints, beside.Source);
        Assert.Equal("a.pth", Path.GetFileName(beside.Path));
    }

    [Fact]
    public void Pipeline_keeps_order_isolates_failures_and_bounds_work_in_flight()
    {
        int inFlight = 0, maxInFlight = 0;
        var batches = new List<int>();
        var pipeline = new BatchPipeline<int, int, int, string>
        {
            Prepare = i =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                Thread.Sleep(i % 7);
                if (i == 13) throw new InvalidDataException("thirteen");
                return i;
            },
            NeedsInference = i => i % 10 != 5,
            Infer = batch =>
            {
                lock (batches) batches.Add(batch.Count);
                if (batch.Contains(42)) throw new InvalidOperationException("bad input in batch");
                return batch.Select(i => i * 2).ToArray();
            },
            Finish = (i, map, error) =>
            {
                Interlocked.Decrement(ref inFlight);
                return error is not null ? $"{i}:error" : i % 10 == 5 ? $"{i}:skip" : $"{i}:{map}";
            },
            Fail = (i, e) => { Interlocked.Decrement(ref inFlight); return $"{i}:fail:{e.Message}"; },
            Limits = new PipelineLimits { BatchSize = 4, PrepareWorkers = 3, FinishWorkers = 2 },
        };
        var results = pipeline.Run(Enumerable.Range(0, 500)).ToList();
        Assert.Equal(500, results.Count);
        for (int i = 0; i < 500; i++)
        {
            string expected = i == 13 ? "13:fail:thirteen" : i == 42 ? "42:error" : i % 10 == 5 ? $"{i}:skip" : $"{i}:{i * 2}";
            Assert.Equal(expected, results[i]);
        }
        Assert.True(maxInFlight <= 40, $"{maxInFlight} items in flight");
        Assert.Contains(4, batches);
        Assert.All(batches, b => Assert.InRange(b, 1, 4));
    }

    [Fact]
    public void Pipeline_stops_when_the_consumer_stops()
    {
        int prepared = 0;
        var pipeline = new BatchPipeline<int, int, int, int>
        {
            Prepare = i => { Interlocked.Increment(ref prepared); return i; },
            NeedsInference = _ => true,
            Infer = b => b.ToArray(),
            Finish = (i, _, _) => i,
            Fail = (i, _) => i,
        };
        Assert.Equal([0, 1, 2], pipeline.Run(Enumerable.Range(0, 1_000_000)).Take(3).ToArray());
        Assert.True(prepared < 1000);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
