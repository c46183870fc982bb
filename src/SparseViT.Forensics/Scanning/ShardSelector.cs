using System.Globalization;
using System.Text;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// Deterministic partition of enumerated files into N shards, i counted from 0 (as Kubernetes' JOB_COMPLETION_INDEX).
/// FNV-1a over the UTF-8 relative path: string.GetHashCode is randomized per process, so it cannot be shared by pods.
/// </summary>
public sealed record ShardSelector(int Index, int Count)
{
    public static ShardSelector All { get; } = new(0, 1);

    public bool IsAll => Count == 1;

    public bool Includes(ScanItem item) => Count == 1 || ShardOf(item.RelativePath, Count) == Index;

    public static int ShardOf(string relativePath, int count) => (int)(Fnv1a64(Normalize(relativePath)) % (ulong)count);

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

    private static string Normalize(string relative)
    {
        string p = relative.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        return p;
    }

    /// <summary>Parses "i/N".</summary>
    public static ShardSelector Parse(string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"shard '{text}' must be i/N with integers, i counted from 0 (e.g. 0/3, 1/3, 2/3)");
        return Create(i, n, $"shard {text.Trim()}");
    }

    public static ShardSelector Create(int index, int count, string source)
    {
        if (count < 1) throw new ArgumentException($"{source}: the shard count must be at least 1 (got {count})");
        if (index < 0 || index >= count) throw new ArgumentException($"{source}: shard index {index} is outside 0..{count - 1} (indices count from 0)");
        return new ShardSelector(index, count);
    }

    /// <summary>
    /// An explicit "i/N" wins; else a shard count N with the index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job);
    /// else SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (array jobs submitted as --array=0-(N-1)); else everything.
    /// </summary>
    public static ShardSelector Resolve(string? shard, int? shardCount, Func<string, string?>? environment = null)
    {
        if (string.IsNullOrWhiteSpace(shard)) return FromEnvironment(shardCount, environment);
        var parsed = Parse(shard.Trim());
        if (shardCount is not null && shardCount != parsed.Count)
            throw new ArgumentException($"shard {shard} disagrees with the shard count {shardCount}");
        return parsed;
    }

    /// <summary>The shard a scheduler assigned this process: <paramref name="shardCount"/> with the index from its environment.</summary>
    public static ShardSelector FromEnvironment(int? shardCount, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (shardCount is not null)
        {
            string? k8s = environment("JOB_COMPLETION_INDEX");
            string? slurm = environment("SLURM_ARRAY_TASK_ID");
            string? indexText = !string.IsNullOrWhiteSpace(k8s) ? k8s : slurm;
            string source = !string.IsNullOrWhiteSpace(k8s) ? "JOB_COMPLETION_INDEX" : "SLURM_ARRAY_TASK_ID";
            if (string.IsNullOrWhiteSpace(indexText))
                throw new ArgumentException($"a shard count ({shardCount}) needs the shard index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, or an explicit i/N");
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
