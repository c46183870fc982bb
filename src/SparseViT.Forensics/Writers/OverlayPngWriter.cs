using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Imaging;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// A heatmap overlay PNG for people: the image blended with a jet color map of the probability, and the outlines
/// of the regions at or above the threshold drawn in white so they stay visible whatever the colors underneath.
/// Written atomically at the original size.
/// </summary>
public static class OverlayPngWriter
{
    /// <param name="probabilities">Row-major image.Height×image.Width values in [0, 1].</param>
    /// <param name="opacity">Weight of the color map in the blend (0 = image only, 1 = heatmap only).</param>
    public static void Write(string path, RgbImage image, float[] probabilities, double threshold = 0.5, double opacity = 0.45)
    {
        var pixels = Render(image, probabilities, threshold, opacity, path);
        AtomicFile.WriteAllBytes(path, SkiaCodec.EncodeRgbPng(pixels, image.Width, image.Height));
    }

    public static void Write(string path, RgbImage image, ProbabilityMap map, double threshold = 0.5, double opacity = 0.45) =>
        Write(path, image, map.ToOriginalSize(), threshold, opacity);

    /// <summary>The overlay's RGB pixels (H×W×3).</summary>
    public static byte[] Render(RgbImage image, float[] probabilities, double threshold, double opacity, string what = "overlay")
    {
        int width = image.Width, height = image.Height;
        if (probabilities.Length != width * height)
            throw new ArgumentException($"{what}: expected {width}x{height} probabilities for the image, got {probabilities.Length}.", nameof(probabilities));
        var output = new byte[image.Pixels.Length];
        float alpha = (float)Math.Clamp(opacity, 0, 1);
        for (int i = 0; i < probabilities.Length; i++)
        {
            var (r, g, b) = Jet(probabilities[i]);
            int o = i * 3;
            output[o] = Blend(image.Pixels[o], r, alpha);
            output[o + 1] = Blend(image.Pixels[o + 1], g, alpha);
            output[o + 2] = Blend(image.Pixels[o + 2], b, alpha);
        }
        // Outlines scale with the image so they stay visible on large photos: 1 px per 512 px of the shorter side.
        int thickness = Math.Max(1, Math.Min(width, height) / 512);
        var edge = Outline(probabilities, width, height, threshold);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (!edge[y * width + x]) continue;
                for (int dy = -(thickness - 1) / 2; dy <= thickness / 2; dy++)
                {
                    for (int dx = -(thickness - 1) / 2; dx <= thickness / 2; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                        int o = (ny * width + nx) * 3;
                        output[o] = output[o + 1] = output[o + 2] = 255;
                    }
                }
            }
        }
        return output;
    }

    /// <summary>Pixels at or above the threshold with a 4-neighbor below it (or on the image border).</summary>
    private static bool[] Outline(float[] p, int width, int height, double threshold)
    {
        var edge = new bool[p.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (p[i] < threshold) continue;
                edge[i] = x == 0 || y == 0 || x == width - 1 || y == height - 1 ||
                          p[i - 1] < threshold || p[i + 1] < threshold || p[i - width] < threshold || p[i + width] < threshold;
            }
        }
        return edge;
    }

    private static byte Blend(byte image, float color, float alpha) =>
        (byte)Math.Clamp(MathF.Round(image * (1 - alpha) + color * alpha), 0f, 255f);

    /// <summary>The classic jet map (blue → cyan → yellow → red) on 0..255.</summary>
    internal static (float R, float G, float B) Jet(float value)
    {
        float v = Math.Clamp(value, 0f, 1f);
        static float Ramp(float x) => Math.Clamp(1.5f - Math.Abs(x), 0f, 1f) * 255f;
        return (Ramp(4 * v - 3), Ramp(4 * v - 2), Ramp(4 * v - 1));
    }
}
