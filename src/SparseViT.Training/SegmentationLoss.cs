using SparseViT.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Training;

/// <summary>The training objective: the authors' BCE on upsampled logits, optionally plus a soft-Dice term.</summary>
public static class SegmentationLoss
{
    /// <summary>BCE on the upsampled logits plus <paramref name="diceWeight"/> × soft Dice per image (0 = BCE only, as the authors).</summary>
    public static Tensor Compute(Tensor logits, Tensor masks, double diceWeight)
    {
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, masks);
        if (diceWeight <= 0) return bce;
        // Explicit scalars that outlive the calls reading them (see NativeScalars for why implicit ones are unsafe).
        using var one = 1.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var weight = diceWeight.ToScalar();
        var p = logits.sigmoid().flatten(1);
        var t = masks.flatten(1);
        // +1 smoothing: an authentic image (empty mask) predicted empty scores a Dice loss of ~0, not 0/0.
        var overlap = (p * t).sum(1).mul(two).Plus(one);
        var dice = (overlap / p.sum(1).Plus(t.sum(1)).Plus(one)).neg().Plus(one);
        return bce.Plus(dice.mean().mul(weight));
    }
}
