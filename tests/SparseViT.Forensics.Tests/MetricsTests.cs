using SparseViT.Forensics.Metrics;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests;

public class MetricsTests
{
    [Fact]
    public void Pixel_metrics_match_a_hand_computed_case()
    {
        var truth = new GroundTruthMask(2, 2, [true, false, true, false]);
        var m = PixelMetrics.Compute([0.9f, 0.8f, 0.3f, 0.1f], truth);
        Assert.Equal((1, 1, 1, 1), (m.TruePositives, m.FalsePositives, m.FalseNegatives, m.TrueNegatives));
        Assert.Equal(0.5, m.F1, 12);
        Assert.Equal(1.0 / 3, m.IoU, 12);
        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(0.75, m.Auc!.Value, 12); // 3 of 4 positive/negative pairs ordered correctly
        Assert.Equal(0.5, m.InvariantF1, 12);
    }

    [Fact]
    public void Invariant_f1_credits_an_inverted_prediction_and_threshold_is_strict()
    {
        var truth = new GroundTruthMask(4, 1, [true, true, false, false]);
        var inverted = PixelMetrics.Compute([0.1f, 0.2f, 0.9f, 0.8f], truth);
        Assert.Equal(0, inverted.F1);
        Assert.Equal(1, inverted.InvariantF1, 12);
        Assert.Equal(0, PixelMetrics.Compute([0.5f, 0.5f, 0f, 0f], truth).TruePositives);
    }

    [Fact]
    public void Authentic_image_with_empty_mask_scores_f1_zero_and_no_auc()
    {
        var truth = new GroundTruthMask(2, 2, new bool[4]);
        var m = PixelMetrics.Compute([0f, 0f, 0f, 0f], truth);
        Assert.Equal(0, m.F1);
        Assert.Equal(0, m.IoU);
        Assert.Equal(1, m.Accuracy);
        Assert.Null(m.Auc);
        var summary = PixelMetricsSummary.Average([m, PixelMetrics.Compute([1f, 0f, 0f, 0f], new GroundTruthMask(2, 2, [true, false, false, false]))]);
        Assert.Equal(0.5, summary.F1, 12);
        Assert.Equal(1, summary.ImagesWithAuc);
    }

    [Theory]
    [InlineData("sample_1.png", 384, 256)]
    [InlineData("sample_2.png", 384, 256)]
    [InlineData("sample_3.jpg", 1024, 768)]
    public void Each_sample_ground_truth_scored_against_itself_has_f1_one(string name, int width, int height)
    {
        var truth = GroundTruthMask.Load(RepoPaths.GroundTruth(name));
        Assert.Equal((width, height), (truth.Width, truth.Height));
        Assert.False(truth.IsEmpty);
        var m = PixelMetrics.Compute(truth.ToProbabilities(), truth);
        Assert.Equal(1, m.F1, 12);
        Assert.Equal(1, m.IoU, 12);
        Assert.Equal(1, m.Auc!.Value, 12);
    }

    [Fact]
    public void Image_level_auc_and_accuracy()
    {
        var m = ImageLevelMetrics.Compute([new(0.9, true), new(0.8, false), new(0.3, true), new(0.1, false)]);
        Assert.Equal(0.75, m.Auc!.Value, 12);
        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(0.5, m.F1, 12);
        Assert.Equal(0.5, ImageLevelMetrics.Compute([new(0.5, true), new(0.5, false)]).Auc!.Value, 12);
        Assert.Null(ImageLevelMetrics.Compute([new(0.5, true)]).Auc);
    }

    [Fact]
    public void Image_level_rates_and_balanced_accuracy()
    {
        // 1 manipulated of 4 found, 1 authentic of 2 flagged at 0.5: TPR 0.25, FPR 0.5, balanced (0.25 + 0.5) / 2.
        var m = ImageLevelMetrics.Compute([new(0.9, true), new(0.4, true), new(0.3, true), new(0.2, true), new(0.7, false), new(0.1, false)]);
        Assert.Equal(0.25, m.TruePositiveRate!.Value, 12);
        Assert.Equal(0.5, m.FalsePositiveRate!.Value, 12);
        Assert.Equal(0.375, m.BalancedAccuracy!.Value, 12);
        Assert.Equal(2.0 / 6, m.Accuracy, 12);
        var onlyManipulated = ImageLevelMetrics.Compute([new(0.9, true)]);
        Assert.Null(onlyManipulated.FalsePositiveRate);
        Assert.Null(onlyManipulated.BalancedAccuracy);
        Assert.Equal(1, onlyManipulated.TruePositiveRate);
    }
}
