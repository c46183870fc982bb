using SparseViT.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// Stages 3–4 (`blocks3`, `blocks4`, the authors' SABlock): self-attention restricted to dilated groups of
/// tokens whose coordinates agree modulo g = H / s. Attending across a sparse grid instead of a local
/// window is what lets the model compare low-level traces between distant regions while ignoring semantics.
/// </summary>
public sealed class SparseAttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d pos_embed; // present in the published weights, unused by the authors' forward
    private readonly LayerNorm norm1;
    private readonly MultiHeadSelfAttention attn;
    private readonly LayerNorm norm2;
    private readonly SparseMlp mlp;
    private readonly Parameter gamma_1;
    private readonly Parameter gamma_2;

    public SparseAttentionBlock(long dim, long heads, int mlpRatio, bool qkvBias, int sparseSize) : base(nameof(SparseAttentionBlock))
    {
        SparseSize = sparseSize;
        pos_embed = nn.Conv2d(dim, dim, 3, padding: 1, groups: dim);
        norm1 = nn.LayerNorm(dim, eps: 1e-6);
        attn = new MultiHeadSelfAttention(dim, heads, qkvBias);
        norm2 = nn.LayerNorm(dim, eps: 1e-6);
        mlp = new SparseMlp(dim, dim * mlpRatio);
        gamma_1 = nn.Parameter(ones(dim));
        gamma_2 = nn.Parameter(ones(dim));
        RegisterComponents();
    }

    /// <summary>Group side s: each attention group holds s×s tokens.</summary>
    public int SparseSize { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var tokens = x.flatten(2).transpose(1, 2);
        var groups = SparsePartition(x, SparseSize);
        var a = attn.forward(norm1.Run(groups));
        a = SparseMerge(a, SparseSize, b, h, w, c);
        var y = tokens.Plus(gamma_1 * a);
        y = y.Plus(gamma_2 * mlp.forward(norm2.Run(y), h, w));
        // NCHW-contiguous out, as every other block: the next layer's kernel choice must not depend on the batch size.
        return y.transpose(1, 2).reshape(b, c, h, w).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>(B, C, H, W) → (B·g², s², C): token (a·g+i, b·g+j) goes to group (i, j), position (a, b).</summary>
    public static Tensor SparsePartition(Tensor x, int s)
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long gh = h / s, gw = w / s;
        return x.permute(0, 2, 3, 1).reshape(b, s, gh, s, gw, c).permute(0, 2, 4, 1, 3, 5).reshape(b * gh * gw, (long)s * s, c);
    }

    /// <summary>Exact inverse of <see cref="SparsePartition"/>, returned as tokens (B, H·W, C).</summary>
    public static Tensor SparseMerge(Tensor groups, int s, long b, long h, long w, long c)
    {
        long gh = h / s, gw = w / s;
        return groups.reshape(b, gh, gw, s, s, c).permute(0, 3, 1, 4, 2, 5).reshape(b, h * w, c);
    }
}
