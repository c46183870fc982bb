using SparseViT.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// The head (`lmu`, the authors' "Multiple"): projects the four stage-3 maps to C4 channels, upsamples the
/// two stage-4 maps to the stage-3 grid, and mixes all six with learned per-channel weights.
/// </summary>
public sealed class LearnableFeatureFusion : nn.Module<Tensor[], Tensor>
{
    private readonly Conv2d conv_layer1, conv_layer2, conv_layer3, conv_layer4;
    private readonly Parameter gamma1, gamma2, gamma3, gamma4, gamma5, gamma6;
    private readonly LayerNorm norm;
    private readonly Conv2d conv_last;

    public LearnableFeatureFusion(long c3, long c4) : base(nameof(LearnableFeatureFusion))
    {
        conv_layer1 = nn.Conv2d(c3, c4, 1);
        conv_layer2 = nn.Conv2d(c3, c4, 1);
        conv_layer3 = nn.Conv2d(c3, c4, 1);
        conv_layer4 = nn.Conv2d(c3, c4, 1);
        gamma1 = nn.Parameter(full(c4, 1e-6f));
        gamma2 = nn.Parameter(full(c4, 1e-6f));
        gamma3 = nn.Parameter(full(c4, 1e-6f));
        gamma4 = nn.Parameter(full(c4, 1e-6f));
        gamma5 = nn.Parameter(full(c4, 1e-6f));
        gamma6 = nn.Parameter(full(c4, 1e-6f));
        norm = nn.LayerNorm(c4, eps: 1e-6);
        conv_last = nn.Conv2d(c4, 1, 1);
        RegisterComponents();
    }

    /// <param name="features">third1, third2, third3, third, last1, last.</param>
    public override Tensor forward(Tensor[] features)
    {
        using var scope = NewDisposeScope();
        var c1 = conv_layer1.Run(features[0]);
        var c2 = conv_layer2.Run(features[1]);
        var c3 = conv_layer3.Run(features[2]);
        var c4 = conv_layer4.Run(features[3]);
        long h = c1.shape[2], w = c1.shape[3];
        var c5 = nn.functional.interpolate(features[4], size: [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        var c6 = nn.functional.interpolate(features[5], size: [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        var x = Scale(gamma1, c1).Plus(Scale(gamma2, c2)).Plus(Scale(gamma3, c3)).Plus(Scale(gamma4, c4)).Plus(Scale(gamma5, c5)).Plus(Scale(gamma6, c6));
        x = norm.Run(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
        // Logits leave in the norm's type (float32 under mixed precision): upsampling and sigmoid stay full precision.
        return conv_last.Run(x).As(norm.weight!.dtype).MoveToOuterDisposeScope();
    }

    private static Tensor Scale(Parameter gamma, Tensor map) => gamma.view(1, -1, 1, 1) * map;
}
