using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Tests.Support;

internal static class RecordSamples
{
    public static ModelDescription Model { get; } = new("sparsevit-base", "/models/sparsevit.pth", new string('a', 64), SparseViTConfig.Base, 50_345_921, "cpu", "fp32");

    public static ForensicRecord Ok(string path = "/data/photo.jpg", string? software = "Adobe Photoshop CS2 Windows", string reasonsPadding = "")
    {
        var values = new float[512 * 512];
        for (int y = 100; y < 150; y++)
            for (int x = 100; x < 200; x++) values[y * 512 + x] = 0.97f;
        var metadata = new ImageMetadata
        {
            DetectedFormat = "JPEG", Make = "Canon", Software = software, DateTimeOriginal = new DateTime(2024, 5, 1, 10, 0, 0),
            Gps = new GpsPosition(40.748433, -73.985656, 10.5, null),
        };
        var indicators = new List<EvidenceIndicator>
        {
            new(IndicatorIds.EditingSoftware, Severity.Medium, "named an editor" + reasonsPadding, new Dictionary<string, object?> { ["software"] = software }),
        };
        return new RecordBuilder(Model).Build(
            new ImageFileInfo(path, 12345, new string('b', 64), "JPEG", 1024, 768),
            metadata, indicators, new ProbabilityMap(values, 512, 1024, 768),
            new RecordArtifacts("/out/photo.mask.png", null), new RecordTimings(TotalMs: 812.5),
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }
}
