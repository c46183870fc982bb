using SparseViT.Forensics.Benchmarking;

namespace SparseViT.Forensics.Tests;

public class BenchmarkResultTests
{
    private static BenchmarkResult Round(double model, double endToEnd, double? rss, double? delta, double? f1, double? ceiling = null) => new()
    {
        Model = "random-tiny", Device = "cpu", Precision = "bf16", ImageSize = "64x48", Libtorch = "2.10.0.0", TorchSharp = "0.107.0",
        Cpu = "test", CpuFeatures = ["avx2"], ModelGflopPerImage = 2.0, ModelImagesPerSecond = model, ModelGflops = model * 2.0,
        EndToEndImagesPerSecond = endToEnd, PeakHostRssMiB = rss, MaxAbsDeltaVsFp32 = delta, PixelF1VsFp32 = f1,
        DecisionAgreementVsFp32 = f1, MinDecisionAgreementVsFp32 = f1, HostSgemmGflops = ceiling,
    };

    [Fact]
    public void Rounds_combine_to_median_rates_and_worst_agreement_and_memory()
    {
        var combined = BenchmarkResult.Combine([Round(1.0, 0.9, 100, 1e-3, 0.99, 150), Round(3.0, 0.5, 300, 2e-3, 0.97, 130), Round(2.0, 0.7, 200, null, 0.98, 170)]);
        Assert.Equal(3, combined.Rounds);
        Assert.Equal(2.0, combined.ModelImagesPerSecond);   // median of 1, 3, 2
        Assert.Equal(4.0, combined.ModelGflops);            // the median rate × 2 GFLOP
        Assert.Equal(0.7, combined.EndToEndImagesPerSecond);
        Assert.Equal(150, combined.HostSgemmGflops);         // the median ceiling of the rounds
        Assert.Equal(300, combined.PeakHostRssMiB);         // the highest peak
        Assert.Equal(2e-3, combined.MaxAbsDeltaVsFp32);     // the largest difference; a round without one is skipped
        Assert.Equal(0.97, combined.PixelF1VsFp32);         // the lowest agreement
        Assert.Null(combined.PeakGpuMemoryMiB);             // no round measured one
    }

    [Fact]
    public void An_even_number_of_rounds_takes_the_mean_of_the_middle_two()
    {
        var combined = BenchmarkResult.Combine([Round(1.0, 1.0, null, null, null), Round(4.0, 1.0, null, null, null), Round(2.0, 1.0, null, null, null), Round(3.0, 1.0, null, null, null)]);
        Assert.Equal(2.5, combined.ModelImagesPerSecond);
        Assert.Null(combined.HostSgemmGflops);
        Assert.Equal(1, BenchmarkResult.Combine([Round(1.0, 1.0, null, null, null)]).Rounds);
    }
}
