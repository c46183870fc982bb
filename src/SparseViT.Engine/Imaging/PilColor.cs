namespace SparseViT.Engine.Imaging;

/// <summary>
/// PIL's conversions to 8-bit RGB for sample layouts the codecs hand us raw, so the model sees the bytes the authors'
/// pipeline would: no color management anywhere.
/// </summary>
internal static class PilColor
{
    /// <summary>PIL's cmyk2rgb: R = (255 − K) − MULDIV255(C, 255 − K), likewise G from M and B from Y.</summary>
    public static void CmykToRgb(ReadOnlySpan<byte> cmyk, Span<byte> rgb)
    {
        for (int i = 0, o = 0; o + 2 < rgb.Length; i += 4, o += 3)
        {
            int k = 255 - cmyk[i + 3];
            rgb[o] = (byte)(k - MulDiv255(cmyk[i], k));
            rgb[o + 1] = (byte)(k - MulDiv255(cmyk[i + 1], k));
            rgb[o + 2] = (byte)(k - MulDiv255(cmyk[i + 2], k));
        }
    }

    private static int MulDiv255(int a, int b)
    {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    /// <summary>
    /// An unsigned sample of <paramref name="bits"/> bits as PIL's unpackers give it in 8 bits: 16-bit keeps the high
    /// byte, 1/2/4-bit samples are stretched to 0..255 (×255, ×85, ×17).
    /// </summary>
    public static byte To8Bit(int value, int bits) => bits switch
    {
        8 => (byte)value,
        16 => (byte)(value >> 8),
        _ => (byte)(value * 255 / ((1 << bits) - 1)),
    };
}
