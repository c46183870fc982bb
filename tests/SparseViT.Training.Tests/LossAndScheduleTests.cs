using SparseViT.Engine.Model;
using SparseViT.Training.Evaluation;
using static TorchSharp.torch;

namespace SparseViT.Training.Tests;

/// <summary>The objective, the schedule, the authors' initialization and the pixel-F1 convention.</summary>
public sealed partial class TrainingTests
{
    [Fact]
    public void PixelF1FollowsTheImdlBenCoConvention()
    {
        byte[] truth = [1, 1, 0, 0], pred = [1, 0, 1, 0];
        Assert.Equal(0.5, SyntheticEvaluation.PixelScores(pred, truth).F1, 6);
        Assert.Equal(0, SyntheticEvaluation.PixelScores([0, 0, 0, 0], [0, 0, 0, 0]).F1);
    }

    [Fact]
    public void AuthorsInitializationIsFiniteAndTruncated()
    {
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            AuthorsInitialization.Apply(model);
            foreach (var (name, p) in model.named_parameters())
                Assert.True(p.isfinite().all().item<bool>(), name);
        }
        var w = model.named_parameters().First(p => p.name == "encoder_net.blocks3.0.attn.qkv.weight").parameter;
        Assert.True(w.abs().max().item<float>() <= 0.04f + 1e-6f);
        Assert.InRange(w.std().item<float>(), 0.015f, 0.02f);
        Assert.Equal(1e-6f, model.named_parameters().First(p => p.name == "encoder_net.blocks4.2.gamma_2").parameter.max().item<float>(), 9);
    }

    [Fact]
    public void LayerScaleInitIsConfigurableAndBounded()
    {
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        AuthorsInitialization.Apply(model, 0.1);
        var gammas = model.named_parameters().Where(p => p.name.EndsWith(".gamma_1") || p.name.EndsWith(".gamma_2")).ToList();
        Assert.NotEmpty(gammas);
        Assert.All(gammas, g => Assert.Equal(0.1f, g.parameter.min().item<float>(), 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthorsInitialization.Apply(model, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthorsInitialization.Apply(model, 2));
    }

    [Fact]
    public void DiceTermMatchesItsDefinitionAndZeroWeightIsTheAuthorsBce()
    {
        // Two 1×1×2×2 images: one half-edited, one authentic. Values worked by hand from the definitions.
        var logits = tensor(new float[] { 2, -1, 0, 3, -2, -2, -2, -2 }, [2, 1, 2, 2]);
        var masks = tensor(new float[] { 1, 1, 0, 0, 0, 0, 0, 0 }, [2, 1, 2, 2]);
        double bce = nn.functional.binary_cross_entropy_with_logits(logits, masks).item<float>();
        Assert.Equal(bce, SegmentationLoss.Compute(logits, masks, 0).item<float>(), 6);

        static double S(double x) => 1 / (1 + Math.Exp(-x));
        double p1 = S(2) + S(-1) + S(0) + S(3), tp1 = S(2) + S(-1);
        double dice1 = 1 - (2 * tp1 + 1) / (p1 + 2 + 1);
        double dice2 = 1 - 1 / (4 * S(-2) + 1);
        double expected = bce + 0.5 * (dice1 + dice2) / 2;
        Assert.Equal(expected, SegmentationLoss.Compute(logits, masks, 0.5).item<float>(), 5);
    }

    [Fact]
    public void ScheduleWarmsUpThenFollowsACosine()
    {
        Assert.Equal(0.1, LearningRateSchedule.At(0, 100, 10, 1.0, 0.0), 9);
        Assert.Equal(1.0, LearningRateSchedule.At(10, 100, 10, 1.0, 0.0), 9);
        Assert.Equal(0.5, LearningRateSchedule.At(55, 100, 10, 1.0, 0.0), 9);
        Assert.Equal(0.0, LearningRateSchedule.At(100, 100, 10, 1.0, 0.0), 9);
    }
}
