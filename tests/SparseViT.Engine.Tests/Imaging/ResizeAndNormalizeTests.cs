using System.Diagnostics;
using SparseViT.Engine.Imaging;
using Xunit.Abstractions;

namespace SparseViT.Engine.Tests.Imaging;

public class ResizeAndNormalizeTests
{
    private readonly ITestOutputHelper _out;
    public ResizeAndNormalizeTests(ITestOutputHelper output) => _out = output;

    private static RgbImage Gray(int w, int h, params byte[] values) =>
        new(w, h, values.SelectMany(v => new[] { v, v, v }).ToArray());

    [Fact]
    public void HorizontalUpscaleByConstruction()
    {
        // 2→4 px: fx = -0.25 (clamped: weight 1 on px 0), 0.25, 0.75, 1.25 (clamped to the last px);
        // weights 1536/512 and 512/1536 of 2048; OpenCV's vertical kernel rounds 63.75 → 64 and 191.25 → 191.
        var r = OpenCvLinearResize.Resize(Gray(2, 1, 0, 255), 4, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 64, 64, 64, 191, 191, 191, 255, 255, 255 }, r.Pixels);
    }

    [Fact]
    public void ExactTwoByTwoDownscaleIsOpenCvAreaMean()
    {
        // cv::resize hands INTER_LINEAR with factors exactly 2×2 to INTER_AREA: (a + b + c + d + 2) >> 2.
        var src = Gray(4, 2, 0, 1, 10, 20, 0, 0, 11, 30);
        var r = OpenCvLinearResize.Resize(src, 2, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 18, 18, 18 }, r.Pixels); // (0+1+0+0+2)>>2 = 0, (10+20+11+30+2)>>2 = 18
    }

    [Fact]
    public void SinglePixelAndIdentity()
    {
        var one = new RgbImage(1, 1, new byte[] { 9, 8, 7 });
        var r = OpenCvLinearResize.Resize(one, 5, 3);
        Assert.All(Enumerable.Range(0, 15), i => Assert.Equal(new byte[] { 9, 8, 7 }[i % 3], r.Pixels[i]));
        var img = Gray(3, 2, 1, 2, 3, 4, 5, 6);
        var same = OpenCvLinearResize.Resize(img, 3, 2);
        Assert.Equal(img.Pixels, same.Pixels);
        Assert.NotSame(img.Pixels, same.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenCvLinearResize.Resize(img, 0, 2));
    }

    [Fact]
    public void NormalizerValuesAndSpanOverload()
    {
        // (v − f32(0.485·255)) / f32(0.229·255) in float32.
        Assert.Equal((0f - 0.485f * 255f) / (0.229f * 255f), ImageNormalizer.Normalize(0, 0));
        Assert.Equal((255f - 0.406f * 255f) / (0.225f * 255f), ImageNormalizer.Normalize(255, 2));
        var img = new RgbImage(2, 1, new byte[] { 0, 128, 255, 10, 20, 30 });
        var chw = ImageNormalizer.Normalize(img);
        Assert.Equal(ImageNormalizer.Normalize(0, 0), chw[0]);
        Assert.Equal(ImageNormalizer.Normalize(10, 0), chw[1]);
        Assert.Equal(ImageNormalizer.Normalize(128, 1), chw[2]);
        Assert.Equal(ImageNormalizer.Normalize(30, 2), chw[5]);
        Assert.Throws<ArgumentException>(() => ImageNormalizer.Normalize(img, new float[5]));
    }

    [Fact]
    public void LanczosIdentityAndConstant()
    {
        var src = Enumerable.Range(0, 12).Select(i => (float)i / 7).ToArray();
        Assert.Equal(src, LanczosResize.Resize(src, 4, 3, 4, 3));
        var c = Enumerable.Repeat(0.25f, 20 * 10).ToArray();
        var up = LanczosResize.Resize(c, 20, 10, 33, 17);
        Assert.All(up, v => Assert.InRange(v, 0.25f - 1e-6f, 0.25f + 1e-6f));
        Assert.Throws<ArgumentException>(() => LanczosResize.Resize(c, 20, 11, 5, 5));
    }

    [Fact]
    public void LargeImagesAreFastEnough()
    {
        var rng = new Random(1);
        var mask = new float[512 * 512];
        for (int i = 0; i < mask.Length; i++) mask[i] = (float)rng.NextDouble();
        LanczosResize.Resize(mask, 512, 512, 300, 200); // warm-up (JIT)
        var sw = Stopwatch.StartNew();
        var big = LanczosResize.Resize(mask, 512, 512, 4000, 3000);
        long lanczosMs = sw.ElapsedMilliseconds;
        Assert.Equal(12_000_000, big.Length);

        var px = new byte[4000 * 3000 * 3];
        rng.NextBytes(px);
        var img = new RgbImage(4000, 3000, px);
        ImagePreprocessor.Prepare(img);
        sw.Restart();
        var input = ImagePreprocessor.Prepare(img);
        long prepareMs = sw.ElapsedMilliseconds;
        Assert.Equal(3 * 512 * 512, input.Length);
        _out.WriteLine($"Lanczos 512² → 4000×3000: {lanczosMs} ms; Prepare 4000×3000 → 512²: {prepareMs} ms");
        Assert.True(lanczosMs < 10_000 && prepareMs < 5_000, "far slower than expected");
    }
}
