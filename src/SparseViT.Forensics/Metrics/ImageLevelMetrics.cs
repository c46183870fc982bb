using SparseViT.Engine.Metrics;
using SparseViT.Forensics.Calibration;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// Dataset-level detection scores from per-image scores: ROC AUC over all images (null without both classes), and at
/// <see cref="Threshold"/> (an image is called manipulated when its score is above it) the confusion counts, accuracy,
/// balanced accuracy (mean of TPR and 1 − FPR, so a set of mostly one class cannot flatter it), FPR, TPR and F1.
/// </summary>
public sealed record ImageLevelMetrics(int Images, int Manipulated, int Authentic, double? Auc, double Threshold,
    double Accuracy, double? BalancedAccuracy, double? FalsePositiveRate, double? TruePositiveRate, double F1,
    long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>Which image score the numbers are for ("max" without a calibration).</summary>
    public string ScoreFunction { get; init; } = "max";

    /// <summary>The calibration's thresholds (manipulated, suspicious) applied to this data, with counts and 95 % intervals; empty when uncalibrated.</summary>
    public IReadOnlyList<OperatingPoint> OperatingPoints { get; init; } = [];

    /// <summary>Every candidate image score's AUC on this data, for comparison with the one in use.</summary>
    public IReadOnlyList<ScoreFunctionCandidate> Candidates { get; init; } = [];

    public static ImageLevelMetrics Compute(IReadOnlyList<ImageScore> images, double threshold = 0.5)
    {
        if (images.Count == 0) throw new ArgumentException("no images to score.", nameof(images));
        long tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var image in images)
        {
            bool predicted = image.Score > threshold;
            if (predicted) { if (image.IsManipulated) tp++; else fp++; }
            else { if (image.IsManipulated) fn++; else tn++; }
        }
        int manipulated = images.Count(i => i.IsManipulated), authentic = images.Count - manipulated;
        double? tpr = manipulated > 0 ? (double)tp / manipulated : null, fpr = authentic > 0 ? (double)fp / authentic : null;
        return new ImageLevelMetrics(images.Count, manipulated, authentic,
            RocAuc.Compute(images.Select(i => i.Score).ToArray(), images.Select(i => i.IsManipulated).ToArray()), threshold,
            (double)(tp + tn) / images.Count, tpr is { } t && fpr is { } f ? (t + 1 - f) / 2 : null, fpr, tpr,
            new PixelConfusion(tp, fp, fn, tn).F1(EmptyMaskScore.Zero), tp, fp, fn, tn);
    }
}
