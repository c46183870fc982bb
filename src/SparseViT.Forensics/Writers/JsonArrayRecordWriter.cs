using System.Text;
using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// A JSON array of records, one record per line, streamed into a temporary file and moved over the target on
/// <see cref="Complete"/>/Dispose. A crash leaves the previous file untouched; a disposed writer always leaves a
/// valid array of what was written.
/// </summary>
public sealed class JsonArrayRecordWriter : IRecordWriter
{
    private static readonly byte[] Separator = ",\n"u8.ToArray();
    private readonly AtomicFile _file;
    private bool _any, _completed;

    public JsonArrayRecordWriter(string path)
    {
        _file = AtomicFile.Create(path);
        _file.Stream.Write("[\n"u8);
    }

    public string Path => _file.Path;

    public void Write(ForensicRecord record)
    {
        if (_completed) throw new InvalidOperationException($"{Path}: the writer is complete.");
        if (_any) _file.Stream.Write(Separator);
        _file.Stream.Write(ForensicRecordJson.SerializeToUtf8Bytes(record));
        _any = true;
    }

    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _file.Stream.Write(Encoding.UTF8.GetBytes(_any ? "\n]\n" : "]\n"));
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
