using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests;

public class MetadataTests
{
    private static readonly Lazy<Engine.Imaging.RgbImage> Base = new(() => TestImages.Decode(File.ReadAllBytes(RepoPaths.Sample("sample_3.jpg"))));

    [Fact]
    public void Samples_1_and_2_name_Photoshop_and_sample_3_has_no_exif()
    {
        foreach (var name in new[] { "sample_1.jpg", "sample_2.jpg" })
        {
            var metadata = MetadataReader.Read(RepoPaths.Sample(name));
            Assert.Equal("Adobe Photoshop CS2 Windows", metadata.Software);
            Assert.Equal("JPEG", metadata.DetectedFormat);
            Assert.True(metadata.ExtensionMatchesFormat);
        }
        var sample1 = MetadataReader.Read(RepoPaths.Sample("sample_1.jpg"));
        Assert.Equal(new DateTime(2008, 12, 28, 0, 1, 25), sample1.DateTimeModified);
        var sample3 = MetadataReader.Read(RepoPaths.Sample("sample_3.jpg"));
        Assert.False(sample3.HasExif);
        Assert.Null(sample3.Software);
        Assert.NotNull(sample3.Quantization);
    }

    [Fact]
    public void Exif_fields_gps_and_dates_are_parsed()
    {
        var thumbnail = TestImages.Thumbnail(Base.Value, 160, 120);
        var bytes = new ExifJpegBuilder
        {
            Make = "Canon", Model = "Canon EOS 5D", Software = "Firmware 1.1.1", Orientation = 6,
            DateTime = "2024:05:01 12:00:00", DateTimeOriginal = "2024:05:01 10:00:00", DateTimeDigitized = "2024:05:01 10:00:01",
            PixelXDimension = 1024, PixelYDimension = 768,
            Gps = (40.748433, -73.985656, 10.5),
            Thumbnail = thumbnail,
        }.Splice(TestImages.EncodeJpeg(Base.Value, 90));

        var metadata = MetadataReader.Read(bytes, "/photos/IMG_0001.JPG");

        Assert.True(metadata.HasExif);
        Assert.True(metadata.HasCameraMetadata);
        Assert.Equal("Canon", metadata.Make);
        Assert.Equal("Canon EOS 5D", metadata.Model);
        Assert.Equal("Firmware 1.1.1", metadata.Software);
        Assert.Equal(6, metadata.Orientation);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0), metadata.DateTimeOriginal);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 1), metadata.DateTimeDigitized);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0), metadata.DateTimeModified);
        Assert.Equal(1024, metadata.ExifWidth);
        Assert.Equal(768, metadata.ExifHeight);
        Assert.NotNull(metadata.Gps);
        Assert.Equal(40.748433, metadata.Gps!.Latitude, 5);
        Assert.Equal(-73.985656, metadata.Gps.Longitude, 5);
        Assert.Equal(10.5, metadata.Gps.AltitudeMeters!.Value, 3);
        Assert.NotNull(metadata.Thumbnail);
        Assert.Equal(160, metadata.Thumbnail!.Width);
        Assert.Equal(120, metadata.Thumbnail.Height);
        Assert.Equal(thumbnail, metadata.Thumbnail.Bytes);
        Assert.Equal("jpg", metadata.FileExtension);
        Assert.True(metadata.ExtensionMatchesFormat);
        Assert.Empty(metadata.Warnings);
    }

    [Fact]
    public void Real_format_is_detected_from_the_signature_not_the_name()
    {
        var png = TestImages.EncodePng(TestImages.WithRectangle(new Engine.Imaging.RgbImage(8, 8, new byte[192]), 0, 0, 4, 4, 255, 0, 0));
        var metadata = MetadataReader.Read(png, "holiday.jpg");
        Assert.Equal("PNG", metadata.DetectedFormat);
        Assert.Equal("jpg", metadata.FileExtension);
        Assert.False(metadata.ExtensionMatchesFormat);
        Assert.Null(metadata.Quantization);
    }

    [Fact]
    public void Garbage_does_not_throw_and_reports_a_warning()
    {
        var metadata = MetadataReader.Read([0x00, 0x01, 0x02, 0x03, 0x04], "broken.jpg");
        Assert.Null(metadata.DetectedFormat);
        Assert.NotEmpty(metadata.Warnings);
        Assert.Contains("broken.jpg", metadata.Warnings[0]);
    }

    [Fact]
    public void Quality_estimate_is_within_two_of_the_encoder_quality_from_50_to_95()
    {
        var image = Base.Value;
        var failures = new List<string>();
        for (int quality = 50; quality <= 95; quality++)
        {
            var q = MetadataReader.Read(TestImages.EncodeJpeg(image, quality), "q.jpg").Quantization;
            Assert.NotNull(q);
            if (Math.Abs(q!.EstimatedQuality - quality) > 2) failures.Add($"q{quality} -> {q.EstimatedQuality}");
            Assert.True(q.IjgStandard, $"Skia's tables at q{quality} should be libjpeg's");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Ijg_table_scaling_matches_libjpeg()
    {
        Assert.Equal(JpegQuantization.StandardLuminance, JpegQuantization.IjgTable(JpegQuantization.StandardLuminance, 50));
        Assert.All(JpegQuantization.IjgTable(JpegQuantization.StandardLuminance, 100), v => Assert.Equal(1, v));
        // q=75: scale 50, (16*50+50)/100 = 8
        Assert.Equal(8, JpegQuantization.IjgTable(JpegQuantization.StandardLuminance, 75)[0]);
        // q=10: scale 500, clamps at 255
        Assert.Equal(255, JpegQuantization.IjgTable(JpegQuantization.StandardLuminance, 10)[63]);
    }
}
