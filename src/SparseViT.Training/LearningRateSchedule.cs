namespace SparseViT.Training;

/// <summary>The authors' lr_sched, per optimizer update: a linear warm-up, then a half-cycle cosine from the peak to the floor.</summary>
public static class LearningRateSchedule
{
    public static double At(int step, int totalSteps, int warmup, double peak, double floor)
    {
        if (step < warmup) return peak * (step + 1) / warmup;
        double progress = Math.Min(1.0, (double)(step - warmup) / Math.Max(1, totalSteps - warmup));
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
