using System.Text.Json;

namespace SparseViT.Cli.Tests;

public sealed class MetadataEvaluateBenchTests
{
    [Fact]
    public void Metadata_needs_no_model_and_reports_editing_software()
    {
        var r = CliRunner.Run(["metadata", Path.Combine(CliRunner.Samples, "sample_1.jpg"), "--format", "json"], TimeSpan.FromMinutes(1), workingDirectory: Path.GetTempPath());
        Assert.True(r.ExitCode == 0, r.ToString());
        var record = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("Adobe Photoshop CS2 Windows", record.GetProperty("metadata").GetProperty("software").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("scores").ValueKind);
    }

    [Fact]
    public void Evaluate_prints_json_metrics_for_the_samples()
    {
        var samples = Path.Combine(CliRunner.Shared, "samples");
        var r = CliRunner.Run(["evaluate", "--images", Path.Combine(samples, "tampered"), "--ground-truth", Path.Combine(samples, "ground-truth"), "--checkpoint", CliRunner.FixtureCheckpoint], TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, r.ToString());
        var report = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(3, report.GetProperty("pixel").GetProperty("images").GetInt32());
        Assert.InRange(report.GetProperty("pixel").GetProperty("f1").GetDouble(), 0, 1);
        Assert.Equal(3, report.GetProperty("images").GetArrayLength());
    }

    [Fact]
    public void Bench_writes_one_json_line_per_configuration()
    {
        var r = CliRunner.Run(["bench", "--config", "tiny", "--precision", "fp32,bf16", "--count", "2", "--warmup", "0", "--image-size", "64x48", "--threads", "1"], TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("fp32", lines[0].GetProperty("precision").GetString());
        Assert.True(lines[0].GetProperty("modelImagesPerSecond").GetDouble() > 0);
        Assert.True(lines[0].GetProperty("peakHostRssMiB").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("peakGpuMemoryMiB").ValueKind);
        Assert.InRange(lines[1].GetProperty("maxAbsDeltaVsFp32").GetDouble(), 0, 0.05);
    }
}
