using System.Numerics;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// PIL-compatible Lanczos (a = 3) resampling of a single-channel float image, as
/// <c>Image.fromarray(float32_array).resize((width, height), Image.LANCZOS)</c> computes it on a mode-'F' image:
/// Pillow's coefficient tables (support 3 × max(scale, 1), window bounds rounded as Pillow does, weights normalized
/// to sum 1, all in double), horizontal pass first on only the rows the vertical pass reads, each pass accumulating in
/// double and storing float32.
/// </summary>
public static class LanczosResize
{
    private const double Support = 3.0;

    public static float[] Resize(float[] source, int sourceWidth, int sourceHeight, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (sourceWidth <= 0 || sourceHeight <= 0) throw new ArgumentOutOfRangeException(nameof(sourceWidth), "source size must be positive");
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "target size must be positive");
        if (source.Length != checked(sourceWidth * sourceHeight))
            throw new ArgumentException($"source holds {source.Length} values, expected {sourceWidth}x{sourceHeight}", nameof(source));

        bool needH = width != sourceWidth, needV = height != sourceHeight;
        if (!needH && !needV) return (float[])source.Clone();

        var horiz = Coefficients(sourceWidth, width);
        var vert = Coefficients(sourceHeight, height);

        // Rows the vertical pass reads.
        int yFirst = 0, yLast = sourceHeight;
        if (needV)
        {
            yFirst = vert.Start[0];
            yLast = vert.Start[height - 1] + vert.Count[height - 1];
        }

        float[] current = source;
        int curH = sourceHeight, rowOffset = 0;
        if (needH)
        {
            int rows = yLast - yFirst;
            var tmp = new float[checked(width * rows)];
            ParallelRows(rows, width, (y0, y1) =>
            {
                for (int y = y0; y < y1; y++)
                {
                    int inRow = (y + yFirst) * sourceWidth, outRow = y * width;
                    for (int x = 0; x < width; x++)
                    {
                        int start = horiz.Start[x], count = horiz.Count[x], k = x * horiz.KSize;
                        double ss = 0.0;
                        for (int i = 0; i < count; i++)
                            ss += source[inRow + start + i] * horiz.Weights[k + i];
                        tmp[outRow + x] = (float)ss;
                    }
                }
            });
            current = tmp;
            curH = rows;
            rowOffset = yFirst;
        }
        if (!needV) return current;

        var output = new float[checked(width * height)];
        int w = width;
        ParallelRows(height, width, (y0, y1) =>
        {
            for (int y = y0; y < y1; y++)
                VerticalRow(current, w, vert.Start[y] - rowOffset, vert.Count[y], vert.Weights.AsSpan(y * vert.KSize, vert.KSize), output.AsSpan(y * w, w));
        });
        return output;
    }

    /// <summary>One output row of the vertical pass: per pixel, Σ taps in order of (double)src · weight, rounded to float.</summary>
    private static void VerticalRow(float[] src, int w, int start, int count, ReadOnlySpan<double> weights, Span<float> dst)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated && w >= Vector<float>.Count)
        {
            int n = Vector<float>.Count;
            for (; x <= w - n; x += n)
            {
                var lo = Vector<double>.Zero;
                var hi = Vector<double>.Zero;
                for (int i = 0; i < count; i++)
                {
                    var v = new Vector<float>(src, (start + i) * w + x);
                    Vector.Widen(v, out var vlo, out var vhi);
                    var wt = new Vector<double>(weights[i]);
                    lo += vlo * wt; // multiply, then add: no fused multiply-add, as Pillow's C loop
                    hi += vhi * wt;
                }
                Vector.Narrow(lo, hi).CopyTo(dst[x..]);
            }
        }
        for (; x < w; x++)
        {
            double ss = 0.0;
            for (int i = 0; i < count; i++)
                ss += src[(start + i) * w + x] * weights[i];
            dst[x] = (float)ss;
        }
    }

    private static void ParallelRows(int rows, int width, Action<int, int> body)
    {
        long work = (long)rows * width;
        int chunks = work < 1 << 16 ? 1 : Math.Min(rows, Environment.ProcessorCount * 4);
        if (chunks <= 1) { body(0, rows); return; }
        int per = (rows + chunks - 1) / chunks;
        Parallel.For(0, chunks, c => { int a = c * per, b = Math.Min(rows, a + per); if (a < b) body(a, b); });
    }

    internal sealed record Table(int[] Start, int[] Count, double[] Weights, int KSize);

    /// <summary>Pillow's precompute_coeffs for the Lanczos filter over the whole input (box 0..inSize).</summary>
    internal static Table Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        int ksize = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new double[(long)outSize * ksize];
        double ss = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double ww = 0.0;
            int k = xx * ksize;
            for (int x = 0; x < xmax; x++)
            {
                double w = Lanczos((x + xmin - center + 0.5) * ss);
                weights[k + x] = w;
                ww += w;
            }
            if (ww != 0.0)
                for (int x = 0; x < xmax; x++) weights[k + x] /= ww;
            start[xx] = xmin;
            count[xx] = Math.Max(xmax, 0);
        }
        return new Table(start, count, weights, ksize);
    }

    private static double Sinc(double x)
    {
        if (x == 0.0) return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    private static double Lanczos(double x) => -3.0 <= x && x < 3.0 ? Sinc(x) * Sinc(x / 3.0) : 0.0;
}
