using System.Diagnostics;
using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Engine.Tests.Imaging;

public class ImageDecoderTests
{
    private static byte[] Rgb(params (int R, int G, int B)[] px) => px.SelectMany(p => new[] { (byte)p.R, (byte)p.G, (byte)p.B }).ToArray();

    [Fact]
    public void GrayscalePngExpandsToEqualChannels()
    {
        var png = TestImages.Png(3, 2, 8, 0, new[] { new byte[] { 0, 17, 255 }, new byte[] { 100, 101, 200 } });
        var d = ImageDecoder.Decode(png);
        Assert.Equal("png", d.Format);
        Assert.True(d.IsGrayscale);
        Assert.False(d.HadAlpha);
        Assert.Equal(Rgb((0, 0, 0), (17, 17, 17), (255, 255, 255), (100, 100, 100), (101, 101, 101), (200, 200, 200)), d.Image.Pixels);
    }

    [Fact]
    public void RgbaPngDropsAlphaAndKeepsColorUnderTransparentPixels()
    {
        var row0 = new byte[] { 10, 20, 30, 0, 200, 100, 50, 0, 1, 2, 3, 128 };
        var row1 = new byte[] { 255, 0, 0, 255, 0, 255, 0, 1, 77, 88, 99, 0 };
        var d = ImageDecoder.Decode(TestImages.Png(3, 2, 8, 6, new[] { row0, row1 }));
        Assert.True(d.HadAlpha);
        Assert.Equal(Rgb((10, 20, 30), (200, 100, 50), (1, 2, 3), (255, 0, 0), (0, 255, 0), (77, 88, 99)), d.Image.Pixels);
    }

    [Fact]
    public void GrayAlphaPngDropsAlpha()
    {
        var d = ImageDecoder.Decode(TestImages.Png(2, 1, 8, 4, new[] { new byte[] { 50, 0, 150, 255 } }));
        Assert.True(d.HadAlpha);
        Assert.Equal(Rgb((50, 50, 50), (150, 150, 150)), d.Image.Pixels);
    }

    [Fact]
    public void PalettePngExpandsPaletteIgnoringTransparency()
    {
        var plte = new byte[] { 255, 0, 0, 0, 128, 0, 1, 2, 250, 9, 8, 7 };
        var trns = new byte[] { 0, 255, 64 }; // index 0 fully transparent: PIL's convert("RGB") still gives its color
        var d = ImageDecoder.Decode(TestImages.Png(4, 1, 8, 3, new[] { new byte[] { 0, 1, 2, 3 } }, plte, trns));
        Assert.True(d.HadAlpha);
        Assert.Equal(Rgb((255, 0, 0), (0, 128, 0), (1, 2, 250), (9, 8, 7)), d.Image.Pixels);
    }

    [Fact]
    public void LowBitDepthPalettePng()
    {
        var plte = new byte[] { 0, 0, 0, 255, 255, 255, 10, 20, 30, 40, 50, 60 };
        // 2 bits per index: 0,1,2,3 packed in one byte.
        var d = ImageDecoder.Decode(TestImages.Png(4, 1, 2, 3, new[] { new byte[] { 0b00_01_10_11 } }, plte));
        Assert.Equal(Rgb((0, 0, 0), (255, 255, 255), (10, 20, 30), (40, 50, 60)), d.Image.Pixels);
    }

    [Fact]
    public void SixteenBitRgbPngKeepsMostSignificantByte()
    {
        // Low bytes ≥ 0x80 so that rounding (v/257) would differ from taking the high byte.
        var row = TestImages.Be16(0x12F0, 0xABFF, 0x0080, 0xFFFF, 0x0000, 0x7FC0);
        var d = ImageDecoder.Decode(TestImages.Png(2, 1, 16, 2, new[] { row }));
        Assert.Equal(16, d.BitDepth);
        Assert.Equal(Rgb((0x12, 0xAB, 0x00), (0xFF, 0x00, 0x7F)), d.Image.Pixels);
    }

    [Fact]
    public void SixteenBitGrayPngKeepsMostSignificantByte()
    {
        var row = TestImages.Be16(0x12F0, 0xABFF, 0x00FF, 0x8000);
        var d = ImageDecoder.Decode(TestImages.Png(4, 1, 16, 0, new[] { row }));
        Assert.True(d.IsGrayscale);
        Assert.Equal(16, d.BitDepth);
        Assert.Equal(Rgb((0x12, 0x12, 0x12), (0xAB, 0xAB, 0xAB), (0, 0, 0), (0x80, 0x80, 0x80)), d.Image.Pixels);
    }

