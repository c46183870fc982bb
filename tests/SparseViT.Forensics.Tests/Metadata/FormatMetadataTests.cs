using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests.Metadata;

/// <summary>
/// Camera, software, dates and GPS from the newer intake formats, checked against what ExifTool wrote into them
/// (Metadata/Tagged/make-tagged.sh) and what ExifTool reads from the shared fixtures; the format named from the bytes,
/// so the extension check works for them too.
/// </summary>
public class FormatMetadataTests
{
    private static string Tagged(string file) => Path.Combine(RepoPaths.Root, "tests", "SparseViT.Forensics.Tests", "Metadata", "Tagged", file);

    [Theory]
    [InlineData("tagged.heic", "HEIC/HEIF", "image/heic")]
    [InlineData("tagged.avif", "AVIF", "image/avif")]
    [InlineData("tagged.jxl", "JPEG XL", "image/jxl")]
    [InlineData("tagged.jp2", "JPEG 2000", "image/jp2")]
    [InlineData("tagged.tif", "TIFF", "image/tiff")]
    public void ExifWrittenByExifToolIsRead(string file, string format, string mime)
    {
        var metadata = MetadataReader.Read(Tagged(file));

        Assert.Equal(format, metadata.DetectedFormat);
        Assert.Equal(mime, metadata.MimeType);
        Assert.True(metadata.ExtensionMatchesFormat);
        Assert.True(metadata.HasExif);
        Assert.Equal("TestCam", metadata.Make);
        Assert.Equal("Model X", metadata.Model);
        Assert.Equal("Adobe Photoshop 25.0", metadata.Software);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 20, 30), metadata.DateTimeOriginal);
        Assert.Equal(new DateTime(2024, 6, 1, 11, 0, 0), metadata.DateTimeModified);
        Assert.NotNull(metadata.Gps);
        Assert.Equal(48.8584, metadata.Gps!.Latitude, 4);
        Assert.Equal(2.2945, metadata.Gps.Longitude, 4);
        Assert.Empty(metadata.Warnings);
    }

    [Fact]
    public void DngCameraFieldsAreReadAndItsExtensionMatches()
    {
        // exiftool 12.57 on the fixture: Make "Fixtures", Model "Synthetic CFA", Software "tifffile.py".
        var metadata = MetadataReader.Read(RepoPaths.Shared("fixtures", "formats", "dng_cfa_synthetic.dng"));
        Assert.Equal("DNG", metadata.DetectedFormat);
        Assert.True(metadata.ExtensionMatchesFormat);
        Assert.Equal("Fixtures", metadata.Make);
        Assert.Equal("Synthetic CFA", metadata.Model);
        Assert.Equal("tifffile.py", metadata.Software);
    }

    [Fact]
    public void TiffXmpCreatorToolIsRead()
    {
        // exiftool 12.57 on the fixture: CreatorTool "Adobe Photoshop CS Windows".
        var metadata = MetadataReader.Read(RepoPaths.Shared("fixtures", "formats", "tiff_c2pa_test.tif"));
        Assert.Equal("TIFF", metadata.DetectedFormat);
        Assert.Equal("Adobe Photoshop CS Windows", metadata.CreatorTool);
    }

    [Theory]
    [InlineData("tagged.heic", "holiday.jpg", "HEIC/HEIF")]
    [InlineData("tagged.avif", "holiday.png", "AVIF")]
    [InlineData("tagged.jxl", "holiday.jpg", "JPEG XL")]
    [InlineData("tagged.tif", "scan.heic", "TIFF")]
    public void ANewFormatUnderAnotherNameIsAnExtensionMismatch(string file, string name, string format)
    {
        var metadata = MetadataReader.Read(File.ReadAllBytes(Tagged(file)), name);
        Assert.False(metadata.ExtensionMatchesFormat);
        var indicator = new ExtensionMismatchRule().Evaluate(new EvidenceContext(name, metadata, 96, 64));
        Assert.NotNull(indicator);
        Assert.Contains($"The file is {format} but its name ends in .{Path.GetExtension(name).TrimStart('.')}", indicator!.Message);
    }

    [Fact]
    public void DamagedBoxesInAJpeg2000FileBecomeAWarningNotAnException()
    {
        var bytes = File.ReadAllBytes(Tagged("tagged.jp2"));
        // Claim a huge length for the box after the signature and file-type boxes.
        int second = 12 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(12));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(second), 0x7FFF_FFFF);
        var metadata = MetadataReader.Read(bytes, "damaged.jp2");
        Assert.Contains(metadata.Warnings, w => w.Contains("runs past the end of the file"));
    }
}
