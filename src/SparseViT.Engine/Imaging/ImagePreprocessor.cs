namespace SparseViT.Engine.Imaging;

/// <summary>The model input of the authors' test pipeline: OpenCV INTER_LINEAR resize to size×size, then ImageNet normalization.</summary>
public static class ImagePreprocessor
{
    public const int DefaultSize = 512;

    /// <summary>Resize (cv2 INTER_LINEAR) + normalize: float[3·size·size], CHW (the 1×3×size×size tensor's data).</summary>
    public static float[] Prepare(RgbImage image, int size = DefaultSize)
    {
        var result = new float[checked(3 * size * size)];
        Prepare(image, result, size);
        return result;
    }

    /// <summary>As <see cref="Prepare(RgbImage,int)"/>, into a caller-provided span of at least 3·size·size floats.</summary>
    public static void Prepare(RgbImage image, Span<float> destination, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        var resized = OpenCvLinearResize.Resize(image, size, size);
        ImageNormalizer.Normalize(resized, destination);
    }
}
