using SparseViT.Engine.Imaging;

namespace SparseViT.Forensics.Scanning;

public sealed record ScanEnumerationOptions
{
    /// <summary>Descend into sub-folders of folder arguments (symbolic links to folders are not followed: no cycles).</summary>
    public bool Recurse { get; init; }

    /// <summary>Extensions (lower case, with dot) a file found inside a folder must have; explicit file arguments are always taken.</summary>
    public IReadOnlySet<string> ImageExtensions { get; init; } = DefaultExtensions;

    /// <summary>Reader for the "-" argument (one path per line); stdin when null.</summary>
    public TextReader? Stdin { get; init; }

    /// <summary>The extensions of every format the decoder reads (<see cref="ImageFormat.Readable"/>).</summary>
    public static IReadOnlySet<string> DefaultExtensions => ImageFormat.ReadableExtensions;

    /// <summary>The extensions of <paramref name="formats"/>, with their dots; every readable format's when null.</summary>
    public static IReadOnlySet<string> ExtensionsOf(IEnumerable<ImageFormat>? formats) => formats is null
        ? DefaultExtensions
        : new HashSet<string>(formats.SelectMany(f => f.Extensions).Select(e => "." + e), StringComparer.OrdinalIgnoreCase);
}
