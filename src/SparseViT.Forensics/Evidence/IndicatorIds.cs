namespace SparseViT.Forensics.Evidence;

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
