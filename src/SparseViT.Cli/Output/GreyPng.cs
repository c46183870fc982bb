using SkiaSharp;

namespace SparseViT.Cli.Output;

/// <summary>Probabilities in [0, 1] as an 8-bit grey PNG (0 → black, 1 → white).</summary>
internal static class GreyPng
{
    public static void Write(string path, ReadOnlySpan<float> values, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++)
        {
            float v = float.IsNaN(values[i]) ? 0 : Math.Clamp(values[i], 0f, 1f);
            pixels[i] = (byte)MathF.Round(v * 255f);
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
