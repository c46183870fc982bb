namespace SparseViT.Engine.Imaging;

/// <summary>
/// ImageNet normalization as the reference pipeline (albumentations <c>Normalize(mean, std, max_pixel_value=255)</c>)
/// computes it, bit for bit: in float32, <c>(v − f32(f32(mean)·255)) / f32(f32(std)·255)</c> (a true division; multiplying
/// by the float32 reciprocal differs in the last bit for ~22% of values). Output in CHW order.
/// Implemented with a 256-entry table per channel, so every value is exactly the scalar formula's.
/// </summary>
public static class ImageNormalizer
{
    public static IReadOnlyList<float> Mean { get; } = Array.AsReadOnly(new[] { 0.485f, 0.456f, 0.406f });
    public static IReadOnlyList<float> Std { get; } = Array.AsReadOnly(new[] { 0.229f, 0.224f, 0.225f });

    private static readonly float[][] Tables = BuildTables();

    private static float[][] BuildTables()
    {
        var tables = new float[3][];
        for (int c = 0; c < 3; c++)
        {
            float mean = Mean[c] * 255.0f;
            float std = Std[c] * 255.0f;
            var t = new float[256];
            for (int v = 0; v < 256; v++)
                t[v] = ((float)v - mean) / std;
            tables[c] = t;
        }
        return tables;
    }

    /// <summary>The normalized value of an 8-bit sample <paramref name="value"/> of channel <paramref name="channel"/> (0 = R).</summary>
    public static float Normalize(byte value, int channel) => Tables[channel][value];

    /// <summary>HWC uint8 → CHW float32 (length 3·W·H).</summary>
    public static float[] Normalize(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new float[checked(3 * image.Width * image.Height)];
        Normalize(image, result);
        return result;
    }

    /// <summary>HWC uint8 → CHW float32 into <paramref name="destination"/> (at least 3·W·H long, e.g. one slot of a batch buffer).</summary>
    public static void Normalize(RgbImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        int plane = image.Width * image.Height;
        if (destination.Length < 3 * plane)
            throw new ArgumentException($"destination holds {destination.Length} floats, needs {3 * plane}", nameof(destination));
        ReadOnlySpan<byte> px = image.Pixels;
        ReadOnlySpan<float> tr = Tables[0], tg = Tables[1], tb = Tables[2];
        var r = destination[..plane];
        var g = destination.Slice(plane, plane);
        var b = destination.Slice(2 * plane, plane);
        for (int i = 0, j = 0; i < plane; i++, j += 3)
        {
            r[i] = tr[px[j]];
            g[i] = tg[px[j + 1]];
            b[i] = tb[px[j + 2]];
        }
    }
}
