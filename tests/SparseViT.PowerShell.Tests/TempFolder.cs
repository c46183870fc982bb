namespace SparseViT.PowerShell.Tests;

/// <summary>A scratch folder deleted after the test; the name has a space so path quoting bugs show.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sparsevit ps " + Guid.NewGuid().ToString("N")[..8]));

    public string Path { get; }

    public string Copy(string source, string name)
    {
        string target = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Copy(source, target);
        File.SetAttributes(target, FileAttributes.Normal);
        return target;
    }

    public string Write(string name, byte[] bytes)
    {
        string target = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, bytes);
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
