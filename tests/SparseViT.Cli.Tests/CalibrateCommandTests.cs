using System.Security.Cryptography;
using System.Text.Json;
using SkiaSharp;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Cli.Tests;

/// <summary>`sparsevit calibrate` end to end, and what a calibration (or its absence) does to scans and evaluations.</summary>
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-calibrate-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private string P(params string[] parts) => Path.Combine([_dir, .. parts]);

    private static List<JsonElement> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    /// <summary>
    /// Photo-like images from one generator: smooth gradients with noise of a random strength, as PNG or JPEG. The
    /// same generator with another seed gives fresh images of the same population.
    /// </summary>
    private static void Population(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var rng = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int w = 96 + rng.Next(64), h = 96 + rng.Next(64);
            double sigma = 2 + 30 * rng.NextDouble();
            var c0 = (rng.Next(256), rng.Next(256), rng.Next(256));
            using var bitmap = new SKBitmap(w, h);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    double t = (double)(x + y) / (w + h);
                    byte C(int c) => (byte)Math.Clamp(c * (1 - t) + 128 * t + sigma * (rng.NextDouble() - 0.5), 0, 255);
                    bitmap.SetPixel(x, y, new SKColor(C(c0.Item1), C(c0.Item2), C(c0.Item3)));
                }
            bool png = i % 2 == 0;
            using var data = bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 60 + rng.Next(40));
            File.WriteAllBytes(Path.Combine(folder, $"img_{seed}_{i:D4}.{(png ? "png" : "jpg")}"), data.ToArray());
        }
    }

    [Fact]
    public void Calibrate_writes_a_file_bound_to_the_checkpoint_whose_rates_hold_on_fresh_images()
    {
        Population(P("authentic"), 120, seed: 1);
        TestImages.Generate(P("edits"), 30, seed: 5);
        string file = P("fixture.calibration.json");
        var run = CliRunner.Run(["calibrate", "--authentic", P("authentic"), "--manipulated", P("edits"), "--checkpoint", CliRunner.FixtureCheckpoint,
            "--output", file, "--batch-size", "4", "--suspicious-fpr", "0.1"], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("wrote", run.Stderr);
        Assert.Empty(run.Stdout);

        var calibration = CalibrationFile.Load(file);
        Assert.Equal(Sha256(CliRunner.FixtureCheckpoint), calibration.Checkpoint.Sha256);
        Assert.Equal(120, calibration.Data.Authentic);
        Assert.Equal(30, calibration.Data.Manipulated);
        Assert.Equal(4, calibration.Candidates.Count);
        Assert.True(calibration.Manipulated.FalsePositiveRate <= 0.01 && calibration.Suspicious.FalsePositiveRate <= 0.1);
        // The scores vary (no wall of ties), so the suspicious threshold sits among the authentic scores, near its target.
        Assert.InRange(calibration.Suspicious.FalsePositives, 8, 12);

        // Fresh images of the authentic population, scanned with the calibration: the share the suspicious threshold
        // flags lands inside the interval calibration measured for it.
        Population(P("fresh"), 120, seed: 2);
        var scan = CliRunner.Run(["scan", P("fresh"), "--checkpoint", CliRunner.FixtureCheckpoint, "--calibration", file, "--skip-metadata", "--batch-size", "4", "--fail-on", "never", "--quiet"], TimeSpan.FromMinutes(5));
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var records = Lines(scan.Stdout);
        Assert.Equal(120, records.Count);
        int flagged = records.Count(r => r.GetProperty("verdict").GetString() is "manipulated" or "suspicious");
        var interval = calibration.Suspicious.FalsePositiveInterval!.Value;
        Assert.True(interval.Contains(flagged / 120.0), $"{flagged}/120 flagged; calibration measured {calibration.Suspicious.FalsePositiveRate:P1} [{interval.Low:P1}, {interval.High:P1}]");

        // Every record names the calibration (file and exact bytes), and every reason cites it.
        string fileSha = Sha256(file);
        Assert.All(records, r =>
        {
            var c = r.GetProperty("model").GetProperty("calibration");
            Assert.Equal(Path.GetFullPath(file), c.GetProperty("file").GetString());
            Assert.Equal(fileSha, c.GetProperty("sha256").GetString());
            Assert.Equal(r.GetProperty("imageScore").GetDouble(), calibration.Score(JsonSerializer.Deserialize<MaskScores>(r.GetProperty("scores").GetRawText(), Forensics.Records.ForensicRecordJson.Options)!), 12);
            Assert.Contains(r.GetProperty("reasons").EnumerateArray(), reason => reason.GetString()!.Contains("of 120 authentic calibration images"));
        });
    }

    [Fact]
    public void A_calibration_of_other_weights_is_refused_before_anything_is_scanned()
    {
        var scores = Enumerable.Range(0, 40).Select(i => new MaskScores(i / 40.0, 0, i / 40.0, i / 40.0, 0, 0.5, 512, [])).ToList();
        var other = CalibrationBuilder.Build(scores, scores, new CalibratedCheckpoint("other.pth", new string('e', 64)), new CalibrationData([], [], 40, 40, 0));
        string file = P("other.calibration.json");
        CalibrationFile.Save(other, file);
        var scan = CliRunner.Run(["scan", CliRunner.Samples, "--checkpoint", CliRunner.FixtureCheckpoint, "--calibration", file]);
        Assert.True(scan.ExitCode == 4, scan.ToString());
        Assert.Contains("was made for checkpoint other.pth", scan.Stderr);
        Assert.Contains(file, scan.Stderr);
        Assert.Empty(scan.Stdout);

        // The same file beside the checkpoint is refused too, not skipped.
        string checkpoint = P("model", "weights.pth");
        Directory.CreateDirectory(P("model"));
        File.Copy(CliRunner.FixtureCheckpoint, checkpoint);
        File.Copy(file, P("model", "weights.calibration.json"));
        var beside = CliRunner.Run(["scan", CliRunner.Samples, "--checkpoint", checkpoint]);
        Assert.True(beside.ExitCode == 4, beside.ToString());
        Assert.Contains("weights.calibration.json", beside.Stderr);
    }

    [Fact]
    public void An_uncalibrated_model_never_makes_an_image_manipulated_from_the_map_alone()
    {
        TestImages.Generate(P("many"), 24, seed: 9);
        foreach (var sample in Directory.GetFiles(CliRunner.Samples)) File.Copy(sample, P("many", Path.GetFileName(sample)));
        var scan = CliRunner.Run(["scan", P("many"), "--checkpoint", CliRunner.FixtureCheckpoint, "--skip-metadata", "--threshold", "0.05", "--batch-size", "4", "--fail-on", "manipulated"], TimeSpan.FromMinutes(3));
        var records = Lines(scan.Stdout);
        Assert.Equal(27, records.Count);
        Assert.DoesNotContain(records, r => r.GetProperty("verdict").GetString() == "manipulated");
        Assert.Contains(records, r => r.GetProperty("verdict").GetString() == "suspicious"); // the cap is reached, not just never tested
        Assert.All(records, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("model").GetProperty("calibration").ValueKind));
        Assert.All(records, r => Assert.Contains(r.GetProperty("reasons").EnumerateArray(), reason => reason.GetString()!.Contains("uncalibrated")));
        Assert.True(scan.ExitCode == 0, scan.ToString());
        Assert.Contains("uncalibrated", scan.Stderr);
    }

    [Fact]
    public void Evaluate_counts_authentic_images_at_image_level_only()
    {
        // The samples are manipulated; an all-black mask and an --authentic folder are authentic.
        string tp = P("set", "Tp"), gt = P("set", "Gt");
        Directory.CreateDirectory(tp);
        Directory.CreateDirectory(gt);
        foreach (var (name, mask) in new[] { ("sample_1", "sample_1.png"), ("sample_3", "sample_3.jpg") })
        {
            File.Copy(Path.Combine(CliRunner.Samples, name + ".jpg"), Path.Combine(tp, name + ".jpg"));
            File.Copy(Path.Combine(CliRunner.Shared, "samples", "ground-truth", mask), Path.Combine(gt, mask));
        }
        Population(P("plain"), 1, seed: 3);
        string plain = Directory.GetFiles(P("plain"))[0];
        File.Copy(plain, Path.Combine(tp, "plain.png"));
        using (var decoded = SKBitmap.Decode(plain))
        using (var black = new SKBitmap(decoded.Width, decoded.Height))
        {
            black.Erase(SKColors.Black);
            File.WriteAllBytes(Path.Combine(gt, "plain.png"), black.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }
        Population(P("authentic"), 4, seed: 4);
        var r = CliRunner.Run(["evaluate", "--images", tp, "--ground-truth", gt, "--authentic", P("authentic"), "--checkpoint", CliRunner.FixtureCheckpoint], TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, r.ToString());
        var report = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(2, report.GetProperty("pixel").GetProperty("images").GetInt32());
        var image = report.GetProperty("image");
        Assert.Equal(2, image.GetProperty("manipulated").GetInt32());
        Assert.Equal(5, image.GetProperty("authentic").GetInt32());
        Assert.Equal("max", image.GetProperty("scoreFunction").GetString());
        long fp = image.GetProperty("falsePositives").GetInt64(), tpCount = image.GetProperty("truePositives").GetInt64();
        Assert.Equal(fp / 5.0, image.GetProperty("falsePositiveRate").GetDouble(), 12);
        Assert.Equal((tpCount / 2.0 + 1 - fp / 5.0) / 2, image.GetProperty("balancedAccuracy").GetDouble(), 12);
        Assert.Equal(["max", "p99", "top-mean", "manipulated-fraction"], image.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("function").GetString()));
        var authenticRow = report.GetProperty("images").EnumerateArray().Single(x => x.GetProperty("image").GetString()!.EndsWith("plain.png"));
        Assert.False(authenticRow.GetProperty("isManipulated").GetBoolean());
        Assert.False(authenticRow.TryGetProperty("f1", out _));
    }

    [Fact]
    public void The_shipped_default_model_carries_its_own_calibration_and_the_first_command_cites_it()
    {
        string model = Path.Combine(CliRunner.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors");
        var calibration = CalibrationFile.ForCheckpoint(model, Sha256(model));
        Assert.NotNull(calibration);
        Assert.True(calibration.Data.Authentic >= 200, $"{calibration.Data.Authentic} authentic calibration images");
        Assert.True(calibration.Manipulated.FalsePositiveRate <= 0.01 && calibration.Suspicious.FalsePositiveRate <= 0.05);

        // README's first command: no checkpoint named, the samples, JSON records.
        var scan = CliRunner.Run(["scan", CliRunner.Samples, "--format", "json"], TimeSpan.FromMinutes(3));
        var records = JsonDocument.Parse(scan.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r =>
        {
            Assert.EndsWith("sparsevit-default.calibration.json", r.GetProperty("model").GetProperty("calibration").GetProperty("file").GetString());
            Assert.Contains(r.GetProperty("reasons").EnumerateArray(), reason => reason.GetString()!.Contains($"of {calibration.AuthenticScores.Count} authentic calibration images"));
        });
        Assert.Contains("calibration", scan.Stderr);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
