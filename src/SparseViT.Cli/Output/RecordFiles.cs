using SparseViT.Forensics.Records;
using SparseViT.Forensics.Writers;

namespace SparseViT.Cli.Output;

/// <summary>Reads JSONL record files as merge and report take them: one record per path, the most recent scan winning, sorted by path.</summary>
internal static class RecordFiles
{
    public static IReadOnlyList<ForensicRecord> ReadLatest(IEnumerable<string> files, CliConsole console, bool quiet) => ReadLatest(files, console, quiet, out _);

    public static IReadOnlyList<ForensicRecord> ReadLatest(IEnumerable<string> files, CliConsole console, bool quiet, out int read)
    {
        var latest = new Dictionary<string, ForensicRecord>(StringComparer.Ordinal);
        read = 0;
        foreach (string file in files)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such record file");
            var records = JsonLinesRecordReader.ReadAll(file, out bool torn);
            if (torn && !quiet) console.Warn($"{file}: ignored a torn last line (a scan was killed while writing it)");
            foreach (var record in records)
            {
                read++;
                if (!latest.TryGetValue(record.Path, out var existing) || record.ScannedAt >= existing.ScannedAt) latest[record.Path] = record;
            }
        }
        return latest.Values.OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
    }
}
