using System.Runtime.InteropServices;
using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Training.Data;

/// <summary>
/// Pixel operations the synthetic manipulations are made of. Geometry (crops, warps, shapes) and JPEG go through
/// SkiaSharp; filters work on float planes (H×W×C interleaved, 0–255) so that edits do not round at every step.
/// </summary>
public static class ImageOps
{
    public static RgbImage FromBitmap(SKBitmap bitmap)
    {
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 && bitmap.AlphaType != SKAlphaType.Premul
            ? null
            : bitmap.Copy(SKColorType.Rgba8888);
        var source = rgba ?? bitmap;
        int w = source.Width, h = source.Height;
        var bytes = new byte[w * 4];
        var pixels = new byte[w * h * 3];
        var ptr = source.GetPixels();
        int rowBytes = source.RowBytes;
        for (int y = 0; y < h; y++)
        {
            Marshal.Copy(ptr + y * rowBytes, bytes, 0, w * 4);
            // Alpha is dropped, not blended: the product's decoder does the same (PIL's convert("RGB")).
            for (int x = 0; x < w; x++)
            {
                int o = (y * w + x) * 3;
                pixels[o] = bytes[4 * x];
                pixels[o + 1] = bytes[4 * x + 1];
                pixels[o + 2] = bytes[4 * x + 2];
            }
        }
        return new RgbImage(w, h, pixels);
    }

    public static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var row = new byte[image.Width * 4];
        var ptr = bitmap.GetPixels();
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int o = (y * image.Width + x) * 3;
                row[4 * x] = image.Pixels[o];
                row[4 * x + 1] = image.Pixels[o + 1];
                row[4 * x + 2] = image.Pixels[o + 2];
                row[4 * x + 3] = 255;
            }
            Marshal.Copy(row, 0, ptr + y * bitmap.RowBytes, row.Length);
        }
        return bitmap;
    }

    public static RgbImage Resize(RgbImage image, int width, int height) =>
        Warp(image, width, height, SKMatrix.CreateScale((float)width / image.Width, (float)height / image.Height));

    /// <summary>
    /// Draws <paramref name="image"/> through <paramref name="matrix"/> (source → destination pixels) onto a
    /// <paramref name="width"/>×<paramref name="height"/> canvas; uncovered pixels repeat the edge (clamp), so warps never
    /// introduce black borders that would be a trivial cue.
    /// </summary>
    public static RgbImage Warp(RgbImage image, int width, int height, SKMatrix matrix, bool cubic = false)
    {
        using var source = ToBitmap(image);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        using (var skImage = SKImage.FromBitmap(source))
        {
            var sampling = cubic ? new SKSamplingOptions(SKCubicResampler.Mitchell) : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
            using var shader = skImage.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, sampling, matrix);
            using var paint = new SKPaint { Shader = shader };
            canvas.DrawRect(0, 0, width, height, paint);
        }
        return FromBitmap(target);
    }

    /// <summary>Encodes as JPEG at <paramref name="quality"/> and decodes again: the traces of one lossy save.</summary>
    public static RgbImage Jpeg(RgbImage image, int quality)
    {
        using var bitmap = ToBitmap(image);
        using var skImage = SKImage.FromBitmap(bitmap);
        using var data = skImage.Encode(SKEncodedImageFormat.Jpeg, Math.Clamp(quality, 1, 100));
        using var decoded = SKBitmap.Decode(data) ?? throw new InvalidOperationException("JPEG round trip failed");
        return FromBitmap(decoded);
    }

    public static float[] ToFloat(RgbImage image)
    {
        var f = new float[image.Pixels.Length];
        for (int i = 0; i < f.Length; i++) f[i] = image.Pixels[i];
        return f;
    }

    public static RgbImage FromFloat(float[] values, int width, int height)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp((int)MathF.Round(values[i]), 0, 255);
        return new RgbImage(width, height, bytes);
    }

    /// <summary>Gaussian blur approximated by three box passes per axis (within a few percent of the true kernel).</summary>
    public static float[] GaussianBlur(float[] src, int width, int height, int channels, float sigma)
    {
        var result = (float[])src.Clone();
        if (sigma <= 0.2f) return result;
        var radii = BoxRadii(sigma);
        var tmp = new float[src.Length];
        foreach (int r in radii)
        {
            BoxHorizontal(result, tmp, width, height, channels, r);
            BoxVertical(tmp, result, width, height, channels, r);
        }
        return result;
    }

    // Box sizes whose three-fold convolution has the Gaussian's variance (Kovesi's construction).
    private static int[] BoxRadii(float sigma)
    {
        const int n = 3;
        double ideal = Math.Sqrt(12 * sigma * sigma / n + 1);
        int wl = (int)Math.Floor(ideal);
        if (wl % 2 == 0) wl--;
        int wu = wl + 2;
        double mIdeal = (12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4);
        int m = (int)Math.Round(mIdeal);
        var radii = new int[n];
        for (int i = 0; i < n; i++) radii[i] = ((i < m ? wl : wu) - 1) / 2;
        return radii;
    }

    private static void BoxHorizontal(float[] src, float[] dst, int w, int h, int c, int r)
    {
        if (r <= 0)
        {
            Array.Copy(src, dst, src.Length);
            return;
        }
        float inv = 1f / (2 * r + 1);
        Parallel.For(0, h, new ParallelOptions { MaxDegreeOfParallelism = 1 }, y =>
        {
            int row = y * w * c;
            for (int ch = 0; ch < c; ch++)
            {
                float acc = 0;
                for (int k = -r; k <= r; k++) acc += src[row + Math.Clamp(k, 0, w - 1) * c + ch];
                for (int x = 0; x < w; x++)
                {
                    dst[row + x * c + ch] = acc * inv;
                    int add = Math.Min(x + r + 1, w - 1), sub = Math.Max(x - r, 0);
                    acc += src[row + add * c + ch] - src[row + sub * c + ch];
                }
            }
        });
    }

    private static void BoxVertical(float[] src, float[] dst, int w, int h, int c, int r)
    {
        if (r <= 0)
        {
            Array.Copy(src, dst, src.Length);
            return;
        }
        float inv = 1f / (2 * r + 1);
        int stride = w * c;
        var acc = new float[stride];
        for (int k = -r; k <= r; k++)
        {
            int row = Math.Clamp(k, 0, h - 1) * stride;
            for (int i = 0; i < stride; i++) acc[i] += src[row + i];
        }
        for (int y = 0; y < h; y++)
        {
            int row = y * stride;
            int add = Math.Min(y + r + 1, h - 1) * stride, sub = Math.Max(y - r, 0) * stride;
            for (int i = 0; i < stride; i++)
            {
                dst[row + i] = acc[i] * inv;
                acc[i] += src[add + i] - src[sub + i];
            }
        }
    }

    /// <summary>base·(1−α) + layer·α per pixel, α in [0, 1] on the H×W grid.</summary>
    public static float[] Composite(float[] background, float[] layer, float[] alpha)
    {
        var result = new float[background.Length];
        for (int p = 0; p < alpha.Length; p++)
        {
            float a = alpha[p];
            for (int ch = 0; ch < 3; ch++)
            {
                int i = 3 * p + ch;
                result[i] = background[i] + (layer[i] - background[i]) * a;
            }
        }
        return result;
    }
}
