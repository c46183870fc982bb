using System.Text.Json.Serialization;
using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Metadata;

/// <summary>
/// What an image file says about itself. Every field is optional because any of it can be stripped or forged;
/// indicators compare these claims with each other and with the pixels. Dates are the camera's local clock
/// (EXIF stores no zone), so they are only compared with each other.
/// </summary>
public sealed record ImageMetadata
{
    /// <summary>Format found from the file's signature (e.g. "JPEG", "PNG"), not from its name.</summary>
    public string? DetectedFormat { get; init; }
    public string? MimeType { get; init; }

    /// <summary>The file name's extension, lower case without the dot; null when there is none.</summary>
    public string? FileExtension { get; init; }

    /// <summary>Extensions usual for <see cref="DetectedFormat"/>.</summary>
    public IReadOnlyList<string> ExpectedExtensions { get; init; } = [];

    /// <summary>False when the extension is not one of <see cref="ExpectedExtensions"/>; null when either is unknown.</summary>
    public bool? ExtensionMatchesFormat { get; init; }

    public bool HasExif { get; init; }
    public string? Make { get; init; }
    public string? Model { get; init; }
    public string? Software { get; init; }
    public DateTime? DateTimeOriginal { get; init; }
    public DateTime? DateTimeDigitized { get; init; }

    /// <summary>IFD0 DateTime: when the file was last changed, according to whatever wrote it.</summary>
    public DateTime? DateTimeModified { get; init; }

    public GpsPosition? Gps { get; init; }

    /// <summary>EXIF orientation 1..8 (1 = as stored).</summary>
    public int? Orientation { get; init; }

    /// <summary>PixelXDimension / PixelYDimension from the Exif IFD.</summary>
    public int? ExifWidth { get; init; }
    public int? ExifHeight { get; init; }

    public ExifThumbnail? Thumbnail { get; init; }

    /// <summary>XMP xmp:CreatorTool.</summary>
    public string? CreatorTool { get; init; }

    /// <summary>XMP xmpMM:History events, oldest first.</summary>
    public IReadOnlyList<EditHistoryEvent> EditHistory { get; init; } = [];

    public string? IccProfileDescription { get; init; }

    /// <summary>JPEG only: quantization tables and the estimated IJG quality.</summary>
    public JpegQuantization? Quantization { get; init; }

    /// <summary>The embedded C2PA manifest store, verified; written as the record's own <c>provenance</c> section.</summary>
    [JsonIgnore]
    public ProvenanceReport? Provenance { get; init; }

    /// <summary>Parts of the metadata that could not be read, each naming the problem.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the file names the device that captured it (EXIF Make or Model).</summary>
    [JsonIgnore]
    public bool HasCameraMetadata => !string.IsNullOrWhiteSpace(Make) || !string.IsNullOrWhiteSpace(Model);
}
