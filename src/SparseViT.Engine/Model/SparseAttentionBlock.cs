using SparseViT.Engine.Native;
using TorchSharp;
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

/// <summary>Token MLP with a depthwise 3×3 convolution on the spatial grid between the two linears.</summary>
public sealed class SparseMlp : nn.Module<Tensor, long, long, Tensor>
{
    private readonly Linear fc1;
    private readonly DepthwiseConv dwconv;
    private readonly Linear fc2;

    public SparseMlp(long dim, long hidden) : base(nameof(SparseMlp))
    {
        fc1 = nn.Linear(dim, hidden);
        dwconv = new DepthwiseConv(hidden);
        fc2 = nn.Linear(hidden, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, long h, long w)
    {
        using var scope = NewDisposeScope();
        var y = fc1.Run(x);
        y = dwconv.forward(y, h, w);
        return fc2.Run(nn.functional.gelu(y)).MoveToOuterDisposeScope();
    }

    /// <summary>Wrapper whose only job is the state-dict name `mlp.dwconv.dwconv`.</summary>
    private sealed class DepthwiseConv : nn.Module<Tensor, long, long, Tensor>
    {
        private readonly Conv2d dwconv;

        public DepthwiseConv(long dim) : base(nameof(DepthwiseConv))
        {
            dwconv = nn.Conv2d(dim, dim, 3, padding: 1, groups: dim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, long h, long w)
        {
            long b = x.shape[0], n = x.shape[1], c = x.shape[2];
            // contiguous(): the transposed tokens reshape to a channels-last view whose layout libtorch reads differently
            // for one image than for several, so the convolution kernel (and its rounding) would depend on the batch size.
            return dwconv.Run(x.transpose(1, 2).reshape(b, c, h, w).contiguous()).flatten(2).transpose(1, 2);
        }
    }
}
