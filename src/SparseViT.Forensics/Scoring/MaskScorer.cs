using SparseViT.Engine.Inference;

namespace SparseViT.Forensics.Scoring;

/// <summary>Turns a probability map into <see cref="MaskScores"/>.</summary>
public static class MaskScorer
{
    public static MaskScores Score(ProbabilityMap map, MaskScoringOptions? options = null) =>
        Score(map.Values, map.Size, map.OriginalWidth, map.OriginalHeight, options);

    /// <param name="values">Row-major size×size probabilities.</param>
    public static MaskScores Score(float[] values, int size, int originalWidth, int originalHeight, MaskScoringOptions? options = null)
    {
        options ??= new MaskScoringOptions();
        if (values.Length != size * size) throw new ArgumentException($"expected {size}x{size} values, got {values.Length}.", nameof(values));
        if (values.Length == 0) throw new ArgumentException("the probability map is empty.", nameof(values));

        double sum = 0, max = double.NegativeInfinity;
        int above = 0;
        foreach (float v in values)
        {
            sum += v;
            if (v > max) max = v;
            if (v >= options.Threshold) above++;
        }
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        return new MaskScores(
            Max: max,
            Mean: sum / values.Length,
            P99: PercentileOfSorted(sorted, 0.99),
            TopMean: TopMeanOfSorted(sorted, TopShare),
            ManipulatedFraction: (double)above / values.Length,
            Threshold: options.Threshold,
            Resolution: size,
            Regions: FindRegions(values, size, originalWidth, originalHeight, options));
    }

    /// <summary>The share of the map whose mean is <see cref="MaskScores.TopMean"/>.</summary>
    public const double TopShare = 0.01;

    /// <summary>Linear interpolation between closest ranks, as numpy.percentile's default.</summary>
    internal static double Percentile(float[] values, double q)
    {
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, q);
    }

    /// <summary>Mean of the highest ⌈share·n⌉ values (at least one) of an ascending array.</summary>
    internal static double TopMeanOfSorted(float[] sorted, double share)
    {
        int k = Math.Max(1, (int)Math.Ceiling(share * sorted.Length));
        double sum = 0;
        for (int i = sorted.Length - k; i < sorted.Length; i++) sum += sorted[i];
        return sum / k;
    }

    private static double PercentileOfSorted(float[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private static IReadOnlyList<ManipulatedRegion> FindRegions(float[] values, int size, int originalWidth, int originalHeight, MaskScoringOptions options)
    {
        var visited = new bool[values.Length];
        var stack = new Stack<int>();
        var regions = new List<ManipulatedRegion>();
        for (int start = 0; start < values.Length; start++)
        {
            if (visited[start] || values[start] < options.Threshold) continue;
            visited[start] = true;
            stack.Push(start);
            int area = 0, minX = size, minY = size, maxX = -1, maxY = -1;
            double sum = 0, peak = 0;
            while (stack.Count > 0)
            {
                int p = stack.Pop(), x = p % size, y = p / size;
                area++;
                sum += values[p];
                peak = Math.Max(peak, values[p]);
                minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
                for (int dy = -1; dy <= 1; dy++)
                {
                    int ny = y + dy;
                    if (ny < 0 || ny >= size) continue;
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx;
                        if (nx < 0 || nx >= size) continue;
                        int n = ny * size + nx;
                        if (visited[n] || values[n] < options.Threshold) continue;
                        visited[n] = true;
                        stack.Push(n);
                    }
                }
            }
            if (area < options.MinRegionPixels) continue;
            regions.Add(new ManipulatedRegion(
                ToOriginal(minX, minY, maxX, maxY, size, originalWidth, originalHeight),
                area, (double)area / values.Length, sum / area, peak));
        }
        return regions.OrderByDescending(r => r.AreaPixels).Take(options.MaxRegions).ToArray();
    }

    /// <summary>Maps the model-resolution cells [min, max] to the original pixels they cover (outward rounding).</summary>
    internal static RegionBox ToOriginal(int minX, int minY, int maxX, int maxY, int size, int width, int height)
    {
        int x0 = (int)Math.Floor((double)minX * width / size), x1 = (int)Math.Ceiling((double)(maxX + 1) * width / size);
        int y0 = (int)Math.Floor((double)minY * height / size), y1 = (int)Math.Ceiling((double)(maxY + 1) * height / size);
        x1 = Math.Min(x1, width); y1 = Math.Min(y1, height);
        return new RegionBox(x0, y0, Math.Max(1, x1 - x0), Math.Max(1, y1 - y0));
    }
}
