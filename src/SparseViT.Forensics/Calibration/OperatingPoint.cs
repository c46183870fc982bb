namespace SparseViT.Forensics.Calibration;

/// <summary>
/// A threshold on the image score and what it does on the calibration data: an image counts as positive when its
/// score is strictly above <see cref="Threshold"/>. Rates come with their counts and 95 % Wilson intervals (null when
/// that class had no images).
/// </summary>
public sealed record OperatingPoint(
    double TargetFalsePositiveRate,
    double Threshold,
    int FalsePositives,
    int Authentic,
    double? FalsePositiveRate,
    BinomialInterval? FalsePositiveInterval,
    int TruePositives,
    int Manipulated,
    double? TruePositiveRate,
    BinomialInterval? TruePositiveInterval)
{
    /// <summary>
    /// The lowest threshold whose false-positive rate on <paramref name="authentic"/> is at most <paramref name="target"/>:
    /// with k = ⌊target·n⌋ authentic images allowed above it, the (k+1)-th highest authentic score.
    /// </summary>
    public static OperatingPoint AtFalsePositiveRate(double target, IReadOnlyList<double> authentic, IReadOnlyList<double> manipulated)
    {
        if (authentic.Count == 0) throw new ArgumentException("no authentic scores to calibrate on", nameof(authentic));
        if (target is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(target), $"a target false-positive rate must be in [0, 1) (got {target})");
        var descending = authentic.OrderByDescending(s => s).ToArray();
        int allowed = (int)Math.Floor(target * descending.Length + 1e-9);
        double threshold = descending[Math.Min(allowed, descending.Length - 1)];
        return At(threshold, target, authentic, manipulated);
    }

    /// <summary>What a given threshold does on the two sets.</summary>
    public static OperatingPoint At(double threshold, double target, IReadOnlyList<double> authentic, IReadOnlyList<double> manipulated)
    {
        int fp = authentic.Count(s => s > threshold), tp = manipulated.Count(s => s > threshold);
        return new OperatingPoint(target, threshold,
            fp, authentic.Count, Rate(fp, authentic.Count), authentic.Count > 0 ? BinomialInterval.Wilson(fp, authentic.Count) : null,
            tp, manipulated.Count, Rate(tp, manipulated.Count), manipulated.Count > 0 ? BinomialInterval.Wilson(tp, manipulated.Count) : null);
    }

    private static double? Rate(int count, int total) => total == 0 ? null : (double)count / total;
}
