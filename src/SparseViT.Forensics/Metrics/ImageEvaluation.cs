using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// One image scored by the model and, when it is manipulated, measured against its mask at the original size. An
/// image without a mask, or whose mask marks nothing, is authentic: it has no pixel metrics (see
/// <see cref="PixelMetricsSummary"/>) and counts only at image level.
/// </summary>
/// <param name="Score">The map's maximum; a report ranks by its own image score of <paramref name="Scores"/>.</param>
public sealed record ImageEvaluation(string ImagePath, string? MaskPath, double Score, MaskScores Scores, bool IsManipulated, PixelMetrics? Pixel)
{

    /// <summary>Decodes the image, predicts its map, scores it, and compares the original-size map with a non-empty mask.</summary>
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
        var scores = MaskScorer.Score(map, new MaskScoringOptions { Threshold = threshold });
        bool manipulated = truth is { IsEmpty: false };
        return new ImageEvaluation(imagePath, maskPath, scores.Max, scores, manipulated,
            manipulated ? PixelMetrics.Compute(map.ToOriginalSize(), truth!, threshold) : null);
    }
}