    [Fact]
    public void SixteenBitRgbaPngKeepsMostSignificantByteAndColorUnderAlpha()
    {
        var row = TestImages.Be16(0x12F0, 0xABFF, 0x0080, 0x0000, 0xFFFF, 0x1111, 0x7FC0, 0x8000);
        var d = ImageDecoder.Decode(TestImages.Png(2, 1, 16, 6, new[] { row }));
        Assert.Equal(Rgb((0x12, 0xAB, 0x00), (0xFF, 0x11, 0x7F)), d.Image.Pixels);
    }

    [Fact]
    public void Bmp24()
    {
        var rgb = Rgb((1, 2, 3), (250, 128, 0), (9, 99, 199), (0, 0, 0), (255, 255, 255), (17, 34, 51));
        var d = ImageDecoder.Decode(TestImages.Bmp24(3, 2, rgb));
        Assert.Equal("bmp", d.Format);
        Assert.Equal(3, d.Width);
        Assert.Equal(2, d.Height);
        Assert.Equal(rgb, d.Image.Pixels);
    }

    [Fact]
    public void GifFirstFrameOnly()
    {
        var palette = new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 12, 34, 56 };
        var frame0 = new byte[] { 0, 1, 2, 3, 3, 2 };
        var frame1 = new byte[] { 3, 3, 3, 3, 3, 3 };
        var d = ImageDecoder.Decode(TestImages.Gif(3, 2, palette, -1, frame0, frame1));
        Assert.Equal("gif", d.Format);
        Assert.Equal(2, d.FrameCount);
        Assert.Equal(Rgb((255, 0, 0), (0, 255, 0), (0, 0, 255), (12, 34, 56), (12, 34, 56), (0, 0, 255)), d.Image.Pixels);
    }

    [Fact]
    public void GifTransparentIndexKeepsPaletteColorLikePil()
    {
        var palette = new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 12, 34, 56 };
        var d = ImageDecoder.Decode(TestImages.Gif(2, 1, palette, 3, new byte[] { 0, 3 }));
        Assert.Equal(Rgb((255, 0, 0), (12, 34, 56)), d.Image.Pixels);
    }

    private static byte[] SkiaEncode(int w, int h, byte[] rgba, Func<SKPixmap, SKData> encode)
    {
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var pixmap = bitmap.PeekPixels();
        using var data = encode(pixmap);
        return data.ToArray();
    }

    private static (byte[] Rgba, byte[] Rgb) Pattern(int w, int h, bool alpha)
    {
        var rgba = new byte[w * h * 4];
        var rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++)
        {
            byte r = (byte)(i * 37), g = (byte)(i * 11 + 5), b = (byte)(255 - i * 3), a = alpha ? (byte)(i % 3 == 0 ? 0 : 255 - i) : (byte)255;
            rgba[4 * i] = r; rgba[4 * i + 1] = g; rgba[4 * i + 2] = b; rgba[4 * i + 3] = a;
            rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = b;
        }
        return (rgba, rgb);
    }

    [Fact]
    public void WebpLosslessRoundTrip()
    {
        var (rgba, rgb) = Pattern(7, 5, alpha: false);
        var webp = SkiaEncode(7, 5, rgba, p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))!);
        var d = ImageDecoder.Decode(webp);
        Assert.Equal("webp", d.Format);
        Assert.Equal(rgb, d.Image.Pixels);
    }

    [Fact]
    public void SkiaEncodedRgbaPngRoundTripKeepsColorUnderAlpha()
    {
        var (rgba, rgb) = Pattern(6, 4, alpha: true);
        var png = SkiaEncode(6, 4, rgba, p => p.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))!);
        var d = ImageDecoder.Decode(png);
        Assert.True(d.HadAlpha);
        Assert.Equal(rgb, d.Image.Pixels);
    }

    [Fact]
    public void JpegExifOrientationIsNotApplied()
    {
        // case1.jpg carries EXIF: the decode keeps the stored pixel layout (384 wide, 256 high).
        var d = ImageDecoder.Decode(Fixtures.Tiny("case1.jpg"));
        Assert.Equal(384, d.Width);
        Assert.Equal(256, d.Height);
    }

    // ---- errors ----

    [Fact]
    public void EmptyFileIsImageEmpty()
    {
        string path = Path.Combine(Path.GetTempPath(), $"svit-empty-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, Array.Empty<byte>());
        try
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
            Assert.Equal(ImageDecodeErrorCodes.ImageEmpty, e.Code);
            Assert.Equal(path, e.Path);
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TruncatedJpegIsImageTruncated()
    {
        var bytes = File.ReadAllBytes(Fixtures.Tiny("case2.jpg"));
        var half = bytes.AsSpan(0, bytes.Length / 2).ToArray();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(half, "half.jpg"));
        Assert.Equal(ImageDecodeErrorCodes.ImageTruncated, e.Code);
        Assert.Contains("half.jpg", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TruncatedPngIsImageTruncated()
    {
        var png = File.ReadAllBytes(Fixtures.Tiny("case3.png"));
        foreach (int len in new[] { 20, png.Length / 2 })
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png.AsSpan(0, len).ToArray(), "cut.png"));
            Assert.Equal(ImageDecodeErrorCodes.ImageTruncated, e.Code);
        }
    }

    [Fact]
    public void RandomBytesAreImageUnrecognized()
    {
        var rng = new Random(1234);
        var bytes = new byte[4096];
        rng.NextBytes(bytes);
        bytes[0] = 0x42; bytes[1] = 0x00; // not a BMP/JPEG/PNG signature
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, "noise.bin"));
        Assert.Equal(ImageDecodeErrorCodes.ImageUnrecognized, e.Code);
        Assert.Contains("noise.bin", e.Message);

        var text = "hello, this is not an image"u8.ToArray();
        Assert.Equal(ImageDecodeErrorCodes.ImageUnrecognized, Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(text)).Code);
    }

    [Fact]
    public void HugePngHeaderIsRefusedQuicklyWithoutDecoding()
    {
        var png = TestImages.Png(40000, 40000, 8, 2, Array.Empty<byte[]>(), withIdat: false);
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, "bomb.png"));
        sw.Stop();
        Assert.Equal(ImageDecodeErrorCodes.ImageTooLarge, e.Code);
        Assert.Contains("40000x40000", e.Message);
        Assert.True(sw.ElapsedMilliseconds < 1000, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void PixelLimitIsConfigurable()
    {
        var png = TestImages.Png(3, 2, 8, 0, new[] { new byte[] { 0, 17, 255 }, new byte[] { 100, 101, 200 } });
        var strict = new ImageDecoderOptions { MaxPixels = 5 };
        Assert.Equal(ImageDecodeErrorCodes.ImageTooLarge, Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, "x.png", strict)).Code);
        Assert.Equal(6, ImageDecoder.Decode(png, "x.png", new ImageDecoderOptions { MaxPixels = 6 }).Image.Width * 2);

        // JPEG: the limit is checked from the header as well.
        var jpeg = File.ReadAllBytes(Fixtures.Tiny("case2.jpg"));
        Assert.Equal(ImageDecodeErrorCodes.ImageTooLarge,
            Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg, "case2.jpg", new ImageDecoderOptions { MaxPixels = 1024 * 768 - 1 })).Code);

        // Above the default limit but allowed by a larger one: no longer "too large" (here it fails for lack of data).
        var big = TestImages.Png(10000, 10000, 8, 2, Array.Empty<byte[]>(), withIdat: false);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(big, "big.png", new ImageDecoderOptions { MaxPixels = 200_000_000 }));
        Assert.NotEqual(ImageDecodeErrorCodes.ImageTooLarge, e.Code);
        Assert.Equal(ImageDecodeErrorCodes.ImageTooLarge, Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(big)).Code);
    }

    [Fact]
    public void DamagedKnownFormatIsDecodeFailedNotUnrecognized()
    {
        var png = TestImages.Png(3, 2, 8, 0, new[] { new byte[] { 0, 17, 255 }, new byte[] { 100, 101, 200 } });
        png[16 + 8] = 7; // invalid bit depth in IHDR
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, "bad.png"));
        Assert.NotEqual(ImageDecodeErrorCodes.ImageUnrecognized, e.Code);
    }
}

