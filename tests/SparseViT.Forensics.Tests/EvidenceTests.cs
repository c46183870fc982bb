using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests;

public class EvidenceTests
{
    private static readonly Lazy<RgbImage> Base = new(() => TestImages.Decode(File.ReadAllBytes(RepoPaths.Sample("sample_3.jpg"))));
    private readonly EvidenceAnalyzer _analyzer = new();

    private IReadOnlyList<EvidenceIndicator> Analyze(byte[] bytes, string path)
    {
        var image = TestImages.Decode(bytes);
        return _analyzer.Analyze(EvidenceContext.From(path, MetadataReader.Read(bytes, path), image));
    }

    private static ExifJpegBuilder Camera(byte[]? thumbnail) => new()
    {
        Make = "Canon", Model = "Canon EOS 5D", Software = "Firmware 1.1.1",
        DateTime = "2024:05:01 10:00:00", DateTimeOriginal = "2024:05:01 10:00:00",
        PixelXDimension = 1024, PixelYDimension = 768, Thumbnail = thumbnail,
    };

    [Theory]
    [InlineData("sample_1.jpg")]
    [InlineData("sample_2.jpg")]
    public void Photoshop_samples_carry_the_editing_software_indicator(string name)
    {
        var indicators = Analyze(File.ReadAllBytes(RepoPaths.Sample(name)), RepoPaths.Sample(name));
        var software = Assert.Single(indicators, i => i.Id == IndicatorIds.EditingSoftware);
        Assert.Equal(Severity.Medium, software.Severity);
        Assert.Contains("Adobe Photoshop CS2 Windows", software.Message);
        Assert.Equal("Adobe Photoshop CS2 Windows", software.Values["software"]);
    }

    [Fact]
    public void Sample_3_without_exif_carries_the_no_camera_metadata_indicator()
    {
        var indicators = Analyze(File.ReadAllBytes(RepoPaths.Sample("sample_3.jpg")), RepoPaths.Sample("sample_3.jpg"));
        var indicator = Assert.Single(indicators, i => i.Id == IndicatorIds.NoCameraMetadata);
        Assert.Equal(Severity.Low, indicator.Severity);
        Assert.Equal(false, indicator.Values["hasExif"]);
    }

    [Fact]
    public void Untouched_camera_file_has_no_indicators()
    {
        var bytes = Camera(TestImages.Thumbnail(Base.Value, 160, 120)).Splice(TestImages.EncodeJpeg(Base.Value, 92));
        // Skia writes libjpeg's tables, which the quantization rule rightly notices; nothing else may fire.
        var indicators = Analyze(bytes, "IMG_0001.jpg").Where(i => i.Id != IndicatorIds.EditorQuantization).ToArray();
        Assert.Empty(indicators);
    }

    [Fact]
    public void Thumbnail_mismatch_is_detected_after_the_main_image_is_altered()
    {
        var thumbnail = TestImages.Thumbnail(Base.Value, 160, 120);
        var altered = TestImages.WithRectangle(Base.Value, 600, 200, 300, 250, 250, 30, 200);
        var bytes = Camera(thumbnail).Splice(TestImages.EncodeJpeg(altered, 92));

        var indicator = Assert.Single(Analyze(bytes, "IMG_0001.jpg"), i => i.Id == IndicatorIds.ThumbnailMismatch);
        Assert.Equal(Severity.High, indicator.Severity);
        Assert.True((double)indicator.Values["maxBlockDifference"]! > 40);
        Assert.Equal(160, indicator.Values["thumbnailWidth"]);
    }

    [Fact]
    public void Thumbnail_of_the_same_image_does_not_mismatch_and_reports_small_difference()
    {
        var thumbnail = TestImages.Decode(TestImages.Thumbnail(Base.Value, 160, 120));
        var comparison = ThumbnailComparison.Compare(thumbnail, Base.Value, 0.03);
        Assert.True(comparison.MeanDifference < 6, $"mean {comparison.MeanDifference}");
        Assert.True(comparison.MaxBlockDifference < 20, $"block {comparison.MaxBlockDifference}");
    }

