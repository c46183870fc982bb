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
    public const string C2paSignatureInvalid = "c2pa-signature-invalid";
    public const string C2paContentModifiedAfterSigning = "c2pa-content-modified-after-signing";
    public const string C2paAiGenerated = "c2pa-ai-generated";
    public const string C2paEdited = "c2pa-edited";
    public const string C2paUntrustedSigner = "c2pa-untrusted-signer";
    public const string C2paValidCameraCapture = "c2pa-valid-camera-capture";
    public const string C2paManifestUnreadable = "c2pa-manifest-unreadable";
    public const string C2paManifestStripped = "c2pa-manifest-stripped";
}
