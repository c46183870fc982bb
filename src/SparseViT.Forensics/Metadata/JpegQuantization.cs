namespace SparseViT.Forensics.Metadata;

/// <summary>
/// A JPEG's quantization tables and the IJG quality they correspond to. libjpeg (and every encoder built on
/// it: libjpeg-turbo, Skia, ImageMagick, GIMP, most web services) derives its tables by scaling the
/// Annex K tables with one quality factor, so an exact match says "last saved by libjpeg-family software at
/// quality Q". Camera firmware and Photoshop use their own tables; for them the estimate is the nearest IJG
/// quality, useful as a rough compression level only.
/// </summary>
public sealed record JpegQuantization
{
    /// <summary>IJG quality 1..100 whose tables are closest (sum of absolute differences) to the file's.</summary>
    public required int EstimatedQuality { get; init; }

    /// <summary>True when every table in the file equals the IJG table at <see cref="EstimatedQuality"/>.</summary>
    public required bool IjgStandard { get; init; }

    /// <summary>Mean absolute difference per coefficient from the IJG tables at the estimated quality.</summary>
    public required double MeanDeviation { get; init; }

    /// <summary>Tables by destination id, natural (row-major 8×8) order.</summary>
    public required IReadOnlyList<QuantizationTable> Tables { get; init; }

    /// <summary>JPEG Annex K luminance table, natural order.</summary>
    internal static readonly int[] StandardLuminance =
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>JPEG Annex K chrominance table, natural order.</summary>
    internal static readonly int[] StandardChrominance =
    [
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    ];

    /// <summary>The table libjpeg's jpeg_set_quality builds (baseline-clamped to 1..255).</summary>
    public static int[] IjgTable(int[] standard, int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        var table = new int[64];
        for (int i = 0; i < 64; i++) table[i] = Math.Clamp((standard[i] * scale + 50) / 100, 1, 255);
        return table;
    }

    /// <summary>
    /// Estimates the quality from table 0 (luminance) and table 1 (chrominance) when present. Returns null when
    /// there is no luminance table. Ties (several qualities giving identical tables near 100) resolve to the highest.
    /// </summary>
    public static JpegQuantization? Estimate(IReadOnlyDictionary<int, int[]> tables)
    {
        if (!tables.TryGetValue(0, out var luminance)) return null;
        tables.TryGetValue(1, out var chrominance);
        int bestQuality = 1;
        long bestError = long.MaxValue;
        for (int q = 1; q <= 100; q++)
        {
            long error = Deviation(luminance, IjgTable(StandardLuminance, q));
            if (chrominance is not null) error += Deviation(chrominance, IjgTable(StandardChrominance, q));
            if (error <= bestError)
            {
                bestError = error;
                bestQuality = q;
            }
        }
        int coefficients = chrominance is null ? 64 : 128;
        bool extraTables = tables.Keys.Any(k => k > 1);
        return new JpegQuantization
        {
            EstimatedQuality = bestQuality,
            IjgStandard = bestError == 0 && !extraTables,
            MeanDeviation = Math.Round((double)bestError / coefficients, 3),
            Tables = tables.OrderBy(t => t.Key).Select(t => new QuantizationTable(t.Key, t.Value)).ToArray(),
        };
    }

    private static long Deviation(int[] actual, int[] expected)
    {
        long sum = 0;
        for (int i = 0; i < 64; i++) sum += Math.Abs(actual[i] - expected[i]);
        return sum;
    }
}