    [Fact]
    public void Letterboxed_thumbnail_of_a_wider_image_is_not_a_mismatch()
    {
        // A 3:2 image in a 4:3 thumbnail with black bars, as many cameras store it.
        var wide = new RgbImage(1024, 683, Base.Value.Pixels.AsSpan(0, 1024 * 683 * 3).ToArray());
        var content = TestImages.Decode(TestImages.Thumbnail(wide, 160, 107));
        var boxed = new byte[160 * 120 * 3];
        int top = (120 - 107) / 2;
        for (int y = 0; y < 107; y++) Array.Copy(content.Pixels, y * 160 * 3, boxed, (top + y) * 160 * 3, 160 * 3);
        var thumbnail = TestImages.EncodeJpeg(new RgbImage(160, 120, boxed), 80);
        var bytes = Camera(thumbnail).Splice(TestImages.EncodeJpeg(wide, 92));
        var metadata = MetadataReader.Read(bytes, "wide.jpg") with { ExifHeight = 683 };

        var indicators = _analyzer.Analyze(EvidenceContext.From("wide.jpg", metadata, TestImages.Decode(bytes)));

        Assert.DoesNotContain(indicators, i => i.Id == IndicatorIds.ThumbnailMismatch);
    }

    [Fact]
    public void Modified_after_capture_and_exif_dimensions_are_reported_with_raw_values()
    {
        var bytes = Camera(null).Splice(TestImages.EncodeJpeg(Base.Value, 92));
        var metadata = MetadataReader.Read(bytes, "x.jpg") with
        {
            DateTimeModified = new DateTime(2024, 5, 3, 9, 30, 0),
            ExifWidth = 4000,
            ExifHeight = 3000,
        };
        var indicators = _analyzer.Analyze(new EvidenceContext("x.jpg", metadata, 1024, 768));

        var modified = Assert.Single(indicators, i => i.Id == IndicatorIds.ModifiedAfterCapture);
        Assert.Equal((long)(47.5 * 3600), modified.Values["differenceSeconds"]);
        var dimensions = Assert.Single(indicators, i => i.Id == IndicatorIds.ExifDimensionMismatch);
        Assert.Equal(4000, dimensions.Values["exifWidth"]);
        Assert.Equal(1024, dimensions.Values["width"]);
    }

    [Fact]
    public void Same_second_and_transposed_dimensions_are_not_reported()
    {
        var metadata = new ImageMetadata
        {
            DetectedFormat = "JPEG", Make = "Apple",
            DateTimeOriginal = new DateTime(2024, 1, 1, 8, 0, 0), DateTimeModified = new DateTime(2024, 1, 1, 8, 0, 30),
            ExifWidth = 768, ExifHeight = 1024,
        };
        Assert.Empty(_analyzer.Analyze(new EvidenceContext("a.jpg", metadata, 1024, 768)));
    }

    [Fact]
    public void Extension_mismatch_and_editor_in_xmp_history_are_reported()
    {
        var metadata = new ImageMetadata
        {
            DetectedFormat = "PNG", FileExtension = "jpg", ExpectedExtensions = ["png"], ExtensionMatchesFormat = false,
            EditHistory = [new EditHistoryEvent("saved", "GIMP 2.10", "2024-01-01T00:00:00", "/")],
        };
        var indicators = _analyzer.Analyze(new EvidenceContext("a.jpg", metadata, 10, 10));
        Assert.Contains(indicators, i => i.Id == IndicatorIds.ExtensionMismatch);
        var editing = Assert.Single(indicators, i => i.Id == IndicatorIds.EditingSoftware);
        Assert.Contains("GIMP", editing.Message);
        Assert.Equal(IndicatorIds.EditingSoftware, indicators[0].Id); // most severe first
    }

    [Fact]
    public void Standard_ijg_tables_are_reported_with_the_quality()
    {
        var bytes = TestImages.EncodeJpeg(Base.Value, 80);
        var indicator = Assert.Single(Analyze(bytes, "a.jpg"), i => i.Id == IndicatorIds.EditorQuantization);
        Assert.Equal(80, indicator.Values["estimatedQuality"]);
        Assert.Equal(Severity.Low, indicator.Severity);
    }
}
