namespace SparseViT.Engine.Imaging;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved (H×W×3), as PIL's convert("RGB") gives.</summary>
public sealed class RgbImage
{
    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public RgbImage(int width, int height, byte[] pixels)
    {
        if (pixels.Length != checked(width * height * 3))
            throw new ArgumentException($"expected {width}x{height}x3 bytes, got {pixels.Length}");
        Width = width;
        Height = height;
        Pixels = pixels;
    }
}
