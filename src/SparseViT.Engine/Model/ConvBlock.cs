using SparseViT.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// Stages 1–2 (`blocks1`, `blocks2`, the authors' CBlock): a convolutional stand-in for attention —
/// depthwise 5×5 "attention" between two 1×1 convolutions, BatchNorm with running statistics.
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d pos_embed;
    private readonly TrackedBatchNorm2d norm1;
    private readonly Conv2d conv1;
    private readonly Conv2d attn;
    private readonly Conv2d conv2;
    private readonly TrackedBatchNorm2d norm2;
    private readonly ConvMlp mlp;

    public ConvBlock(long dim, int mlpRatio) : base(nameof(ConvBlock))
    {
        pos_embed = nn.Conv2d(dim, dim, 3, padding: 1, groups: dim);
        norm1 = new TrackedBatchNorm2d(dim, eps: 1e-5);
        conv1 = nn.Conv2d(dim, dim, 1);
        attn = nn.Conv2d(dim, dim, 5, padding: 2, groups: dim);
        conv2 = nn.Conv2d(dim, dim, 1);
        norm2 = new TrackedBatchNorm2d(dim, eps: 1e-5);
        mlp = new ConvMlp(dim, dim * mlpRatio);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Residual sums through NativeScalars: the + operator's hidden alpha scalar is not safe under concurrent GCs.
        // The residual stream stays in the norms' type (float32); convolutions run in their weights' type (MixedPrecision).
        x = x.Plus(pos_embed.Run(x));
        x = x.Plus(conv2.Run(attn.Run(conv1.Run(norm1.Run(x)))));
        x = x.Plus(mlp.forward(norm2.Run(x)));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>1×1 convolution MLP (the authors' CMlp).</summary>
    private sealed class ConvMlp : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d fc1;
        private readonly Conv2d fc2;

        public ConvMlp(long dim, long hidden) : base(nameof(ConvMlp))
        {
            fc1 = nn.Conv2d(dim, hidden, 1);
            fc2 = nn.Conv2d(hidden, dim, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => fc2.Run(nn.functional.gelu(fc1.Run(x)));
    }
}
