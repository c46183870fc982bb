using SparseViT.Engine.Imaging;

namespace SparseViT.Engine.Inference;

/// <summary>
/// The model's per-pixel manipulation probability for one image: the square map at the model's
/// resolution (512×512), and on demand the same map resized to the original image size with
/// PIL-compatible Lanczos, as the authors' test pipeline does. The resize is lazy because most
/// consumers (scores, verdicts) work at model resolution and only mask/overlay writers need it.
/// </summary>
public sealed class ProbabilityMap
{
    private float[]? _original;

    public ProbabilityMap(float[] values, int size, int originalWidth, int originalHeight)
    {
        if (values.Length != size * size) throw new ArgumentException($"expected {size}x{size} values, got {values.Length}");
        Values = values;
        Size = size;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
    }

    /// <summary>Side of the square model-resolution map.</summary>
    public int Size { get; }

    /// <summary>Row-major Size×Size probabilities in [0, 1].</summary>
    public float[] Values { get; }

    public int OriginalWidth { get; }
    public int OriginalHeight { get; }

    /// <summary>Row-major OriginalHeight×OriginalWidth probabilities (Lanczos, support 3, on floats).</summary>
    public float[] ToOriginalSize() =>
        _original ??= (OriginalWidth == Size && OriginalHeight == Size
            ? Values
            : LanczosResize.Resize(Values, Size, Size, OriginalWidth, OriginalHeight));
}
