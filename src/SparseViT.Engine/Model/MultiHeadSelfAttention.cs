using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>Plain multi-head self-attention over each group, through the fused SDPA kernel.</summary>
public sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly long heads;

    public MultiHeadSelfAttention(long dim, long heads, bool qkvBias) : base(nameof(MultiHeadSelfAttention))
    {
        this.heads = heads;
        qkv = nn.Linear(dim, dim * 3, hasBias: qkvBias);
        proj = nn.Linear(dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        var parts = qkv.Run(x).reshape(b, n, 3, heads, c / heads).permute(2, 0, 3, 1, 4);
        // SDPA's default scale is head_dim^-0.5, the authors' scale.
        var o = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
        return proj.Run(o.transpose(1, 2).reshape(b, n, c)).MoveToOuterDisposeScope();
    }
}
