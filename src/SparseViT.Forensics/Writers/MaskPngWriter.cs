using SparseViT.Engine.Inference;
using SparseViT.Forensics.Imaging;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// The predicted mask as an 8-bit greyscale PNG at the original image size, written atomically. By default grey
/// level = round(255 × probability), as the authors' demo saves it; with a threshold, a binary 0/255 mask.
/// </summary>
public static class MaskPngWriter
{
    /// <param name="probabilities">Row-major height×width values in [0, 1] (the map at original size).</param>
    /// <param name="binaryThreshold">When set, pixels ≥ it are 255 and the rest 0.</param>
    public static void Write(string path, float[] probabilities, int width, int height, double? binaryThreshold = null)
    {
        if (probabilities.Length != width * height)
            throw new ArgumentException($"{path}: expected {width}x{height} probabilities, got {probabilities.Length}.", nameof(probabilities));
        var gray = new byte[probabilities.Length];
        for (int i = 0; i < gray.Length; i++)
        {
            float p = probabilities[i];
            gray[i] = binaryThreshold is { } t
                ? (p >= t ? (byte)255 : (byte)0)
                : (byte)Math.Clamp(MathF.Round(p * 255f), 0f, 255f);
        }
        AtomicFile.WriteAllBytes(path, SkiaCodec.EncodeGrayPng(gray, width, height));
    }

    /// <summary>Writes the map resized to the original size (Lanczos, done by the engine).</summary>
    public static void Write(string path, ProbabilityMap map, double? binaryThreshold = null) =>
        Write(path, map.ToOriginalSize(), map.OriginalWidth, map.OriginalHeight, binaryThreshold);
}
