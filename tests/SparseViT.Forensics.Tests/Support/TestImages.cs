using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Forensics.Tests.Support;

/// <summary>Encoding and decoding for test fixtures, through SkiaSharp (libjpeg-turbo's IJG tables).</summary>
internal static class TestImages
{
    public static RgbImage Decode(byte[] encoded)
    {
        using var bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("test image does not decode");
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        var pixels = new byte[rgba.Width * rgba.Height * 3];
        var source = rgba.GetPixelSpan();
        for (int i = 0, o = 0; o < pixels.Length; i += 4, o += 3)
        {
            pixels[o] = source[i];
            pixels[o + 1] = source[i + 1];
            pixels[o + 2] = source[i + 2];
        }
        return new RgbImage(rgba.Width, rgba.Height, pixels);
    }

    public static byte[] EncodeJpeg(RgbImage image, int quality) => Encode(image, SKEncodedImageFormat.Jpeg, quality);

    public static byte[] EncodePng(RgbImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    /// <summary>A thumbnail the way a camera makes one: a filtered downscale, JPEG-compressed.</summary>
    public static byte[] Thumbnail(RgbImage image, int width, int height, int quality = 75)
    {
        using var bitmap = ToBitmap(image);
        using var small = bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var data = small.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    public static RgbImage WithRectangle(RgbImage image, int x, int y, int width, int height, byte r, byte g, byte b)
    {
        var pixels = (byte[])image.Pixels.Clone();
        for (int row = y; row < y + height; row++)
            for (int col = x; col < x + width; col++)
            {
                int o = (row * image.Width + col) * 3;
                pixels[o] = r; pixels[o + 1] = g; pixels[o + 2] = b;
            }
        return new RgbImage(image.Width, image.Height, pixels);
    }

    private static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    private static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var target = bitmap.GetPixelSpan();
        for (int i = 0, o = 0; i < image.Pixels.Length; i += 3, o += 4)
        {
            target[o] = image.Pixels[i];
            target[o + 1] = image.Pixels[i + 1];
            target[o + 2] = image.Pixels[i + 2];
            target[o + 3] = 255;
        }
        return bitmap;
    }
}
