using SparseViT.Engine.Metrics;

namespace SparseViT.Engine.Inference;

/// <summary>
/// How far a reduced-precision map is from the fp32 one: the largest probability change, the share of
/// pixels whose thresholded decision is unchanged, and the pixel F1 of the reduced map's mask taking
/// the fp32 mask as truth (1 when both masks are empty).
/// </summary>
public readonly record struct PrecisionAgreement(double MaxAbsDifference, double DecisionAgreement, double PixelF1)
{
    public static PrecisionAgreement Measure(ReadOnlySpan<float> reference, ReadOnlySpan<float> reduced, float threshold)
    {
        if (reference.Length != reduced.Length) throw new ArgumentException("maps differ in size");
        double worst = 0;
        long same = 0, tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(reference[i] - reduced[i]));
            bool r = reference[i] >= threshold, q = reduced[i] >= threshold;
            if (r == q) same++;
            if (r && q) tp++;
            else if (q) fp++;
            else if (r) fn++;
        }
        // Two maps of one image that both find nothing agree perfectly.
        double f1 = new PixelConfusion(tp, fp, fn, reference.Length - tp - fp - fn).F1(EmptyMaskScore.One);
        return new PrecisionAgreement(worst, (double)same / reference.Length, f1);
    }
}
