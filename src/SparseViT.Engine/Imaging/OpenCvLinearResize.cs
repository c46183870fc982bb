using System.Numerics;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// <c>cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)</c> for 8-bit 3-channel images, bit-exact.
/// OpenCV's arithmetic, re-implemented:
/// <list type="bullet">
/// <item>source coordinate <c>fx = (float)((dx + 0.5) * scale - 0.5)</c> with <c>scale = 1 / (dst / src)</c> in double,
/// <c>sx = floor(fx)</c>, <c>fx -= sx</c> in float; indices before the first / after the last pixel are clamped with weight 0;</item>
/// <item>weights <c>round(w * 2048)</c> (INTER_RESIZE_COEF_BITS = 11) stored as 16-bit, rounded half to even;</item>
/// <item>horizontal pass exact in 32-bit integers (value · 2048 scale);</item>
/// <item>vertical pass as OpenCV's SIMD kernel computes it: <c>((S0 &gt;&gt; 4) · b0 &gt;&gt; 16) + ((S1 &gt;&gt; 4) · b1 &gt;&gt; 16)</c>,
/// then <c>(v + 2) &gt;&gt; 2</c> saturated; the row tail that OpenCV leaves to scalar code uses <c>(S0·b0 + S1·b1 + 2^21) &gt;&gt; 22</c>;</item>
/// <item>an exact 2× downscale in both directions is done as OpenCV does it, by its fast INTER_AREA path (2×2 mean, rounded).</item>
/// </list>
/// </summary>
public static class OpenCvLinearResize
{
    private const int CoefBits = 11;
    private const int CoefScale = 1 << CoefBits;
    private const int Channels = 3;
    private const double DblEpsilon = 2.220446049250313e-16; // C's DBL_EPSILON

    // OpenCV's baseline SIMD (SSE2/NEON, 128-bit) lane counts: 16 bytes, 8 int16 per register.
    private const int SimdBytes = 16;
    private const int SimdShorts = 8;

    public static RgbImage Resize(RgbImage src, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size {width}x{height} must be positive");
        if (src.Width <= 0 || src.Height <= 0) throw new ArgumentException("source image is empty", nameof(src));
        if (width == src.Width && height == src.Height)
            return new RgbImage(width, height, (byte[])src.Pixels.Clone());

        double invScaleX = (double)width / src.Width, invScaleY = (double)height / src.Height;
        double scaleX = 1.0 / invScaleX, scaleY = 1.0 / invScaleY;
        // cv::hal::resize: INTER_LINEAR with exact integer factors 2×2 is handed to INTER_AREA's fast path.
        int iscaleX = SaturateInt(scaleX), iscaleY = SaturateInt(scaleY);
        bool isAreaFast = Math.Abs(scaleX - iscaleX) < DblEpsilon && Math.Abs(scaleY - iscaleY) < DblEpsilon;
        if (isAreaFast && iscaleX == 2 && iscaleY == 2)
            return AreaFast2x2(src, width, height);

        var (xofs, alpha) = Coefficients(src.Width, width, scaleX, clamp: true);
        // OpenCV clamps only the horizontal taps' weights; vertically it keeps fy and clamps the row index when fetching.
        var (yofs, beta) = Coefficients(src.Height, height, scaleY, clamp: false);

        // Pixel offsets → element offsets; second tap clamped inside the row (its weight is 0 there).
        int srcW = src.Width, srcH = src.Height;
        int rowLen = width * Channels;
        var xs0 = new int[rowLen];
        var xs1 = new int[rowLen];
        var a0 = new int[rowLen];
        var a1 = new int[rowLen];
        for (int dx = 0; dx < width; dx++)
        {
            int s = xofs[dx];
            int s1 = Math.Min(s + 1, srcW - 1);
            for (int c = 0; c < Channels; c++)
            {
                xs0[dx * Channels + c] = s * Channels + c;
                xs1[dx * Channels + c] = s1 * Channels + c;
                a0[dx * Channels + c] = alpha[2 * dx];
                a1[dx * Channels + c] = alpha[2 * dx + 1];
            }
        }

        byte[] sp = src.Pixels;
        var dst = new byte[checked(width * height * Channels)];
        int srcStride = srcW * Channels;
        int simdEnd = SimdEnd(rowLen);

        Parallel.For(0, height, () => (new int[rowLen], new int[rowLen]), (dy, _, bufs) =>
        {
            var (r0, r1) = bufs;
            int sy0 = Math.Clamp(yofs[dy], 0, srcH - 1);
            int sy1 = Math.Clamp(yofs[dy] + 1, 0, srcH - 1);
            HResize(sp, sy0 * srcStride, xs0, xs1, a0, a1, r0);
            if (sy1 == sy0) Array.Copy(r0, r1, rowLen);
            else HResize(sp, sy1 * srcStride, xs0, xs1, a0, a1, r1);
            VResize(r0, r1, beta[2 * dy], beta[2 * dy + 1], dst.AsSpan(dy * rowLen, rowLen), simdEnd);
            return bufs;
        }, _ => { });

        return new RgbImage(width, height, dst);
    }

