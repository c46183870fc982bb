using System.Text.Json;

namespace SparseViT.Cli.Tests;

/// <summary>The two inference backends through the tool: the same records from the shipped model, and the bench comparing them.</summary>
public sealed class BackendTests
{
    private static Dictionary<string, JsonElement> Scan(string backend)
    {
        var r = CliRunner.Run(["scan", CliRunner.Samples, "--backend", backend, "--format", "jsonl", "--fail-on", "never", "-q"], TimeSpan.FromMinutes(5));
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(x => x.GetProperty("fileName").GetString()!);
    }

    [Fact]
    public void Scanning_the_samples_with_onnx_gives_the_records_torch_gives()
    {
        var torch = Scan("torch");
        var onnx = Scan("onnx");
        Assert.Equal(torch.Keys.Order(), onnx.Keys.Order());
        foreach (var (name, t) in torch)
        {
            var o = onnx[name];
            Assert.Equal("torch", t.GetProperty("model").GetProperty("backend").GetString());
            Assert.Equal("onnx", o.GetProperty("model").GetProperty("backend").GetString());
            Assert.Equal(t.GetProperty("verdict").GetString(), o.GetProperty("verdict").GetString());
            Assert.Equal(t.GetProperty("imageScore").GetDouble(), o.GetProperty("imageScore").GetDouble(), 1e-5);
            foreach (string score in new[] { "max", "mean", "p99", "topMean", "manipulatedFraction" })
                Assert.Equal(t.GetProperty("scores").GetProperty(score).GetDouble(), o.GetProperty("scores").GetProperty(score).GetDouble(), 1e-5);
            Assert.Equal(t.GetProperty("scores").GetProperty("regions").GetArrayLength(), o.GetProperty("scores").GetProperty("regions").GetArrayLength());
        }
    }

    [Fact]
    public void Bench_runs_both_backends_in_one_run_and_compares_onnx_with_torch()
    {
        var r = CliRunner.Run(["bench", "--config", "tiny", "--backend", "torch,onnx", "--count", "2", "--warmup", "0", "--image-size", "64x48", "--threads", "1"], TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["torch", "onnx"], rows.Select(x => x.GetProperty("backend").GetString()));
        Assert.True(rows[1].GetProperty("maxAbsDeltaVsFp32").GetDouble() <= 1e-5);
        Assert.All(rows, x => Assert.True(x.GetProperty("modelImagesPerSecond").GetDouble() > 0));
    }

    [Fact]
    public void Onnx_with_reduced_precision_is_refused_with_a_clear_message()
    {
        var r = CliRunner.Run(["scan", CliRunner.Samples, "--backend", "onnx", "--precision", "bf16", "-q"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("onnx backend runs fp32", r.Stderr);
    }
}
