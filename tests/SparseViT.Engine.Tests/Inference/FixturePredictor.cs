using SparseViT.Engine.Inference;

namespace SparseViT.Engine.Tests.Inference;

/// <summary>One fp32 CPU predictor over the fixture checkpoint, shared by the parity tests (loading is the slow part).</summary>
public sealed class FixturePredictor : IDisposable
{
    public FixturePredictor() => Predictor = SparseViTPredictor.Load(Fixtures.Tiny("checkpoint.pth"), new PredictorOptions { Device = "cpu" });

    public SparseViTPredictor Predictor { get; }

    public void Dispose() => Predictor.Dispose();
}
