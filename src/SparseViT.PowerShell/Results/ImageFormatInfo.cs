using SparseViT.Engine.Imaging;

namespace SparseViT.PowerShell;

/// <summary>
/// A format the cmdlets read (Get-SparseViTImageFormat). <see cref="Include"/> holds wildcards for
/// Get-ChildItem -Include, so a folder walk picks up exactly what the scanner reads.
/// </summary>
public sealed class ImageFormatInfo
{
    internal ImageFormatInfo(ImageFormat format)
    {
        Id = format.Id;
        Name = format.Name;
        MimeType = format.MimeType;
        Extensions = [.. format.Extensions.Select(e => "." + e)];
        Include = [.. format.Extensions.Select(e => "*." + e)];
        Decoder = format.Codec.LibraryName();
        Reference = format.Reference;
    }

    public string Id { get; }
    public string Name { get; }
    public string MimeType { get; }
    public string[] Extensions { get; }
    public string[] Include { get; }
    public string Decoder { get; }
    public string Reference { get; }

    public override string ToString() => Id;
}
