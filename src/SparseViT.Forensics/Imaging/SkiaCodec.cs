using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Forensics.Imaging;

/// <summary>
/// The only place this library touches SkiaSharp: thumbnails and ground-truth masks are decoded here
/// (the engine's decoder targets model input and may not exist in every caller), and masks/overlays are
/// encoded here. Decoding keeps the stored orientation, as PIL does, so pixels line up with the model's input.
/// </summary>
internal static class SkiaCodec
{
    public static RgbImage DecodeRgb(byte[] encoded, string what)
    {
        using var bitmap = DecodeBitmap(encoded, what);
        var pixels = new byte[checked(bitmap.Width * bitmap.Height * 3)];
        var source = bitmap.GetPixelSpan();
        for (int i = 0, o = 0; o < pixels.Length; i += 4, o += 3)
        {
            pixels[o] = source[i];
            pixels[o + 1] = source[i + 1];
            pixels[o + 2] = source[i + 2];
        }
        return new RgbImage(bitmap.Width, bitmap.Height, pixels);
    }

    /// <summary>Width and height from the header only, without decoding pixels.</summary>
    public static (int Width, int Height)? ReadSize(byte[] encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }

    public static byte[] EncodeGrayPng(byte[] gray, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        return Encode(info, gray, width);
    }

    public static byte[] EncodeRgbPng(byte[] rgb, int width, int height) =>
        Encode(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), ToRgba(rgb, width, height), width * 4);

    public static byte[] EncodeRgbJpeg(byte[] rgb, int width, int height, int quality) =>
        Encode(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), ToRgba(rgb, width, height), width * 4, SKEncodedImageFormat.Jpeg, quality);

    private static byte[] ToRgba(byte[] rgb, int width, int height)
    {
        var rgba = new byte[checked(width * height * 4)];
        for (int i = 0, o = 0; i < rgb.Length; i += 3, o += 4)
        {
            rgba[o] = rgb[i];
            rgba[o + 1] = rgb[i + 1];
            rgba[o + 2] = rgb[i + 2];
            rgba[o + 3] = 255;
        }
        return rgba;
    }

    private static SKBitmap DecodeBitmap(byte[] encoded, string what)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"{what}: not an image format SkiaSharp can decode.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new InvalidDataException($"{what}: decoding failed ({result}).");
        }
        return bitmap;
    }

    private static byte[] Encode(SKImageInfo info, byte[] pixels, int rowBytes, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), rowBytes);
            using var data = pixmap.Encode(format, quality)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode the {format}.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
