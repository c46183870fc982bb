using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>Non-overlapping strided convolution followed by LayerNorm over channels (`patch_embed{1..4}`).</summary>
public sealed class PatchEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;
    private readonly LayerNorm norm;

    public PatchEmbedding(long inChannels, long outChannels, long patch) : base(nameof(PatchEmbedding))
    {
        proj = nn.Conv2d(inChannels, outChannels, patch, stride: patch);
        norm = nn.LayerNorm(outChannels, eps: 1e-5);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = proj.forward(x);
        // LayerNorm normalises the last dimension: channels-last in, NCHW out, as the authors' (N, HW, C) reshape.
        return norm.forward(y.permute(0, 2, 3, 1)).permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }
}
