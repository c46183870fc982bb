using SparseViT.Forensics.Reports;

namespace SparseViT.Forensics.Writers;

/// <summary>Output formats by name, as the CLI's and cmdlets' -Format take them.</summary>
public static class RecordWriterFactory
{
    public static IReadOnlyList<string> Formats { get; } = ["json", "jsonl", "csv", "html", "sarif", "junit"];

    /// <summary>Formats written whole at the end (reports), which cannot stream to stdout line by line.</summary>
    public static IReadOnlyList<string> ReportFormats { get; } = ["html", "sarif", "junit"];

    /// <param name="format">"json" (array), "jsonl" (one record per line), "csv", or a report: "html", "sarif", "junit".</param>
    /// <param name="append">jsonl only: keep existing records (resume); the others always replace the file atomically.</param>
    /// <param name="run">For reports: the run's tool, times, fail-on level and scan root.</param>
    public static IRecordWriter Create(string format, string path, bool append = false, ReportRun? run = null) => format.ToLowerInvariant() switch
    {
        "json" => new JsonArrayRecordWriter(path),
        "jsonl" or "ndjson" => new JsonLinesRecordWriter(path, append),
        "csv" => new CsvRecordWriter(path),
        "html" => new HtmlReportWriter(path, run),
        "sarif" => new SarifReportWriter(path, run),
        "junit" => new JUnitReportWriter(path, run),
        _ => throw new ArgumentException($"{path}: unknown output format '{format}' (expected {string.Join(", ", Formats)})."),
    };

    /// <summary>The format a path's extension implies (.json, .jsonl/.ndjson, .csv, .html, .sarif, .xml for JUnit), or null.</summary>
    public static string? FormatFromExtension(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "json",
        ".jsonl" or ".ndjson" => "jsonl",
        ".csv" => "csv",
        ".html" or ".htm" => "html",
        ".sarif" => "sarif",
        ".xml" => "junit",
        _ => null,
    };
}
