using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Imaging;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>thumbnail-mismatch</c> (high): the embedded EXIF thumbnail does not show the same picture as the image
/// (see <see cref="ThumbnailComparison"/>): mean difference above <see cref="EvidenceOptions.ThumbnailMeanDifference"/>
/// or worst 8×8 block above <see cref="EvidenceOptions.ThumbnailBlockDifference"/>. Editors that rewrite the image
/// but copy the camera's EXIF leave the original preview behind. Needs the decoded image.
/// </summary>
public sealed class ThumbnailMismatchRule(EvidenceOptions options) : IEvidenceRule
{
    public string Id => IndicatorIds.ThumbnailMismatch;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Image is not { } image || context.Metadata.Thumbnail?.Bytes is not { } bytes) return null;
        RgbImage thumbnail;
        try
        {
            thumbnail = SkiaCodec.DecodeRgb(bytes, $"{context.Path}: EXIF thumbnail");
        }
        catch (InvalidDataException)
        {
            return null; // reported as a metadata warning already
        }
        var comparison = ThumbnailComparison.Compare(thumbnail, image, options.AspectTolerance);
        bool meanExceeded = comparison.MeanDifference > options.ThumbnailMeanDifference;
        bool blockExceeded = comparison.MaxBlockDifference > options.ThumbnailBlockDifference;
        if (!meanExceeded && !blockExceeded) return null;
        string what = meanExceeded
            ? $"differs from the image by {comparison.MeanDifference:0.#} levels on average (limit {options.ThumbnailMeanDifference})"
            : $"differs from the image by {comparison.MaxBlockDifference:0.#} levels in one area (limit {options.ThumbnailBlockDifference})";
        return new EvidenceIndicator(Id, Severity.High,
            $"The embedded EXIF thumbnail {what}: the picture was changed after the thumbnail was made.",
            new Dictionary<string, object?>
            {
                ["thumbnailWidth"] = comparison.ThumbnailWidth,
                ["thumbnailHeight"] = comparison.ThumbnailHeight,
                ["thumbnailAspect"] = comparison.ThumbnailAspect,
                ["imageAspect"] = comparison.ImageAspect,
                ["comparison"] = comparison.Mode,
                ["meanDifference"] = comparison.MeanDifference,
                ["maxBlockDifference"] = comparison.MaxBlockDifference,
                ["meanLimit"] = options.ThumbnailMeanDifference,
                ["blockLimit"] = options.ThumbnailBlockDifference,
            });
    }
}
