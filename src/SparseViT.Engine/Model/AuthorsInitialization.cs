using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// The authors' initialization for training from scratch (SparseViT.py: <c>_init_weights</c> and layer scale):
/// Linear weights truncated-normal σ 0.02 with zero bias, LayerNorm 1/0, and the sparse blocks' per-channel scales
/// <c>gamma_1</c>/<c>gamma_2</c> at 1e-6, so that each of the many attention blocks starts as a near-identity and the deep
/// stack trains stably. The model's own constructor uses library defaults (it is normally filled from a checkpoint).
/// </summary>
public static class AuthorsInitialization
{
    public const double LayerScaleInit = 1e-6;

    /// <summary>
    /// N(0, σ²) truncated to ±2σ by redrawing the outliers. TorchSharp's trunc_normal_ can emit ±inf (erfinv at the
    /// interval's end), which poisons a whole forward pass, so it is not used.
    /// </summary>
    public static void TruncatedNormal(Tensor weight, double std)
    {
        using var scope = NewDisposeScope();
        // Scalars owned here, alive until the end (see NativeScalars for why TorchSharp's implicit ones are not safe).
        using var sigma = std.ToScalar();
        using var low = (-2 * std).ToScalar();
        using var high = (2 * std).ToScalar();
        var values = randn_like(weight).mul(sigma);
        for (int round = 0; round < 20; round++)
        {
            var outside = values.abs().gt(high);
            if (!outside.any().item<bool>()) break;
            values = where(outside, randn_like(weight).mul(sigma), values);
        }
        weight.copy_(values.clamp(low, high));
    }

    /// <param name="layerScale">Initial gamma. The authors' 1e-6 suits their start from an ImageNet-pretrained backbone;
    /// from scratch on a short CPU budget a larger value (CaiT uses 0.1 for stacks of ≤ 18 blocks) lets the attention
    /// blocks contribute from the first updates.</param>
    public static void Apply(nn.Module model, double layerScale = LayerScaleInit)
    {
        if (!(layerScale > 0) || layerScale > 1) throw new ArgumentOutOfRangeException(nameof(layerScale), layerScale, "the layer-scale init must be in (0, 1]");
        using var _ = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    TruncatedNormal(linear.weight!, 0.02);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case LayerNorm norm:
                    if (norm.weight is not null) nn.init.ones_(norm.weight);
                    if (norm.bias is not null) nn.init.zeros_(norm.bias);
                    break;
            }
        }
        using var value = layerScale.ToScalar();
        foreach (var (name, parameter) in model.named_parameters())
            if (name.EndsWith(".gamma_1", StringComparison.Ordinal) || name.EndsWith(".gamma_2", StringComparison.Ordinal))
                parameter.fill_(value);
    }
}
