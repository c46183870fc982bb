namespace SparseViT.Forensics.Scanning;

public sealed record ScanEnumerationOptions
{
    /// <summary>Descend into sub-folders of folder arguments (symbolic links to folders are not followed: no cycles).</summary>
    public bool Recurse { get; init; }

    /// <summary>Extensions (lower case, with dot) a file found inside a folder must have; explicit file arguments are always taken.</summary>
    public IReadOnlySet<string> ImageExtensions { get; init; } = DefaultExtensions;

    /// <summary>Reader for the "-" argument (one path per line); stdin when null.</summary>
    public TextReader? Stdin { get; init; }

    public static IReadOnlySet<string> DefaultExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".ico", ".wbmp",
    };
}
