using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

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
