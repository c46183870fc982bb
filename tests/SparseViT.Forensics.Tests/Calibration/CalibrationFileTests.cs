using System.Text.Json.Nodes;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Verdicts;
using static SparseViT.Forensics.Tests.Calibration.CalibrationBuilderTests;

namespace SparseViT.Forensics.Tests.Calibration;

public sealed class CalibrationFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("calibration-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ScoreCalibration Sample()
    {
        var authentic = Enumerable.Range(0, 400).Select(i => Map(i / 400.0, i / 400.0)).ToList();
        var manipulated = Enumerable.Range(0, 100).Select(i => Map(0.95 + i / 2000.0, 0.95 + i / 2000.0)).ToList();
        return CalibrationBuilder.Build(authentic, manipulated, Checkpoint, new CalibrationData(["/a"], ["/m"], 400, 100, 0),
            new CalibrationTargets { ScoreFunction = ImageScoreFunction.TopMean });
    }

    [Fact]
    public void Round_trips_and_is_found_beside_its_checkpoint()
    {
        string checkpoint = Path.Combine(_dir, "model.safetensors");
        File.WriteAllText(checkpoint, "weights");
        string path = CalibrationFile.BesidePath(checkpoint);
        Assert.Equal(Path.Combine(_dir, "model.calibration.json"), path);
        Assert.Null(CalibrationFile.ForCheckpoint(checkpoint, Checkpoint.Sha256));

        var written = Sample();
        CalibrationFile.Save(written, path);
        var read = CalibrationFile.ForCheckpoint(checkpoint, Checkpoint.Sha256)!;
        Assert.Equal(written.Manipulated, read.Manipulated);
        Assert.Equal(written.AuthenticScores, read.AuthenticScores);
        Assert.Equal(ImageScoreFunction.TopMean, read.ScoreFunction);
        Assert.Equal(path, read.FilePath);
        Assert.Equal(64, read.FileSha256!.Length);
        Assert.Contains("\"scoreFunction\": \"top-mean\"", File.ReadAllText(path));
    }

    [Fact]
    public void A_calibration_of_other_weights_is_refused()
    {
        string path = Path.Combine(_dir, "c.calibration.json");
        CalibrationFile.Save(Sample(), path);
        string other = new('d', 64);
        var e = Assert.Throws<CalibrationException>(() => CalibrationFile.Load(path, other));
        Assert.True(e.IsCheckpointMismatch);
        Assert.Contains(path, e.Message);
        Assert.Contains(Checkpoint.Sha256, e.Message);
        Assert.Contains(other, e.Message);
        // Named explicitly or found beside the checkpoint: refused either way, never skipped.
        string checkpoint = Path.Combine(_dir, "c.pth");
        Assert.Throws<CalibrationException>(() => CalibrationFile.ForCheckpoint(checkpoint, other));
        Assert.Throws<CalibrationException>(() => CalibrationFile.ForCheckpoint("/elsewhere/x.pth", other, path));
        Assert.Contains("not found", Assert.Throws<CalibrationException>(() => CalibrationFile.ForCheckpoint(checkpoint, other, Path.Combine(_dir, "missing.json"))).Message);
    }

    [Theory]
    [InlineData("schema", "\"sparsevit.calibration/9\"", "schema")]
    [InlineData("authenticScores", "[0.1, 0.5]", "not sorted")]
    [InlineData("scoreFunction", "\"median\"", "not a valid calibration file")]
    public void Malformed_files_are_refused_with_the_problem_named(string field, string json, string expected)
    {
        string path = Path.Combine(_dir, "bad.calibration.json");
        CalibrationFile.Save(Sample(), path);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node[field] = JsonNode.Parse(json);
        File.WriteAllText(path, node.ToJsonString());
        var e = Assert.Throws<CalibrationException>(() => CalibrationFile.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Calibrated_verdicts_cite_the_calibration_and_the_authentic_count()
    {
        string path = Path.Combine(_dir, "v.calibration.json");
        CalibrationFile.Save(Sample(), path);
        var c = CalibrationFile.Load(path);
        var policy = new VerdictPolicy(calibration: c);
        // 400 authentic scores 0, 0.0025, …: the 1 % threshold is the 5th highest (0.9875), the 5 % one the 21st (0.9475).
        var high = policy.Decide(Map(0.2, 0.995), []);
        Assert.Equal(Verdict.Manipulated, high.Verdict);
        Assert.Contains(high.Reasons, r => r.Contains("v.calibration.json") && r.Contains("at this score 2 of 400 authentic calibration images"));
        var middle = policy.Decide(Map(0.99, 0.96), []);
        Assert.Equal(Verdict.Suspicious, middle.Verdict);
        Assert.Contains(middle.Reasons, r => r.Contains("above the suspicious threshold 0.9475") && r.Contains("16 of 400"));
        var low = policy.Decide(Map(1.0, 0.5), []);
        Assert.Equal(Verdict.NoEvidence, low.Verdict);
        Assert.Contains(low.Reasons, r => r.Contains("not above the suspicious threshold") && r.Contains("200 of 400"));
        Assert.Equal(0.995, policy.ImageScore(Map(0.2, 0.995)));
    }
}
