using SparseViT.Engine.Imaging;
using static TorchSharp.torch;

namespace SparseViT.Training.Data;

/// <summary>Turns samples into the tensors the model and loss take.</summary>
public static class TrainingTensors
{
    /// <summary>
    /// (B, 3, S, S) normalized with the ImageNet statistics the authors use (<see cref="ImageNormalizer"/>'s), and (B, 1, S, S) masks in {0, 1}, on
    /// <paramref name="device"/> (default CPU). Bytes travel to the device and are normalized there as
    /// x · 1/(255·std) − mean/std in float32, the same two roundings on every device.
    /// </summary>
    public static (Tensor Images, Tensor Masks) Batch(IReadOnlyList<TrainingSample> samples, Device? device = null)
    {
        int b = samples.Count, s = samples[0].Size, plane = s * s;
        var pixels = new byte[b * 3 * plane];
        var masks = new byte[b * plane];
        for (int k = 0; k < b; k++)
        {
            if (samples[k].Size != s) throw new ArgumentException($"sample {k} is {samples[k].Size}², the batch is {s}²");
            samples[k].Image.Pixels.CopyTo(pixels, k * 3 * plane);
            samples[k].Mask.CopyTo(masks, k * plane);
        }
        using var scope = NewDisposeScope();
        var target = device ?? CPU;
        var scale = new float[3];
        var shift = new float[3];
        for (int c = 0; c < 3; c++)
        {
            scale[c] = 1f / (255f * ImageNormalizer.Std[c]);
            shift[c] = ImageNormalizer.Mean[c] / ImageNormalizer.Std[c];
        }
        var hwc = tensor(pixels, [b, s, s, 3]).to(target);
        var images = hwc.permute(0, 3, 1, 2).to(ScalarType.Float32)
            .mul(tensor(scale, [1, 3, 1, 1]).to(target)).sub(tensor(shift, [1, 3, 1, 1]).to(target)).contiguous();
        var m = tensor(masks, [b, 1, s, s]).to(target).to(ScalarType.Float32);
        return (images.MoveToOuterDisposeScope(), m.MoveToOuterDisposeScope());
    }
}
