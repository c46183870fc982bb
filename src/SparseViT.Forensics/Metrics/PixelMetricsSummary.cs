namespace SparseViT.Forensics.Metrics;

/// <summary>
/// Per-image pixel metrics averaged over the <em>manipulated</em> images of a dataset (the field's way of reporting
/// them). Authentic images are left out: IMDL-BenCo scores an authentic image's F1 as 0 even when nothing is predicted
/// (their issue #46), which punishes the right answer; here they count at image level (false-positive rate) instead.
/// </summary>
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
