using System.Globalization;
using System.Text;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// Deterministic partition of enumerated files into N shards, i counted from 0 (as Kubernetes' JOB_COMPLETION_INDEX).
/// FNV-1a over the UTF-8 relative path: string.GetHashCode is randomised per process, so it cannot be shared by pods.
/// </summary>
public sealed record ShardSelector(int Index, int Count)
{
    public static ShardSelector All { get; } = new(0, 1);

    public bool IsAll => Count == 1;

    public bool Includes(ScanItem item) => Count == 1 || ShardOf(item.RelativePath, Count) == Index;

    public static int ShardOf(string relativePath, int count) => (int)(Fnv1a64(Normalise(relativePath)) % (ulong)count);

    public static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private static string Normalise(string relative)
    {
        string p = relative.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        return p;
    }

    /// <summary>Parses "i/N".</summary>
    public static ShardSelector Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"--shard '{text}' must be i/N with integers, i counted from 0 (e.g. 0/3, 1/3, 2/3)");
        return Create(i, n, "--shard");
    }

    public static ShardSelector Create(int index, int count, string source)
    {
        if (count < 1) throw new ArgumentException($"{source}: the shard count must be at least 1 (got {count})");
        if (index < 0 || index >= count) throw new ArgumentException($"{source}: shard index {index} is outside 0..{count - 1} (indices count from 0)");
        return new ShardSelector(index, count);
    }

    /// <summary>
    /// --shard i/N wins; else --shard-count N with the index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job);
    /// else SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (array jobs submitted as --array=0-(N-1)); else everything.
    /// </summary>
    public static ShardSelector Resolve(string? shard, int? shardCount, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(shard))
        {
            var parsed = Parse(shard.Trim());
            if (shardCount is not null && shardCount != parsed.Count)
                throw new ArgumentException($"--shard {shard} disagrees with --shard-count {shardCount}");
            return parsed;
        }
        if (shardCount is not null)
        {
            string? k8s = environment("JOB_COMPLETION_INDEX");
            string? slurm = environment("SLURM_ARRAY_TASK_ID");
            string? indexText = !string.IsNullOrWhiteSpace(k8s) ? k8s : slurm;
            string source = !string.IsNullOrWhiteSpace(k8s) ? "JOB_COMPLETION_INDEX" : "SLURM_ARRAY_TASK_ID";
            if (string.IsNullOrWhiteSpace(indexText))
                throw new ArgumentException("--shard-count needs the shard index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (or use --shard i/N)");
            return Create(ParseInt(indexText, source), shardCount.Value, source);
        }
        string? taskId = environment("SLURM_ARRAY_TASK_ID");
        string? taskCount = environment("SLURM_ARRAY_TASK_COUNT");
        if (!string.IsNullOrWhiteSpace(taskId) && !string.IsNullOrWhiteSpace(taskCount))
            return Create(ParseInt(taskId, "SLURM_ARRAY_TASK_ID"), ParseInt(taskCount, "SLURM_ARRAY_TASK_COUNT"), "SLURM_ARRAY_TASK_ID");
        return All;
    }

    private static int ParseInt(string text, string source) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"{source}='{text}' is not an integer");

    public override string ToString() => $"{Index}/{Count}";
}
