namespace SparseViT.Forensics.Evidence;

/// <summary>
/// One finding about a file. <see cref="Id"/> is stable across versions (scripts filter on it);
/// <see cref="Message"/> is for people; <see cref="Values"/> holds the raw facts the finding rests on.
/// </summary>
public sealed record EvidenceIndicator(string Id, Severity Severity, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>The stable indicator ids.</summary>
public static class IndicatorIds
{
    public const string EditingSoftware = "editing-software";
    public const string ModifiedAfterCapture = "modified-after-capture";
    public const string ExifDimensionMismatch = "exif-dimension-mismatch";
    public const string ThumbnailMismatch = "thumbnail-mismatch";
    public const string NoCameraMetadata = "no-camera-metadata";
    public const string ExtensionMismatch = "extension-mismatch";
    public const string EditorQuantization = "editor-quantization";
}
