using System.Text.Json;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Scoring;
using SparseViT.Forensics.Tests.Support;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Tests;

public class RecordTests
{
    [Fact]
    public void Record_json_has_the_documented_shape()
    {
        var json = ForensicRecordJson.Serialize(RecordSamples.Ok());
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("sparsevit.forensic-record/1", root.GetProperty("schema").GetString());
        foreach (var name in new[] { "path", "fileName", "sizeBytes", "sha256", "format", "width", "height", "status", "error", "verdict",
                     "reasons", "scores", "metadata", "indicators", "model", "artifacts", "timings", "scannedAt" })
            Assert.True(root.TryGetProperty(name, out _), $"missing {name}");
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal("manipulated", root.GetProperty("verdict").GetString());
        var scores = root.GetProperty("scores");
        foreach (var name in new[] { "max", "mean", "p99", "manipulatedFraction", "threshold", "resolution", "regions" })
            Assert.True(scores.TryGetProperty(name, out _), $"missing scores.{name}");
        Assert.Equal(512, scores.GetProperty("resolution").GetInt32());
        Assert.Equal(200, scores.GetProperty("regions")[0].GetProperty("box").GetProperty("x").GetInt32());
        var indicator = root.GetProperty("indicators")[0];
        Assert.Equal("editing-software", indicator.GetProperty("id").GetString());
        Assert.Equal("medium", indicator.GetProperty("severity").GetString());
        var model = root.GetProperty("model");
        Assert.Equal(new string('a', 64), model.GetProperty("checkpointSha256").GetString());
        Assert.Equal(5, model.GetProperty("configuration").GetProperty("depths")[0].GetInt32());
        Assert.Equal("/out/photo.mask.png", root.GetProperty("artifacts").GetProperty("mask").GetString());
        Assert.False(root.GetProperty("metadata").TryGetProperty("hasCameraMetadata", out _));
    }

    [Fact]
    public void Record_reads_back()
    {
        var record = RecordSamples.Ok();
        var back = ForensicRecordJson.Deserialize(ForensicRecordJson.Serialize(record));
        Assert.Equal(record.Path, back.Path);
        Assert.Equal(Verdict.Manipulated, back.Verdict);
        Assert.Equal(record.Scores!.Max, back.Scores!.Max);
        Assert.Equal(record.Scores.Regions[0].Box, back.Scores.Regions[0].Box);
        Assert.Equal(record.Model!.Configuration, back.Model!.Configuration);
        Assert.Equal(record.Metadata!.Gps, back.Metadata!.Gps);
        Assert.Equal(record.ScannedAt, back.ScannedAt);
        Assert.Equal("Adobe Photoshop CS2 Windows", ((JsonElement)back.Indicators[0].Values["software"]!).GetString());
    }

    [Fact]
    public void A_calibrated_record_names_its_calibration_and_reads_back()
    {
        var scores = Enumerable.Range(0, 100).Select(i => new MaskScores(i / 100.0, 0, i / 100.0, i / 100.0, 0, 0.5, 512, [])).ToList();
        var calibration = CalibrationBuilder.Build(scores, scores, new CalibratedCheckpoint("sparsevit.pth", RecordSamples.Model.CheckpointSha256),
            new CalibrationData([], [], 100, 100, 0), new CalibrationTargets { ScoreFunction = ImageScoreFunction.TopMean }) with { FilePath = "/models/sparsevit.calibration.json", FileSha256 = new string('f', 64) };
        var builder = new RecordBuilder(RecordSamples.Model, policy: new VerdictPolicy(calibration: calibration));
        var values = new float[512 * 512];
        for (int i = 0; i < 5000; i++) values[i] = 0.9f;
        var record = builder.Build(new ImageFileInfo("/data/x.png", 1, new string('b', 64), "PNG", 512, 512), null, [], new ProbabilityMap(values, 512, 512, 512));
        Assert.Equal(0.9, record.ImageScore!.Value, 6); // the top 1 % (2,622 cells) all sit at 0.9
        var back = ForensicRecordJson.Deserialize(ForensicRecordJson.Serialize(record));
        Assert.Equal(record.Model!.Calibration, back.Model!.Calibration);
        Assert.Equal(ImageScoreFunction.TopMean, back.Model.Calibration!.ScoreFunction);
        Assert.Equal(record.ImageScore, back.ImageScore);
        var flat = ForensicRecordColumns.Flatten(record).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("top-mean", flat["scoreFunction"]);
        Assert.Equal("/models/sparsevit.calibration.json", flat["calibration"]);
        Assert.Contains("\"calibration\":{\"file\":\"/models/sparsevit.calibration.json\"", ForensicRecordJson.Serialize(record));
    }

    [Fact]
    public void Error_record_has_status_error_and_code()
    {
        var record = ForensicRecord.Failed("missing.jpg", RecordErrorCodes.NotFound, "missing.jpg: file not found");
        using var doc = JsonDocument.Parse(ForensicRecordJson.Serialize(record));
        Assert.Equal("error", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("not-found", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("verdict").ValueKind);
        Assert.True(Path.IsPathFullyQualified(record.Path));
    }

    [Fact]
    public void Bad_json_names_its_source()
    {
        var e = Assert.Throws<InvalidDataException>(() => ForensicRecordJson.Deserialize("{\"schema\":", "results.jsonl line 3"));
        Assert.Contains("results.jsonl line 3", e.Message);
        var wrong = Assert.Throws<InvalidDataException>(() => ForensicRecordJson.Deserialize("{\"schema\":\"other/2\",\"path\":\"x\"}", "r.json"));
        Assert.Contains("other/2", wrong.Message);
    }

    [Fact]
    public void File_info_hashes_the_bytes()
    {
        var info = ImageFileInfo.FromBytes("a.jpg", "abc"u8.ToArray(), "JPEG", 1, 1);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", info.Sha256);
        Assert.Equal(3, info.SizeBytes);
    }
}
