using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SparseViT.Engine.Tests.Inference;

/// <summary>
/// Parity with the authors' PyTorch code, measured against the fixture's tensors (tolerances from its README):
/// model-only from caseN.input.npy, then end to end from the image files.
/// </summary>
public class ModelParityTests(FixturePredictor fixture, ITestOutputHelper output) : IClassFixture<FixturePredictor>
{
    private static readonly string[] FeatureNames = ["third1", "third2", "third3", "third", "last1", "last"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ModelOnlyFeaturesLogitsAndMaskMatchTheReference(int n)
    {
        var input = Fixtures.Npy($"case{n}.input.npy");
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var x = tensor(input.AsFloat32(), input.Shape);
        var model = fixture.Predictor.Model;
        var features = model.Encoder.forward(x);
        for (int i = 0; i < FeatureNames.Length; i++)
        {
            var reference = Fixtures.Npy($"case{n}.feat.{FeatureNames[i]}.npy");
            Assert.Equal(reference.Shape, features[i].shape);
            double worst = WorstRelative(features[i].data<float>().ToArray(), reference.AsFloat32());
            output.WriteLine($"case{n} {FeatureNames[i]}: max |Δ|/(1+|ref|) = {worst:E2}");
            Assert.True(worst <= 1e-4, $"{FeatureNames[i]}: {worst:E2}");
        }

        var logits = model.Head.forward(features);
        double logitDelta = MaxAbs(logits.data<float>().ToArray(), Fixtures.Npy($"case{n}.logits.npy").AsFloat32());
        var mask = model.Probabilities(x);
        double maskDelta = MaxAbs(mask.data<float>().ToArray(), Fixtures.Npy($"case{n}.mask512.npy").AsFloat32());
        output.WriteLine($"case{n}: logits max |Δ| = {logitDelta:E2}, mask512 max |Δ| = {maskDelta:E2}");
        Assert.True(logitDelta <= 1e-4, $"logits {logitDelta:E2}");
        Assert.True(maskDelta <= 1e-5, $"mask512 {maskDelta:E2}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EndToEndFromTheImageFileMatchesTheReference(int n)
    {
        var decoded = ImageDecoder.Decode(Fixtures.ImageFile(n));
        var map = fixture.Predictor.Predict(decoded.Image);
        double delta512 = MaxAbs(map.Values, Fixtures.Npy($"case{n}.mask512.npy").AsFloat32());
        var original = Fixtures.Npy($"case{n}.mask.npy");
        Assert.Equal(new long[] { decoded.Height, decoded.Width }, original.Shape);
        double deltaOriginal = MaxAbs(map.ToOriginalSize(), original.AsFloat32());
        output.WriteLine($"case{n}: end-to-end mask512 max |Δ| = {delta512:E2}, original-size max |Δ| = {deltaOriginal:E2}");
        Assert.True(delta512 <= 1e-3, $"mask512 {delta512:E2}");
        Assert.True(deltaOriginal <= 1e-3, $"original-size mask {deltaOriginal:E2}");
    }

    [Fact]
    public void BatchedInferenceEqualsOneImageAtATime()
    {
        var inputs = Enumerable.Range(1, 3).Select(n =>
        {
            var image = ImageDecoder.Decode(Fixtures.ImageFile(n)).Image;
            return new ModelInput(ImagePreprocessor.Prepare(image), image.Width, image.Height);
        }).ToList();
        var batch = fixture.Predictor.PredictBatch(inputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            var single = fixture.Predictor.PredictBatch([inputs[i]])[0];
            Assert.True(MaxAbs(batch[i].Values, single.Values) <= 1e-5);
            Assert.Equal(inputs[i].OriginalWidth, batch[i].OriginalWidth);
        }
    }

    [Fact]
    public void DescriptionNamesTheCheckpointAndConfiguration()
    {
        var d = fixture.Predictor.Description;
        Assert.Equal(453_857, d.Parameters);
        Assert.Equal([1, 1, 15, 4], d.Configuration.Depths);
        Assert.Equal(16, d.Configuration.HeadDim);
        Assert.Equal("cpu", d.Device);
        Assert.Equal("fp32", d.Precision);
        Assert.Equal(64, d.CheckpointSha256.Length);
    }

    internal static double MaxAbs(float[] a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs((double)a[i] - b[i]));
        return worst;
    }

    private static double WorstRelative(float[] actual, float[] reference)
    {
        Assert.Equal(reference.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs((double)actual[i] - reference[i]) / (1 + Math.Abs(reference[i])));
        return worst;
    }
}
