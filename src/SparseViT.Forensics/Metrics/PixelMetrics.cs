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
        long tp = 0, fp = 0, fn = 0, tn = 0;
        long itp = 0, ifp = 0, ifn = 0; // the inverted prediction 1 − p
        for (int i = 0; i < probabilities.Length; i++)
        {
            bool positive = probabilities[i] > threshold, inverted = 1f - probabilities[i] > threshold, actual = truth.Manipulated[i];
            if (positive) { if (actual) tp++; else fp++; }
            else { if (actual) fn++; else tn++; }
            if (inverted) { if (actual) itp++; else ifp++; }
            else if (actual) ifn++;
        }
        double f1 = F1Score(tp, fp, fn);
        return new PixelMetrics(
            F1: f1,
            InvariantF1: Math.Max(f1, F1Score(itp, ifp, ifn)),
            IoU: tp + fp + fn == 0 ? 0 : (double)tp / (tp + fp + fn),
            Accuracy: (double)(tp + tn) / probabilities.Length,
            Auc: RocAuc.Compute(probabilities, truth.Manipulated),
            tp, fp, fn, tn);
    }

    internal static double F1Score(long tp, long fp, long fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
}

/// <summary>Per-image pixel metrics averaged over a dataset (the field's way of reporting them).</summary>
public sealed record PixelMetricsSummary(int Images, double F1, double InvariantF1, double IoU, double Accuracy, double? Auc, int ImagesWithAuc)
{
    public static PixelMetricsSummary Average(IReadOnlyCollection<PixelMetrics> images)
    {
        if (images.Count == 0) throw new ArgumentException("no images to average.", nameof(images));
        var aucs = images.Where(m => m.Auc is not null).Select(m => m.Auc!.Value).ToArray();
        return new PixelMetricsSummary(
            images.Count,
            images.Average(m => m.F1),
            images.Average(m => m.InvariantF1),
            images.Average(m => m.IoU),
            images.Average(m => m.Accuracy),
            aucs.Length == 0 ? null : aucs.Average(),
            aucs.Length);
    }
}
