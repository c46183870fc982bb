using SparseViT.Engine.Imaging;
using Xunit.Abstractions;

namespace SparseViT.Engine.Tests.Imaging;

/// <summary>Decode / resize / normalize / Lanczos against the reference fixture produced by PIL + OpenCV + albumentations.</summary>
public class FixtureParityTests
{
    private readonly ITestOutputHelper _out;
    public FixtureParityTests(ITestOutputHelper output) => _out = output;

    private static (int Equal, int MaxDiff) Compare(byte[] actual, byte[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        int equal = 0, max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            if (d == 0) equal++;
            if (d > max) max = d;
        }
        return (equal, max);
    }

    private static RgbImage ReferenceRgb(int n)
    {
        var npy = Fixtures.Npy($"case{n}.rgb.npy");
        return new RgbImage((int)npy.Shape[1], (int)npy.Shape[0], npy.AsUInt8());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DecodeMatchesPil(int n)
    {
        var decoded = ImageDecoder.Decode(Fixtures.ImageFile(n));
        var reference = Fixtures.Npy($"case{n}.rgb.npy");
        Assert.Equal(reference.Shape[0], decoded.Height);
        Assert.Equal(reference.Shape[1], decoded.Width);
        Assert.Equal(n == 3 ? "png" : "jpeg", decoded.Format);
        var (equal, max) = Compare(decoded.Image.Pixels, reference.AsUInt8());
        int total = reference.AsUInt8().Length;
        _out.WriteLine($"case{n} decode: {equal}/{total} equal ({100.0 * equal / total:F4}%), max |diff| {max}");
        if (n == 3) Assert.Equal(total, equal);
        Assert.True(equal >= total * 0.999, $"only {equal}/{total} equal");
        Assert.True(max <= 1, $"max diff {max}");
        Assert.Equal(total, equal); // measured: Skia's libjpeg-turbo decode is identical to PIL's on the fixtures
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ResizeOfReferenceRgbIsExact(int n)
    {
        var resized = OpenCvLinearResize.Resize(ReferenceRgb(n), 512, 512);
        var expected = Fixtures.Npy($"case{n}.resized.npy").AsUInt8();
        var (equal, max) = Compare(resized.Pixels, expected);
        _out.WriteLine($"case{n} resize(rgb.npy): {equal}/{expected.Length} equal, max |diff| {max}");
        Assert.Equal(expected.Length, equal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ResizeOfOwnDecodeMatches(int n)
    {
        var decoded = ImageDecoder.Decode(Fixtures.ImageFile(n));
        var resized = OpenCvLinearResize.Resize(decoded.Image, 512, 512);
        var expected = Fixtures.Npy($"case{n}.resized.npy").AsUInt8();
        var (equal, max) = Compare(resized.Pixels, expected);
        _out.WriteLine($"case{n} decode+resize: {equal}/{expected.Length} equal ({100.0 * equal / expected.Length:F4}%), max |diff| {max}");
        Assert.True(equal >= expected.Length * 0.999, $"only {equal}/{expected.Length} equal");
        Assert.True(max <= 1, $"max diff {max}");
        Assert.Equal(expected.Length, equal); // measured: exact on all three cases
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NormalizedInputMatches(int n)
    {
        var resizedNpy = Fixtures.Npy($"case{n}.resized.npy");
        var resized = new RgbImage(512, 512, resizedNpy.AsUInt8());
        var expected = Fixtures.Npy($"case{n}.input.npy").AsFloat32();
        var actual = ImageNormalizer.Normalize(resized);
        double max = MaxAbs(actual, expected, out int exact);
        _out.WriteLine($"case{n} normalize(resized.npy): max |diff| {max:G6}, bit-equal {exact}/{expected.Length}");
        Assert.Equal(expected.Length, exact);

        // Full pipeline from the file, and the span overload writing into a batch slot.
        var batch = new float[2 * expected.Length];
        ImagePreprocessor.Prepare(ImageDecoder.Decode(Fixtures.ImageFile(n)).Image, batch.AsSpan(expected.Length));
        double maxE2E = MaxAbs(batch.AsSpan(expected.Length).ToArray(), expected, out int exactE2E);
        _out.WriteLine($"case{n} decode+prepare: max |diff| {maxE2E:G6}, bit-equal {exactE2E}/{expected.Length}");
        Assert.True(maxE2E <= 1e-6, $"max diff {maxE2E}");
        Assert.True(batch.AsSpan(0, expected.Length).ToArray().All(v => v == 0f));
        Assert.Equal(ImagePreprocessor.Prepare(ImageDecoder.Decode(Fixtures.ImageFile(n)).Image), batch.AsSpan(expected.Length).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LanczosMaskMatchesPil(int n)
    {
        var mask512 = Fixtures.Npy($"case{n}.mask512.npy").AsFloat32();
        var refMask = Fixtures.Npy($"case{n}.mask.npy");
        int h = (int)refMask.Shape[0], w = (int)refMask.Shape[1];
        var expected = refMask.AsFloat32();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var actual = LanczosResize.Resize(mask512, 512, 512, w, h);
        sw.Stop();
        double max = MaxAbs(actual, expected, out int exact);
        _out.WriteLine($"case{n} lanczos 512->{w}x{h}: max |diff| {max:G6}, bit-equal {exact}/{expected.Length}, {sw.ElapsedMilliseconds} ms");
        Assert.True(max <= 1e-5, $"max diff {max}");
        Assert.Equal(expected.Length, exact);
    }

    private static double MaxAbs(float[] a, float[] b, out int exact)
    {
        Assert.Equal(b.Length, a.Length);
        double max = 0;
        exact = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(b[i])) exact++;
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }
        return max;
    }
}
