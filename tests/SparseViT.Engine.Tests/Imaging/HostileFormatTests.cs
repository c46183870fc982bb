using System.Diagnostics;
using ImageMagick;
using SparseViT.Engine.Imaging;
using SparseViT.Tests.Shared;

namespace SparseViT.Engine.Tests.Imaging;

/// <summary>
/// The second decoder gets the first one's limits: sizes checked from the header before any allocation, damaged files
/// refused with a specific error (never a crash or a hang), and no reader that runs scripts or fetches files.
/// </summary>
public class HostileFormatTests
{
    private static string Shared => Path.GetFullPath(Path.Combine(Fixtures.RepoRoot, "..", "shared"));

    private static ImageDecodeException Refused(byte[] bytes, string name, out long milliseconds)
    {
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, name));
        milliseconds = watch.ElapsedMilliseconds;
        Assert.Contains(name, e.Message);
        Assert.True(milliseconds < 5000, $"{name}: refusing took {milliseconds} ms");
        return e;
    }

    [Theory]
    [InlineData("heic")]
    [InlineData("tiff")]
    public void AHeaderClaimingTenGigapixelsIsRefusedBeforeAllocating(string format)
    {
        var bytes = format == "heic" ? HostileImages.HeicClaiming(Shared, 100_000, 100_000) : HostileImages.TiffClaiming(Shared, 100_000, 100_000);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Refused(bytes, $"huge.{format}", out _);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(ImageDecodeErrorCodes.ImageTooLarge, e.Code);
        Assert.Contains("100000x100000", e.Message);
        Assert.True(allocated < 64 << 20, $"allocated {allocated} bytes before refusing");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.05)]
    [InlineData(0.002)]
    public void TruncatedHeicIsAnErrorNamingTheFormat(double fraction)
    {
        var e = Refused(HostileImages.TruncatedHeic(Shared, fraction), "cut.heic", out _);
        Assert.Contains(e.Code, new[] { ImageDecodeErrorCodes.ImageTruncated, ImageDecodeErrorCodes.ImageDecodeFailed });
        Assert.Contains("HEIC", e.Message);
    }

    [Fact]
    public void TiffWithItsDirectoryOffsetPastTheEndIsCorrupt()
    {
        var e = Refused(HostileImages.TiffWithBadIfdOffset(Shared), "bad-ifd.tif", out _);
        Assert.Equal(ImageDecodeErrorCodes.ImageDecodeFailed, e.Code);
        Assert.Contains("TIFF structure is corrupt", e.Message);
    }

    [Fact]
    public void TruncatedTiffStripsAreReportedAsTruncated()
    {
        var bytes = File.ReadAllBytes(Path.Combine(HostileImages.FormatsDirectory(Shared), "tiff_rgb8_lzw.tif"));
        var e = Refused(bytes[..(bytes.Length / 3)], "cut.tif", out _);
        Assert.Contains(e.Code, new[] { ImageDecodeErrorCodes.ImageTruncated, ImageDecodeErrorCodes.ImageDecodeFailed });
        Assert.Contains("TIFF", e.Message);
    }

    [Theory]
    [InlineData("svg", "SVG")]
    [InlineData("mvg", "MVG")]
    public void ScriptFormatsNamedJpgAreNeverDecoded(string kind, string named)
    {
        var bytes = kind == "svg" ? HostileImages.Svg() : HostileImages.Mvg();
        var e = Refused(bytes, "holiday.jpg", out _);
        Assert.Equal(ImageDecodeErrorCodes.ImageUnrecognized, e.Code);
        Assert.Contains(named, e.Message);
        Assert.Contains("not a raster image", e.Message);
    }

    [Theory]
    [InlineData(MagickFormat.Mvg)]
    [InlineData(MagickFormat.Svg)]
    [InlineData(MagickFormat.Msl)]
    [InlineData(MagickFormat.Text)]
    [InlineData(MagickFormat.Ps)]
    public void TheImageMagickPolicyForbidsScriptAndVectorCoders(MagickFormat coder)
    {
        // Decode one file first, so ImageMagick runs under the policy the decoder installs on first use.
        ImageDecoder.Decode(Path.Combine(HostileImages.FormatsDirectory(Shared), "jxl_lossy_d1.jxl"));
        var bytes = coder == MagickFormat.Svg ? HostileImages.Svg() : HostileImages.Mvg();
        var e = Assert.ThrowsAny<MagickException>(() => new MagickImage(bytes, new MagickReadSettings { Format = coder }));
        Assert.Contains("not authorized", e.Message);
    }

    [Fact]
    public void ImageMagickHasNoDiskCacheAndOneThread()
    {
        ImageDecoder.Decode(Path.Combine(HostileImages.FormatsDirectory(Shared), "jxl_lossy_d1.jxl"));
        Assert.Equal(0UL, ResourceLimits.Disk);
        Assert.Equal(1UL, ResourceLimits.Thread);
    }
}
