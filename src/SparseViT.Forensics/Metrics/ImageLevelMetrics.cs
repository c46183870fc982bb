using SparseViT.Engine.Metrics;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// Dataset-level detection scores from per-image scores: AUC over all images (null without both classes), and
/// accuracy and F1 with an image called manipulated when its score &gt; threshold.
/// </summary>
public sealed record ImageLevelMetrics(int Images, int Manipulated, int Authentic, double? Auc, double Accuracy, double F1,
    long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
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
        int manipulated = images.Count(i => i.IsManipulated);
        return new ImageLevelMetrics(images.Count, manipulated, images.Count - manipulated,
            RocAuc.Compute(images.Select(i => i.Score).ToArray(), images.Select(i => i.IsManipulated).ToArray()),
            (double)(tp + tn) / images.Count, new PixelConfusion(tp, fp, fn, tn).F1(EmptyMaskScore.Zero), tp, fp, fn, tn);
    }
}