public class ImageDecoderSixteenBitTests
{
    [Fact]
    public void InterlacedSixteenBitRgbPng()
    {
        int w = 9, h = 7;
        var samples = new int[w * h * 3];
        for (int i = 0; i < samples.Length; i++) samples[i] = (i * 2749 + 0x80) & 0xFFFF;
        var be = TestImages.Be16(samples);
        var png = TestImages.Png(w, h, 16, 2, TestImages.Adam7Rows(w, h, 6, be), interlace: 1);
        var d = ImageDecoder.Decode(png);
        Assert.Equal(samples.Select(v => (byte)(v >> 8)).ToArray(), d.Image.Pixels);
    }

    [Fact]
    public void TruncatedSixteenBitPngIsImageTruncated()
    {
        int w = 64, h = 64;
        var rng = new Random(7);
        var rows = Enumerable.Range(0, h).Select(_ => { var r = new byte[w * 6]; rng.NextBytes(r); return r; }).ToArray();
        var png = TestImages.Png(w, h, 16, 2, rows);
        var cut = png.AsSpan(0, png.Length / 2).ToArray();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cut, "cut16.png"));
        Assert.Equal(ImageDecodeErrorCodes.ImageTruncated, e.Code);
        Assert.Contains("cut16.png", e.Message);
    }
}
