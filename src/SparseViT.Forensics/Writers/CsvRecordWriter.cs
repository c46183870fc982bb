using CsvHelper;
using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// RFC 4180 CSV (comma, CRLF, double-quote escaping, UTF-8 without BOM) of <see cref="ForensicRecordColumns"/>,
/// written atomically like <see cref="JsonArrayRecordWriter"/>. Text that a spreadsheet would run as a formula
/// (starting with = + - @, tab or CR) is prefixed with an apostrophe; metadata is attacker-controlled, so a
/// Software tag of =HYPERLINK(…) must stay text. Numbers are written by us, not taken from the file, and stay
/// numbers (a negative longitude is not a formula).
/// </summary>
public sealed class CsvRecordWriter : IRecordWriter
{
    private readonly AtomicFile _file;
    private readonly CsvWriter _csv;
    private bool _completed;

    public CsvRecordWriter(string path)
    {
        _file = AtomicFile.Create(path);
        // The defaults are RFC 4180 (comma, CRLF, quotes when needed, no BOM) and leave injection to Cell,
        // which knows which values are text.
        _csv = CsvWriter.Create(_file.Stream, CsvWriterOptions.Default, leaveOpen: true);
        foreach (var name in ForensicRecordColumns.Names) _csv.WriteField(name);
        _csv.EndRecord();
    }

    public string Path => _file.Path;

    public void Write(ForensicRecord record)
    {
        if (_completed) throw new InvalidOperationException($"{Path}: the writer is complete.");
        foreach (var column in ForensicRecordColumns.All) _csv.WriteField(Cell(column.Value(record)));
        _csv.EndRecord();
    }

    /// <summary>The text of one cell, neutralised against formula injection when it is text.</summary>
    public static string Cell(object? value)
    {
        string text = ForensicRecordColumns.FormatValue(value);
        bool numeric = value is not null and not string and IFormattable; // numbers and dates: a leading '-' is a sign, not a formula
        return !numeric && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }

    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _csv.Dispose(); // flushes into the temporary file, which stays open for the commit
        _file.Commit();
    }

    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            _file.Dispose();
        }
    }
}
