namespace SparseViT.Forensics.Writers;

/// <summary>Output formats by name, as the CLI's and cmdlets' -Format take them.</summary>
public static class RecordWriterFactory
{
    public static IReadOnlyList<string> Formats { get; } = ["json", "jsonl", "csv"];

    /// <param name="format">"json" (array), "jsonl" (one record per line) or "csv".</param>
    /// <param name="append">jsonl only: keep existing records (resume); json and csv always replace the file atomically.</param>
    public static IRecordWriter Create(string format, string path, bool append = false) => format.ToLowerInvariant() switch
    {
        "json" => new JsonArrayRecordWriter(path),
        "jsonl" or "ndjson" => new JsonLinesRecordWriter(path, append),
        "csv" => new CsvRecordWriter(path),
        _ => throw new ArgumentException($"{path}: unknown output format '{format}' (expected {string.Join(", ", Formats)})."),
    };

    /// <summary>The format a path's extension implies (.json, .jsonl/.ndjson, .csv), or null.</summary>
    public static string? FormatFromExtension(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "json",
        ".jsonl" or ".ndjson" => "jsonl",
        ".csv" => "csv",
        _ => null,
    };
}
