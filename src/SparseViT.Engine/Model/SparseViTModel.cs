using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// SparseViT ("SparseViT_Mul" in the authors' code): encoder plus learnable feature fusion head.
/// Parameter and buffer names equal the published state dict's, so loading is a name → tensor copy.
/// </summary>
public sealed class SparseViTModel : nn.Module<Tensor, Tensor>
{
    private readonly SparseViTEncoder encoder_net;
    private readonly LearnableFeatureFusion lmu;

    public SparseViTModel(SparseViTConfig config) : base(nameof(SparseViTModel))
    {
        Config = config;
        encoder_net = new SparseViTEncoder(config);
        lmu = new LearnableFeatureFusion(config.Channels[2], config.Channels[3]);
        RegisterComponents();
    }

    public SparseViTConfig Config { get; }

    public SparseViTEncoder Encoder => encoder_net;
    public LearnableFeatureFusion Head => lmu;

    /// <summary>Logits on the stage-3 grid, (B, 1, H/16, W/16).</summary>
    public override Tensor forward(Tensor image)
    {
        using var scope = NewDisposeScope();
        var features = encoder_net.forward(image);
        return lmu.forward(features).MoveToOuterDisposeScope();
    }

    /// <summary>Logits upsampled to the input size (bilinear, half-pixel), before the sigmoid: what the training loss sees.</summary>
    public Tensor UpsampledLogits(Tensor image)
    {
        using var scope = NewDisposeScope();
        var logits = forward(image);
        return nn.functional.interpolate(logits, size: [image.shape[2], image.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Per-pixel manipulation probability at the input resolution, (B, 1, H, W).</summary>
    public Tensor Probabilities(Tensor image)
    {
        using var scope = NewDisposeScope();
        return UpsampledLogits(image).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>Trainable parameters (BatchNorm running statistics excluded).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
