namespace SparseViT.PowerShell.Cmdlets;

/// <summary>The exception inside a per-file scan ErrorRecord: carries the library's code and the file.</summary>
public sealed class ImageScanException(string message, string? code, string path) : IOException(message)
{
    public string? Code { get; } = code;
    public string Path { get; } = path;
}
