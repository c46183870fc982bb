using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// Reduced precision the way PyTorch's autocast runs it, without autocast (TorchSharp has none): matmul-class layers
/// (linear, convolution; attention follows its inputs) hold bfloat16/float16 weights and compute in that type, while
/// LayerNorm, BatchNorm, the residual sums, the head's mixing, the upsampling and the sigmoid stay in float32. Each layer
/// takes its input in its own weights' type, so a float32 (or float64) model runs exactly as before.
/// </summary>
/// <remarks>
/// Which layers go low is measured, not assumed (shipped default model, 24 crops of the samples and the three samples,
/// against float32, on a host with native AVX512-BF16): everything low moved maps by up to 0.17 and flipped 1.7 % of one
/// image's 0.5-decisions; the patch embeddings alone carried most of that (the input's low-level traces do not survive
/// 8 mantissa bits), the convolutional stages 1–2 most of the rest, stage 4 (global attention just before the head) the
/// next part. Only the sparse-attention stage 3, most of the network's arithmetic, runs low: at most 0.019 and 99.99 %
/// of the decisions kept (worst image 99.87 %) on 200 held-out edits. Weights are rounded once, at load; layers outside stage 3 keep float32 weights.
/// </remarks>
public static class MixedPrecision
{
    /// <summary>The state-dict prefix of the layers that run in reduced precision: the sparse-attention stage 3.</summary>
    public const string LowPrecisionScope = "encoder_net.blocks3.";

    /// <summary>Gives the matmul-class layers under <see cref="LowPrecisionScope"/> weights of <paramref name="lowPrecision"/>; all else stays float32.</summary>
    public static void Apply(SparseViTModel model, ScalarType lowPrecision)
    {
        if (lowPrecision is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"{lowPrecision} is not a reduced precision (expected BFloat16 or Float16)");
        foreach (var (name, module) in model.named_modules())
            if (module is Linear or Conv2d && name.StartsWith(LowPrecisionScope, StringComparison.Ordinal))
                module.to(lowPrecision);
    }

    /// <summary>Runs <paramref name="layer"/> in its weights' type; the output stays in that type (autocast's rule for matmuls).</summary>
    public static Tensor Run(this Linear layer, Tensor x) => layer.forward(x.As(layer.weight!.dtype));

    /// <inheritdoc cref="Run(Linear, Tensor)"/>
    public static Tensor Run(this Conv2d layer, Tensor x) => layer.forward(x.As(layer.weight!.dtype));

    /// <summary>Normalizes in the norm's own (float32) type, whatever type the input arrives in.</summary>
    public static Tensor Run(this LayerNorm norm, Tensor x) => norm.forward(x.As(norm.weight!.dtype));

    /// <inheritdoc cref="Run(LayerNorm, Tensor)"/>
    public static Tensor Run(this BatchNorm norm, Tensor x) => norm.forward(x.As(norm.weight!.dtype));

    /// <summary><paramref name="x"/> in <paramref name="type"/>; the same tensor when it already is.</summary>
    public static Tensor As(this Tensor x, ScalarType type) => x.dtype == type ? x : x.to(type);
}
