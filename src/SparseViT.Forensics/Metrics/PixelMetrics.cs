using SparseViT.Engine.Metrics;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// Pixel-level scores of one predicted map against its ground truth, with IMDL-BenCo's conventions: a pixel is
/// predicted manipulated when p &gt; threshold (strictly, as their evaluators do); F1 and IoU are 0 when there is
/// nothing to find and nothing found (so an authentic image counts 0 towards the average, as the field reports it);
/// <see cref="Auc"/> is null when the ground truth has a single class (ROC undefined).
/// </summary>
public sealed record PixelMetrics(
    double F1, double InvariantF1, double IoU, double Accuracy, double? Auc,
    long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <param name="probabilities">Row-major, same size as the ground truth (i.e. at original size).</param>
    public static PixelMetrics Compute(ReadOnlySpan<float> probabilities, GroundTruthMask truth, double threshold = 0.5)
    {
        if (probabilities.Length != truth.Manipulated.Length)
            throw new ArgumentException($"the prediction has {probabilities.Length} pixels but the ground truth is {truth.Width}x{truth.Height}.");
        var counts = PixelConfusion.Count(probabilities, truth.Manipulated, threshold);
        long itp = 0, ifp = 0, ifn = 0; // the inverted prediction 1 − p
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (1f - probabilities[i] > threshold) { if (truth.Manipulated[i]) itp++; else ifp++; }
            else if (truth.Manipulated[i]) ifn++;
        }
        double f1 = counts.F1(EmptyMaskScore.Zero);
        return new PixelMetrics(
            F1: f1,
            InvariantF1: Math.Max(f1, new PixelConfusion(itp, ifp, ifn, 0).F1(EmptyMaskScore.Zero)),
            IoU: counts.IoU(EmptyMaskScore.Zero),
            Accuracy: counts.Accuracy,
            Auc: RocAuc.Compute(probabilities, truth.Manipulated),
            counts.TruePositives, counts.FalsePositives, counts.FalseNegatives, counts.TrueNegatives);
    }
}
