using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Reports;

/// <summary>
/// What a report says about the run as a whole: the tool, when it ran, the level that fails a CI gate, and the folder
/// file locations are reported relative to (the records' common folder when not given).
/// </summary>
public sealed record ReportRun
{
    public string ToolName { get; init; } = "sparsevit";
    public string ToolVersion { get; init; } = typeof(ReportRun).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>manipulated, suspicious, error or never: a record at or above it is a failure (JUnit) / an error-level result (SARIF).</summary>
    public string FailOn { get; init; } = "manipulated";
    public string? ScanRoot { get; init; }

    /// <summary>True when the record fails the gate: its verdict reaches <see cref="FailOn"/> (errors are counted apart).</summary>
    public bool Fails(ForensicRecord record) => record.Status == RecordStatus.Ok && FailOn switch
    {
        "manipulated" => record.Verdict == Verdicts.Verdict.Manipulated,
        "suspicious" => record.Verdict is Verdicts.Verdict.Manipulated or Verdicts.Verdict.Suspicious,
        _ => false,
    };

    /// <summary>The folder paths are given relative to: <see cref="ScanRoot"/>, else the deepest folder holding every record.</summary>
    public string RootFor(IReadOnlyList<ForensicRecord> records)
    {
        if (ScanRoot is { } root) return Path.GetFullPath(root);
        var folders = records.Select(r => Path.GetDirectoryName(Path.GetFullPath(r.Path)) ?? "/").ToList();
        if (folders.Count == 0) return Directory.GetCurrentDirectory();
        string common = folders[0];
        foreach (string folder in folders.Skip(1))
            while (!(folder + "/").StartsWith(common.TrimEnd('/') + "/", StringComparison.Ordinal))
                common = Path.GetDirectoryName(common) ?? "/";
        return common;
    }

    public static string Relative(string root, string path) => Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/');
}
