namespace SparseViT.Forensics.Writers;

/// <summary>
/// Writes a file so readers see either the old content or the complete new one: everything goes to a hidden
/// temporary file in the same folder (so the final rename stays on one volume, where it is atomic) and replaces
/// the target only on <see cref="Commit"/>. Disposing without committing deletes the temporary file.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly FileStream _stream;
    private bool _done;

    private AtomicFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(Path) ?? ".";
        Directory.CreateDirectory(folder);
        TempPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{Path}: cannot create a temporary file next to it ({e.Message}).", e);
        }
    }

    public string Path { get; }
    public string TempPath { get; }
    public Stream Stream => _done ? throw new ObjectDisposedException(Path) : _stream;

    public static AtomicFile Create(string path) => new(path);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>Flushes to disk and moves the temporary file over the target.</summary>
    public void Commit()
    {
        if (_done) throw new InvalidOperationException($"{Path}: already committed or abandoned.");
        _done = true;
        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(TempPath, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete();
            throw new IOException($"{Path}: cannot replace the file ({e.Message}).", e);
        }
    }

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _stream.Dispose();
        TryDelete();
    }

    private void TryDelete()
    {
        try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
