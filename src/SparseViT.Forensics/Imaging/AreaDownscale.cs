using SparseViT.Engine.Imaging;

namespace SparseViT.Forensics.Imaging;

/// <summary>
/// Box-filter (area-average) reduction: each output pixel is the exact, fractionally weighted mean of the source
/// pixels it covers. This is what camera thumbnails approximate, so it keeps the comparison free of aliasing.
/// </summary>
internal static class AreaDownscale
{
    /// <summary>Returns H×W×3 channel means as floats.</summary>
    public static float[] Resize(RgbImage image, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "target size must be positive.");
        var columns = Weights(image.Width, width);
        var rows = Weights(image.Height, height);

        // Horizontal pass into image.Height × width, then vertical.
        var horizontal = new float[image.Height * width * 3];
        for (int y = 0; y < image.Height; y++)
        {
            int sourceRow = y * image.Width * 3, targetRow = y * width * 3;
            for (int x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                foreach (var (index, weight) in columns[x])
                {
                    int p = sourceRow + index * 3;
                    r += image.Pixels[p] * weight;
                    g += image.Pixels[p + 1] * weight;
                    b += image.Pixels[p + 2] * weight;
                }
                horizontal[targetRow + x * 3] = (float)r;
                horizontal[targetRow + x * 3 + 1] = (float)g;
                horizontal[targetRow + x * 3 + 2] = (float)b;
            }
        }
        var result = new float[height * width * 3];
        for (int y = 0; y < height; y++)
        {
            for (int i = 0; i < width * 3; i++)
            {
                double sum = 0;
                foreach (var (index, weight) in rows[y]) sum += horizontal[index * width * 3 + i] * weight;
                result[y * width * 3 + i] = (float)sum;
            }
        }
        return result;
    }

    /// <summary>For each target cell, the source indices it overlaps and their normalized overlap.</summary>
    private static (int Index, double Weight)[][] Weights(int source, int target)
    {
        var weights = new (int, double)[target][];
        double step = (double)source / target;
        for (int t = 0; t < target; t++)
        {
            double start = t * step, end = (t + 1) * step;
            int first = (int)Math.Floor(start), last = Math.Min(source - 1, (int)Math.Ceiling(end) - 1);
            var cell = new List<(int, double)>(last - first + 1);
            for (int s = first; s <= last; s++)
            {
                double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                if (overlap > 0) cell.Add((s, overlap / step));
            }
            weights[t] = cell.ToArray();
        }
        return weights;
    }
}
