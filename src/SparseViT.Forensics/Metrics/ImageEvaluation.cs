using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;

namespace SparseViT.Forensics.Metrics;

/// <summary>One image scored by the model and, when it has a mask, measured against it at the original size.</summary>
public sealed record ImageEvaluation(string ImagePath, string? MaskPath, double Score, PixelMetrics? Pixel)
{
    /// <summary>Image-level truth: a mask with manipulated pixels; an image without a mask counts as authentic.</summary>
    public bool IsManipulated => Pixel is { } p && p.TruePositives + p.FalseNegatives > 0;

    public ImageScore ToImageScore() => new(Score, IsManipulated);

    /// <summary>
    /// Decodes the image, predicts its map and compares the original-size map with the mask (binarized as
    /// <see cref="GroundTruthMask"/> does). The image-level score is the map's maximum, the field's convention.
    /// </summary>
    /// <exception cref="GroundTruthSizeMismatchException">The mask's size differs from the image's.</exception>
    public static ImageEvaluation Measure(SparseViTPredictor predictor, string imagePath, string? maskPath, double threshold)
    {
        var decoded = ImageDecoder.Decode(imagePath);
        GroundTruthMask? truth = null;
        if (maskPath is not null)
        {
            truth = GroundTruthMask.Load(maskPath);
            if (truth.Width != decoded.Width || truth.Height != decoded.Height)
                throw new GroundTruthSizeMismatchException($"{maskPath}: the mask is {truth.Width}x{truth.Height} but the image is {decoded.Width}x{decoded.Height}");
        }
        var map = predictor.Predict(decoded.Image);
        double score = map.Values.Max();
        return new ImageEvaluation(imagePath, maskPath, score, truth is null ? null : PixelMetrics.Compute(map.ToOriginalSize(), truth, threshold));
    }
}
