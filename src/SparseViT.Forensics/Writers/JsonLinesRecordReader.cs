using System.Text;
using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// Reads a JSON Lines file of records (for merge and resume). A last line without its newline is a write torn by
/// a crash (<see cref="JsonLinesRecordWriter"/> always ends a record with one) and is skipped; any other bad line
/// is an error naming the file and line.
/// </summary>
public static class JsonLinesRecordReader
{
    public static IReadOnlyList<ForensicRecord> ReadAll(string path) => ReadAll(path, out _);

    public static IReadOnlyList<ForensicRecord> ReadAll(string path, out bool skippedTornLine)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = new List<ForensicRecord>();
        skippedTornLine = false;
        int lineNumber = 0, start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            lineNumber++;
            if (newline < 0)
            {
                skippedTornLine = text.AsSpan(start).Trim().Length > 0;
                break;
            }
            var line = text.AsSpan(start, newline - start).TrimEnd('\r');
            if (!line.IsWhiteSpace()) records.Add(ForensicRecordJson.Deserialize(line.ToString(), $"{path} line {lineNumber}"));
            start = newline + 1;
        }
        return records;
    }
}
