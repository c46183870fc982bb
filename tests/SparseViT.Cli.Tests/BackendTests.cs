using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using SparseViT.Engine.Model;

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

        // The roofline fields: the model's arithmetic, what the line's rate amounts to, and the ceiling of the line's
        // backend's own GEMM on this host.
        double gflop = ModelCost.FlopsPerImage(SparseViTConfig.Tiny) / 1e9;
        foreach (var row in rows)
        {
            Assert.Equal(Math.Round(gflop, 2), row.GetProperty("modelGflopPerImage").GetDouble());
            Assert.Equal(row.GetProperty("modelImagesPerSecond").GetDouble() * gflop, row.GetProperty("modelGflops").GetDouble(), 0.1 + 0.01 * gflop);
            Assert.InRange(row.GetProperty("hostSgemmGflops").GetDouble(), 0.5, 10_000);
            Assert.False(string.IsNullOrWhiteSpace(row.GetProperty("cpu").GetString()));
            var features = row.GetProperty("cpuFeatures").EnumerateArray().Select(f => f.GetString()).ToList();
            Assert.Equal(Avx2.IsSupported, features.Contains("avx2")); // /proc/cpuinfo agrees with the runtime's own CPUID
            Assert.Equal(Avx512F.IsSupported, features.Contains("avx512f"));
        }
    }

    [Fact]
    public void Bench_rounds_alternate_the_backends_and_report_one_line_each()
    {
        var r = CliRunner.Run(["bench", "--config", "tiny", "--backend", "torch,onnx", "--rounds", "3", "--count", "1", "--warmup", "0", "--image-size", "64x48", "--threads", "1"], TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["torch", "onnx"], rows.Select(x => x.GetProperty("backend").GetString()));
        Assert.All(rows, x => Assert.Equal(3, x.GetProperty("rounds").GetInt32()));
        Assert.True(rows[1].GetProperty("maxAbsDeltaVsFp32").GetDouble() <= 1e-5);

        var refused = CliRunner.Run(["bench", "--config", "tiny", "--rounds", "0"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--rounds", refused.Stderr);
    }

    [Fact]
    public void Onnx_with_reduced_precision_is_refused_with_a_clear_message()
    {
        var r = CliRunner.Run(["scan", CliRunner.Samples, "--backend", "onnx", "--precision", "bf16", "-q"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("onnx backend runs fp32", r.Stderr);
    }
}
