namespace SparseViT.Forensics.Calibration;

/// <summary>
/// A 95 % confidence interval for a rate measured as <c>successes</c> of <c>trials</c>: the Wilson score interval,
/// which stays inside [0, 1] and keeps its coverage at the small counts calibration works with (0 of 400 gives
/// [0, 0.95 %], not the Wald interval's [0, 0]).
/// </summary>
public readonly record struct BinomialInterval(double Low, double High)
{
    private const double Z = 1.959963984540054;

    public static BinomialInterval Wilson(long successes, long trials)
    {
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials), $"an interval needs at least one trial (got {trials})");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes of {trials} trials");
        double n = trials, p = successes / n, z2 = Z * Z;
        double center = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 and n the exact bounds are 0 and 1; the formula gives them up to rounding.
        return new BinomialInterval(successes == 0 ? 0 : Math.Max(0, center - half), successes == trials ? 1 : Math.Min(1, center + half));
    }

    public bool Contains(double rate) => rate >= Low && rate <= High;
}
