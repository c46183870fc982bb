using System.Text;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Reports;
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
    private readonly string? _bufferTemp;
    private IRecordWriter? _bufferedWriter;
    private bool _first = true;
    private bool _completed;

    private RecordSink(string format, IRecordWriter? file, Stream? stdout, string? bufferTemp)
    {
        _format = format;
        _file = file;
        _stdout = stdout;
        _bufferTemp = bufferTemp;
    }

    public static RecordSink Open(string format, string? output, bool append, Stream stdout, ReportRun? run = null)
    {
        if (!string.IsNullOrEmpty(output) && output != "-")
        {
            string full = Path.GetFullPath(output);
            if (Directory.Exists(full)) throw new IOException($"--output '{output}' is a directory");
            return new RecordSink(format, RecordWriterFactory.Create(format, full, append, run), null, null);
        }
        if (format == "html") throw new IOException("--format html needs --output FILE (its pictures may go to a folder beside it)");
        // CSV, SARIF and JUnit writers own their whole-file rules; on stdout they write a temporary file copied out at the end.
        string? temp = format is "csv" or "sarif" or "junit" ? Path.Combine(Path.GetTempPath(), $"sparsevit-{Environment.ProcessId}-{Guid.NewGuid():N}.{format}") : null;
        return new RecordSink(format, null, stdout, temp) { _run = run };
    }

    private ReportRun? _run;

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
                (_bufferedWriter ??= RecordWriterFactory.Create(_format, _bufferTemp!, run: _run)).Write(record);
                break;
        }
        _first = false;
    }

    public void Complete()
    {
        _completed = true;
        if (_file is not null) { _file.Complete(); return; }
        if (_format == "json") WriteBytes(Encoding.UTF8.GetBytes(_first ? "[]\n" : "\n]\n"));
        if (_bufferTemp is not null)
        {
            (_bufferedWriter ??= RecordWriterFactory.Create(_format, _bufferTemp, run: _run)).Complete();
            using (var temp = File.OpenRead(_bufferTemp!)) temp.CopyTo(_stdout!);
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
            _bufferedWriter?.Dispose();
        }
        if (_bufferTemp is not null) try { File.Delete(_bufferTemp); } catch (IOException) { }
        _stdout?.Flush();
    }
}
