namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>exif-dimension-mismatch</c> (medium): the Exif IFD's PixelXDimension × PixelYDimension is neither the
/// decoded size nor its transpose. Editors that crop or resize often keep the camera's values.
/// </summary>
public sealed class ExifDimensionMismatchRule : IEvidenceRule
{
    public string Id => IndicatorIds.ExifDimensionMismatch;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.ExifWidth is not { } w || context.Metadata.ExifHeight is not { } h || w <= 0 || h <= 0) return null;
        // A transposed pair is how some writers record a rotated capture, not an edit.
        if ((w == context.Width && h == context.Height) || (w == context.Height && h == context.Width)) return null;
        return new EvidenceIndicator(Id, Severity.Medium,
            $"EXIF says the image is {w}×{h} but it is {context.Width}×{context.Height}: it was cropped or resized after the EXIF was written.",
            new Dictionary<string, object?>
            {
                ["exifWidth"] = w,
                ["exifHeight"] = h,
                ["width"] = context.Width,
                ["height"] = context.Height,
            });
    }
}
