using System.Text;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Writers;

namespace SparseViT.Cli.Output;

/// <summary>
/// Where records go: the library's writers for files (atomic json/csv, appending jsonl), a streaming writer for
/// stdout. JSONL on stdout is written and flushed line by line so a pipe consumer sees records as they come.
/// </summary>
internal sealed class RecordSink : IDisposable
{
    private readonly IRecordWriter? _file;
    private readonly Stream? _stdout;
    private readonly string _format;
    private readonly string? _csvTemp;
    private IRecordWriter? _csvWriter;
    private bool _first = true;
    private bool _completed;

    private RecordSink(string format, IRecordWriter? file, Stream? stdout, string? csvTemp)
    {
        _format = format;
        _file = file;
        _stdout = stdout;
        _csvTemp = csvTemp;
    }

    public static RecordSink Open(string format, string? output, bool append, Stream stdout)
    {
        if (!string.IsNullOrEmpty(output) && output != "-")
        {
            string full = Path.GetFullPath(output);
            if (Directory.Exists(full)) throw new IOException($"--output '{output}' is a directory");
            return new RecordSink(format, RecordWriterFactory.Create(format, full, append), null, null);
        }
        // The CSV writer owns header and quoting rules; on stdout it writes to a temporary file copied out at the end.
        string? temp = format == "csv" ? Path.Combine(Path.GetTempPath(), $"sparsevit-{Environment.ProcessId}-{Guid.NewGuid():N}.csv") : null;
        return new RecordSink(format, null, stdout, temp);
    }

    public void Write(ForensicRecord record)
    {
        if (_file is not null) { _file.Write(record); return; }
        switch (_format)
        {
            case "jsonl":
                WriteBytes(ForensicRecordJson.SerializeToUtf8Bytes(record));
                WriteBytes("\n"u8.ToArray());
                _stdout!.Flush();
                break;
            case "json":
                WriteBytes(Encoding.UTF8.GetBytes(_first ? "[\n" : ",\n"));
                WriteBytes(Encoding.UTF8.GetBytes(ForensicRecordJson.Serialize(record, indented: true)));
                break;
            default:
                (_csvWriter ??= RecordWriterFactory.Create("csv", _csvTemp!)).Write(record);
                break;
        }
        _first = false;
    }

    public void Complete()
    {
        _completed = true;
        if (_file is not null) { _file.Complete(); return; }
        if (_format == "json") WriteBytes(Encoding.UTF8.GetBytes(_first ? "[]\n" : "\n]\n"));
        if (_format == "csv")
        {
            (_csvWriter ??= RecordWriterFactory.Create("csv", _csvTemp!)).Complete();
            using (var temp = File.OpenRead(_csvTemp!)) temp.CopyTo(_stdout!);
        }
        _stdout?.Flush();
    }

    private void WriteBytes(byte[] bytes) => _stdout!.Write(bytes, 0, bytes.Length);

    public void Dispose()
    {
        // A completed writer has closed its file; disposing it again is only needed on the failure path.
        if (!_completed)
        {
            _file?.Dispose();
            _csvWriter?.Dispose();
        }
        if (_csvTemp is not null) try { File.Delete(_csvTemp); } catch (IOException) { }
        _stdout?.Flush();
    }
}
