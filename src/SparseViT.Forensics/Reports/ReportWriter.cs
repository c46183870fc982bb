using SparseViT.Forensics.Records;
using SparseViT.Forensics.Writers;

namespace SparseViT.Forensics.Reports;

/// <summary>
/// A report is written whole from all records (counts, sorting, summaries), so it collects them and replaces its file
/// atomically on <see cref="Complete"/>: an interrupted run leaves the previous report, never half of one.
/// </summary>
public abstract class ReportWriter(string path, ReportRun? run) : IRecordWriter
{
    private readonly List<ForensicRecord> _records = [];
    private bool _completed;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    protected IReadOnlyList<ForensicRecord> Records => _records;
    protected ReportRun Run { get; } = run ?? new ReportRun();

    public void Write(ForensicRecord record)
    {
        if (_completed) throw new InvalidOperationException($"{Path}: the report is complete.");
        _records.Add(record);
    }

    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        using var file = AtomicFile.Create(Path);
        WriteTo(file.Stream);
        file.Commit();
    }

    public void Dispose() => Complete();

    /// <summary>The whole report for <see cref="Records"/>.</summary>
    public abstract void WriteTo(Stream stream);
}