    /// <summary>OpenCV's per-axis tables: the first tap's pixel index and two 11-bit fixed-point weights per output index.</summary>
    /// <param name="clamp">true: OpenCV's horizontal rule (taps outside the source get index 0 / last and weight 1, 0);
    /// false: its vertical rule (offset may be -1 or the last index, weights kept; the caller clamps row indices).</param>
    internal static (int[] Offsets, short[] Weights) Coefficients(int srcSize, int dstSize, double scale, bool clamp)
    {
        var ofs = new int[dstSize];
        var w = new short[2 * dstSize];
        for (int d = 0; d < dstSize; d++)
        {
            float f = (float)((d + 0.5) * scale - 0.5);
            int s = (int)MathF.Floor(f);
            f -= s;
            if (clamp)
            {
                if (s < 0) { f = 0; s = 0; }
                if (s >= srcSize - 1) { f = 0; s = srcSize - 1; }
            }
            ofs[d] = s;
            float c0 = 1.0f - f, c1 = f;
            w[2 * d] = SaturateShort(c0 * CoefScale);
            w[2 * d + 1] = SaturateShort(c1 * CoefScale);
        }
        return (ofs, w);
    }

    private static void HResize(byte[] src, int rowStart, int[] xs0, int[] xs1, int[] a0, int[] a1, int[] dst)
    {
        var row = src.AsSpan(rowStart);
        for (int i = 0; i < dst.Length; i++)
            dst[i] = row[xs0[i]] * a0[i] + row[xs1[i]] * a1[i];
    }

    /// <summary>How much of a row of <paramref name="len"/> bytes OpenCV's VResizeLinearVec_32s8u covers (the rest is scalar).</summary>
    internal static int SimdEnd(int len)
    {
        int x = 0;
        for (; x <= len - SimdBytes; x += SimdBytes) { }
        for (; x < len - SimdShorts; x += SimdShorts) { }
        return x;
    }

    private static void VResize(int[] s0, int[] s1, short b0s, short b1s, Span<byte> dst, int simdEnd)
    {
        int b0 = b0s, b1 = b1s;
        int x = 0;
        if (Vector.IsHardwareAccelerated && simdEnd >= Vector<int>.Count)
        {
            var vb0 = new Vector<int>(b0);
            var vb1 = new Vector<int>(b1);
            var two = new Vector<int>(2);
            var zero = Vector<int>.Zero;
            var max = new Vector<int>(255);
            Span<int> tmp = stackalloc int[Vector<int>.Count];
            for (; x <= simdEnd - Vector<int>.Count; x += Vector<int>.Count)
            {
                var v0 = Vector.ShiftRightArithmetic(Vector.ShiftRightArithmetic(new Vector<int>(s0, x), 4) * vb0, 16);
                var v1 = Vector.ShiftRightArithmetic(Vector.ShiftRightArithmetic(new Vector<int>(s1, x), 4) * vb1, 16);
                var r = Vector.Min(Vector.Max(Vector.ShiftRightArithmetic(v0 + v1 + two, 2), zero), max);
                r.CopyTo(tmp);
                for (int k = 0; k < tmp.Length; k++) dst[x + k] = (byte)tmp[k];
            }
        }
        for (; x < simdEnd; x++)
        {
            int v = (((s0[x] >> 4) * b0) >> 16) + (((s1[x] >> 4) * b1) >> 16);
            dst[x] = ClampByte((v + 2) >> 2);
        }
        for (; x < dst.Length; x++)
            dst[x] = ClampByte((s0[x] * b0 + s1[x] * b1 + (1 << (2 * CoefBits - 1))) >> (2 * CoefBits));
    }

    /// <summary>OpenCV's resizeAreaFast_ for a 2×2 factor: (a + b + c + d + 2) &gt;&gt; 2.</summary>
    private static RgbImage AreaFast2x2(RgbImage src, int width, int height)
    {
        var dst = new byte[checked(width * height * Channels)];
        byte[] sp = src.Pixels;
        int srcStride = src.Width * Channels;
        Parallel.For(0, height, dy =>
        {
            int r0 = 2 * dy * srcStride, r1 = r0 + srcStride;
            int o = dy * width * Channels;
            for (int dx = 0; dx < width; dx++)
                for (int c = 0; c < Channels; c++)
                {
                    int i = 2 * dx * Channels + c;
                    dst[o + dx * Channels + c] = (byte)((sp[r0 + i] + sp[r0 + i + Channels] + sp[r1 + i] + sp[r1 + i + Channels] + 2) >> 2);
                }
        });
        return new RgbImage(width, height, dst);
    }

    private static byte ClampByte(int v) => (byte)Math.Clamp(v, 0, 255);

    private static short SaturateShort(float v)
    {
        float r = MathF.Round(v, MidpointRounding.ToEven);
        return (short)Math.Clamp(r, short.MinValue, short.MaxValue);
    }

    private static int SaturateInt(double v)
    {
        double r = Math.Round(v, MidpointRounding.ToEven);
        return r >= int.MaxValue ? int.MaxValue : r <= int.MinValue ? int.MinValue : (int)r;
    }
}
