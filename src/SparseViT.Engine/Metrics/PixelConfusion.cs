namespace SparseViT.Engine.Metrics;

/// <summary>
/// Pixel counts of a binary prediction against a binary truth, and the scores made from them. The one definition of
/// pixel-F1 and IoU that training's held-out evaluation, the precision checks and ground-truth evaluation share.
/// </summary>
public readonly record struct PixelConfusion(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>2·TP / (2·TP + FP + FN); with no positive anywhere, <paramref name="empty"/> decides.</summary>
    public double F1(EmptyMaskScore empty) =>
        TruePositives + FalsePositives + FalseNegatives == 0
            ? (empty == EmptyMaskScore.One ? 1.0 : 0.0)
            : 2.0 * TruePositives / (2.0 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>TP / (TP + FP + FN); with no positive anywhere, <paramref name="empty"/> decides.</summary>
    public double IoU(EmptyMaskScore empty) =>
        TruePositives + FalsePositives + FalseNegatives == 0
            ? (empty == EmptyMaskScore.One ? 1.0 : 0.0)
            : (double)TruePositives / (TruePositives + FalsePositives + FalseNegatives);

    /// <summary>(TP + TN) / all pixels.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)(TruePositives + TrueNegatives) / Total;

    /// <summary>Counts of two byte masks (non-zero = positive) of the same length.</summary>
    public static PixelConfusion Count(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth)
    {
        if (predicted.Length != truth.Length) throw new ArgumentException($"the prediction has {predicted.Length} pixels but the truth has {truth.Length}");
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            bool p = predicted[i] != 0, t = truth[i] != 0;
            if (p) { if (t) tp++; else fp++; }
            else if (t) fn++;
            else tn++;
        }
        return new PixelConfusion(tp, fp, fn, tn);
    }

    /// <summary>Counts of a probability map thresholded at <paramref name="threshold"/> (p &gt; threshold, or ≥ when <paramref name="inclusive"/>) against a boolean truth.</summary>
    public static PixelConfusion Count(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> truth, double threshold, bool inclusive = false)
    {
        if (probabilities.Length != truth.Length) throw new ArgumentException($"the prediction has {probabilities.Length} pixels but the truth has {truth.Length}");
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            bool p = inclusive ? probabilities[i] >= threshold : probabilities[i] > threshold, t = truth[i];
            if (p) { if (t) tp++; else fp++; }
            else if (t) fn++;
            else tn++;
        }
        return new PixelConfusion(tp, fp, fn, tn);
    }
}
