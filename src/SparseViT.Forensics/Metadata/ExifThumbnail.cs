using System.Text.Json.Serialization;

namespace SparseViT.Forensics.Metadata;

/// <summary>The EXIF IFD1 thumbnail. Bytes stay out of records; only the shape is reported.</summary>
public sealed record ExifThumbnail
{
    public int? Width { get; init; }
    public int? Height { get; init; }
    public int LengthBytes { get; init; }

    [JsonIgnore]
    public byte[]? Bytes { get; init; }
}
