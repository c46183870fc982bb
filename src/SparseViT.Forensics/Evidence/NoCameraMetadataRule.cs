namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>no-camera-metadata</c> (low): a JPEG that names no capturing device (no EXIF Make or Model). Cameras and
/// phones always write them; their absence means the file was re-created or stripped (also by most web services).
/// </summary>
public sealed class NoCameraMetadataRule : IEvidenceRule
{
    public string Id => IndicatorIds.NoCameraMetadata;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        var metadata = context.Metadata;
        if (metadata.DetectedFormat != "JPEG" || metadata.HasCameraMetadata) return null;
        return new EvidenceIndicator(Id, Severity.Low,
            metadata.HasExif
                ? "The JPEG has EXIF but no camera make or model: it was not written by a camera, or the camera fields were removed."
                : "The JPEG has no EXIF metadata at all: it was re-created or stripped after capture.",
            new Dictionary<string, object?>
            {
                ["hasExif"] = metadata.HasExif,
                ["software"] = metadata.Software,
            });
    }
}
