using SparseViT.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// BatchNorm2d with running statistics, the same state (weight, bias, running_mean, running_var, num_batches_tracked)
/// and arithmetic as TorchSharp's, except that the training-mode step counter is advanced with kept-alive scalars:
/// TorchSharp's <c>num_batches_tracked.add_(1)</c> builds two temporaries a concurrent collection can free mid-call
/// (<see cref="NativeScalars"/>).
/// </summary>
public sealed class TrackedBatchNorm2d : BatchNorm
{
    public TrackedBatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: nameof(TrackedBatchNorm2d))
    {
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4) throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training) num_batches_tracked?.PlusInPlace(NativeScalars.One);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum ?? 0.1, eps);
    }
}
