using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>Non-overlapping strided convolution followed by LayerNorm over channels (`patch_embed{1..4}`).</summary>
/// <remarks>
/// The convolution (kernel = stride = p) is computed as what it is: a matrix product of each p×p patch with the
/// flattened kernel. That is the same sum of the same products as the convolution, but it runs on the GEMM that every
/// linear layer uses instead of oneDNN's direct-convolution kernels. Those kernels were measured wrong on AVX-512 hosts
/// (AMD EPYC, libtorch 2.10 with oneDNN 3.7.1): a dense k×k convolution with more than 16 input channels, not a multiple
/// of 16, on a large enough map (e.g. 24 → 48, k2 s2 on 128²) is off by up to 1.4 against float64, and the first call or
/// a call under load can return NaN. The shipped default model's `patch_embed2` is such a layer: its maps were off by up
/// to 0.95 and whole batches came back all-NaN. Patch embeddings are the network's only dense convolutions with k &gt; 1
/// (the others are 1×1 or depthwise, which the host-parity tests check).
/// </remarks>
public sealed class PatchEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;
    private readonly LayerNorm norm;
    private readonly long patch;

    public PatchEmbedding(long inChannels, long outChannels, long patch) : base(nameof(PatchEmbedding))
    {
        this.patch = patch;
        proj = nn.Conv2d(inChannels, outChannels, patch, stride: patch);
        norm = nn.LayerNorm(outChannels, eps: 1e-5);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], gh = x.shape[2] / patch, gw = x.shape[3] / patch;
        // A strided convolution ignores a remainder row/column that does not fill a patch; so does this.
        if (gh * patch != x.shape[2] || gw * patch != x.shape[3])
            x = x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, gh * patch), TensorIndex.Slice(0, gw * patch)];
        // (B, C, gh·p, gw·p) → (B, gh, gw, C·p·p), each patch flattened in the kernel's (C, kh, kw) order.
        var patches = x.reshape(b, c, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5).reshape(b, gh, gw, c * patch * patch);
        var weight = proj.weight!;
        var y = nn.functional.linear(patches.As(weight.dtype), weight.reshape(weight.shape[0], -1), proj.bias);
        // Channels-last already, which is what LayerNorm over channels wants (the authors' (N, HW, C) reshape).
        return norm.Run(y).permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }
}
