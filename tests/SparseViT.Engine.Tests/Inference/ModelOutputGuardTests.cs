using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Tests.Shared;

namespace SparseViT.Engine.Tests.Inference;

/// <summary>A map that is not a probability map never leaves the predictor.</summary>
public class ModelOutputGuardTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APoisonedShippedCheckpointThrowsModelOutputNotFiniteForEveryImage(bool infinity)
    {
        using var dir = new TempDir();
        string poisoned = PoisonedCheckpoint.Write(Path.Combine(Fixtures.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors"),
            dir.File("poisoned.safetensors"), infinity: infinity);
        using var predictor = SparseViTPredictor.Load(poisoned, new PredictorOptions { Device = "cpu" });
        var inputs = MapInvarianceTests.Inputs(predictor, 3, seed: 5);

        var e = Assert.Throws<ModelOutputException>(() => predictor.PredictBatch(inputs));
        Assert.Equal("ModelOutputNotFinite", e.Code);
        Assert.Equal(0, e.Index);
        Assert.Equal(512L * 512, e.NonFinite);
        Assert.Contains("NaN or infinite", e.Message);
        Assert.Contains("no score or verdict", e.Message);
        foreach (var input in inputs)
            Assert.Throws<ModelOutputException>(() => predictor.PredictBatch([input]));
    }

    /// <summary>The same through the PyTorch-archive path: the fixture's checkpoint re-saved with one NaN weight in its head.</summary>
    [Fact]
    public void APoisonedPyTorchCheckpointThrowsOnPredict()
    {
        using var dir = new TempDir();
        var loaded = CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth"));
        var tensors = loaded.StateDict.Values.Select(t =>
        {
            if (t.Name != "lmu.conv_last.bias") return t;
            return new CheckpointTensor(t.Name, TensorDType.Float32, t.Shape, BitConverter.GetBytes(float.NaN));
        }).ToList();
        string path = dir.File("poisoned.pth");
        PyTorchCheckpointWriter.Write(path, tensors);
        using var predictor = SparseViTPredictor.Load(path, new PredictorOptions { Device = "cpu" });
        var image = ImageDecoder.Decode(Fixtures.ImageFile(1)).Image;
        var e = Assert.Throws<ModelOutputException>(() => predictor.Predict(image));
        Assert.Equal(512L * 512, e.NonFinite);
    }

    [Fact]
    public void CountSeparatesNonFiniteFromOutOfRangeValues()
    {
        float[] values = [0f, 0.5f, 1f, float.NaN, float.PositiveInfinity, -0.01f, 1.5f];
        Assert.Equal((2L, 2L), ModelOutputException.Count(values));
    }
}
