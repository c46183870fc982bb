using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using Xunit.Abstractions;

namespace SparseViT.Engine.Tests.Inference;

public class DeviceAndPrecisionTests(ITestOutputHelper output)
{
    [Fact]
    public void AutoFallsBackToTheCpuWithoutCuda()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // on a GPU host auto correctly picks CUDA; covered by bench there
        Assert.Equal("cpu", DeviceSelector.Describe(DeviceSelector.Resolve("auto")));
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void ExplicitCudaWithoutCudaGivesAClearError(string request)
    {
        if (TorchSharp.torch.cuda.is_available()) return; // this host has CUDA: the error path does not apply
        var e = Assert.Throws<DeviceUnavailableException>(() => DeviceSelector.Resolve(request));
        Assert.Contains($"device '{request}' requested but CUDA is not available", e.Message);
        Assert.Contains("SPARSEVIT_LIBTORCH", e.Message);
    }

    [Fact]
    public void GpuFactsComeFromNvidiaSmiWhenItExistsAndAreAbsentOtherwise()
    {
        bool present = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "nvidia-smi")));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? name = SparseViT.Engine.Native.NvidiaSmi.GpuName();
        Assert.Equal(present, name is not null);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    public void UnknownDevicesAreUsageErrors(string request) =>
        Assert.Contains("expected auto, cpu, cuda or cuda:N", Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve(request)).Message);

    [Fact]
    public void HostileCheckpointIsRefusedBeforeAnyModelIsBuilt()
    {
        var e = Assert.Throws<CheckpointException>(() => SparseViTPredictor.Load(Fixtures.Tiny("hostile-code-exec.pth")));
        Assert.Equal(CheckpointErrorCodes.RefusedGlobal, e.Code);
        Assert.Contains("system", e.Message);
    }

    /// <summary>
    /// bf16 on the CPU: the map may move, but the decisions must hold. Bound measured on the fixture
    /// (random weights make it a harder case than a trained model, whose maps are far from 0.5).
    /// </summary>
    [Fact]
    public void Bf16AgreesWithFp32OnTheFixtureCases()
    {
        using var fp32 = SparseViTPredictor.Load(Fixtures.Tiny("checkpoint.pth"), new PredictorOptions { Device = "cpu" });
        using var bf16 = SparseViTPredictor.Load(Fixtures.Tiny("checkpoint.pth"), new PredictorOptions { Device = "cpu", Precision = Precision.Bf16 });
        Assert.Equal("bf16", bf16.Description.Precision);
        for (int n = 1; n <= 3; n++)
        {
            var image = ImageDecoder.Decode(Fixtures.ImageFile(n)).Image;
            var a = fp32.Predict(image).Values;
            var b = bf16.Predict(image).Values;
            var agreement = PrecisionAgreement.Measure(a, b, 0.5f);
            output.WriteLine($"case{n}: bf16 max |Δ| = {agreement.MaxAbsDifference:E2}, binarised agreement {agreement.DecisionAgreement:P3}, pixel-F1 vs fp32 {agreement.PixelF1:F4}");
            Assert.True(agreement.MaxAbsDifference <= 0.03, $"case{n}: max |Δ| {agreement.MaxAbsDifference}");
            Assert.True(agreement.DecisionAgreement >= 0.999, $"case{n}: agreement {agreement.DecisionAgreement}");
        }
    }
}
