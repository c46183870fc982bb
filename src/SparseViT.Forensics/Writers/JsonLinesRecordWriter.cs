using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// One record per line (JSON Lines), appended and flushed record by record, for long scans and resume. Each
/// record and its newline go to the operating system in a single write, so a killed process leaves whole lines
/// plus, at worst, one torn last line without its newline. Opening in append mode cuts such a torn tail off
/// before writing, and <see cref="JsonLinesRecordReader"/> ignores it.
/// </summary>
public sealed class JsonLinesRecordWriter : IRecordWriter
{
    private readonly FileStream _stream;

    /// <param name="append">Keep existing records (resume); otherwise the file is replaced.</param>
    public JsonLinesRecordWriter(string path, bool append = true)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
        try
        {
            _stream = new FileStream(Path, append ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{Path}: cannot open for writing ({e.Message}).", e);
        }
        RepairedBytes = CutTornTail(_stream);
        _stream.Seek(0, SeekOrigin.End);
    }

    public string Path { get; }

    /// <summary>Bytes of a torn last line removed when the file was opened (0 when it ended cleanly).</summary>
    public long RepairedBytes { get; }

    public void Write(ForensicRecord record)
    {
        var json = ForensicRecordJson.SerializeToUtf8Bytes(record);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        _stream.Write(line, 0, line.Length);
        _stream.Flush();
    }

    public void Complete() => _stream.Flush(flushToDisk: true);

    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    /// <summary>Truncates the file after its last newline; returns how many bytes were cut.</summary>
    private static long CutTornTail(FileStream stream)
    {
        long length = stream.Length;
        if (length == 0) return 0;
        var buffer = new byte[64 * 1024];
        long end = length;
        while (end > 0)
        {
            int count = (int)Math.Min(buffer.Length, end);
            stream.Seek(end - count, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, count);
            int newline = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (newline >= 0)
            {
                long keep = end - count + newline + 1;
                if (keep != length) stream.SetLength(keep);
                return length - keep;
            }
            end -= count;
        }
        stream.SetLength(0);
        return length;
    }
}
