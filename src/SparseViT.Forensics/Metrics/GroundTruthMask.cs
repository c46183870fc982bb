using SparseViT.Forensics.Imaging;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// A binary ground-truth mask (true = manipulated). Files are binarized as IMDL-BenCo does: a pixel is manipulated
/// when the mean of its R, G and B exceeds 127.5, which also cleans up JPEG-compressed masks.
/// </summary>
public sealed class GroundTruthMask
{
    public const double BinarizationLevel = 127.5;

    public GroundTruthMask(int width, int height, bool[] manipulated)
    {
        if (manipulated.Length != width * height) throw new ArgumentException($"expected {width}x{height} mask values, got {manipulated.Length}.");
        Width = width;
        Height = height;
        Manipulated = manipulated;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major Height×Width.</summary>
    public bool[] Manipulated { get; }

    /// <summary>An authentic image's mask: nothing manipulated.</summary>
    public bool IsEmpty => !Manipulated.Contains(true);

    public static GroundTruthMask Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot read the ground-truth mask ({e.Message}).", e);
        }
        var image = SkiaCodec.DecodeRgb(bytes, $"{path}: ground-truth mask");
        var manipulated = new bool[image.Width * image.Height];
        for (int i = 0; i < manipulated.Length; i++)
        {
            int sum = image.Pixels[3 * i] + image.Pixels[3 * i + 1] + image.Pixels[3 * i + 2];
            manipulated[i] = sum / 3.0 > BinarizationLevel;
        }
        return new GroundTruthMask(image.Width, image.Height, manipulated);
    }

    /// <summary>The mask as a prediction (1 / 0), e.g. to score a ground truth against itself.</summary>
    public float[] ToProbabilities() => Manipulated.Select(m => m ? 1f : 0f).ToArray();
}
