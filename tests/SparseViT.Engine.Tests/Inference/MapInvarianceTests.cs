using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Tests.Shared;
using Xunit.Abstractions;

namespace SparseViT.Engine.Tests.Inference;

/// <summary>
/// One image, one answer: a map depends on the image only — not on the batch it rides in, its place there, what ran
/// before, other threads using the same model, or garbage collections. fp32 maps agree to 1e-6 (batch size can change
/// the GEMM's blocking, not the sums); every map is finite.
/// </summary>
public class MapInvarianceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, int, int[]> Models => new()
    {
        // The fixture model is cheap: every batch size 1–16. The shipped model: the sizes users pick, and odd ones.
        { "fixture", 24, Enumerable.Range(1, 16).ToArray() },
        { "default", 24, [1, 2, 3, 5, 8, 16] },
        // The same on the ONNX Runtime backend.
        { "fixture/onnx", 24, Enumerable.Range(1, 16).ToArray() },
        { "default/onnx", 24, [1, 2, 3, 5, 8, 16] },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void MapsDoNotDependOnBatchSizeOrPositionOrWhatRanBefore(string model, int count, int[] batchSizes)
    {
        using var predictor = Load(model);
        var inputs = Inputs(predictor, count, seed: 12);
        var reference = inputs.Select(i => predictor.PredictBatch([i])[0].Values).ToArray();
        Assert.Equal(count, reference.Select(Fingerprint).Distinct().Count());

        double worst = 0;
        foreach (int size in batchSizes)
        {
            // Rotate the order so each image meets other batch-mates at another position for every size.
            var order = Enumerable.Range(0, count).Select(i => (i + size * 7) % count).ToArray();
            foreach (var chunk in order.Chunk(size))
            {
                var maps = predictor.PredictBatch(chunk.Select(i => inputs[i]).ToArray());
                for (int k = 0; k < chunk.Length; k++)
                    worst = Math.Max(worst, Compare(reference[chunk[k]], maps[k].Values, $"{model}: image {chunk[k]} at position {k} of a batch of {chunk.Length}"));
            }
        }
        output.WriteLine($"{model}: {count} images × batch sizes [{string.Join(",", batchSizes)}]: max |Δ| vs one at a time = {worst:E2}");
    }

    [Theory]
    [InlineData("fixture")]
    [InlineData("default")]
    [InlineData("fixture/onnx")]
    [InlineData("default/onnx")]
    public void ConcurrentCallersUnderForcedCollectionsGetTheSameMaps(string model)
    {
        using var predictor = Load(model);
        var inputs = Inputs(predictor, 16, seed: 31);
        var reference = inputs.Select(i => predictor.PredictBatch([i])[0].Values).ToArray();

        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[1 << 20];
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
                Thread.Sleep(5); // a collection every few ms, not a collector that starves the callers of both cores
            }
        }) { IsBackground = true };
        collector.Start();
        double worst = 0;
        try
        {
            var callers = new[] { 1, 4, 7 }.Select(size => Task.Run(() =>
            {
                double w = 0;
                foreach (var chunk in Enumerable.Range(0, inputs.Count).Chunk(size))
                {
                    var maps = predictor.PredictBatch(chunk.Select(i => inputs[i]).ToArray());
                    for (int k = 0; k < chunk.Length; k++)
                        w = Math.Max(w, Compare(reference[chunk[k]], maps[k].Values, $"{model}: image {chunk[k]}, caller with batch size {size}"));
                }
                return w;
            })).ToArray();
            Task.WaitAll(callers);
            worst = callers.Max(c => c.Result);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        output.WriteLine($"{model}: 3 concurrent callers, {Interlocked.Read(ref collections)} forced collections: max |Δ| = {worst:E2}");
        Assert.True(Interlocked.Read(ref collections) > 0);
    }

    private static double Compare(float[] expected, float[] actual, string what)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"{what}: value {i} is {actual[i]}");
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= Tolerance, $"{what}: max |Δ| {worst:E2} from the map of the image run alone");
        return worst;
    }

    private static string Fingerprint(float[] map) => $"{map.Sum(v => (double)v):R}";

    /// <summary>"fixture" or "default", with "/onnx" for the ONNX Runtime backend.</summary>
    internal static SparseViTPredictor Load(string model) => SparseViTPredictor.Load(
        model.StartsWith("fixture", StringComparison.Ordinal) ? Fixtures.Tiny("checkpoint.pth") : Path.Combine(Fixtures.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors"),
        new PredictorOptions { Device = "cpu", Backend = model.EndsWith("/onnx", StringComparison.Ordinal) ? InferenceBackend.Onnx : InferenceBackend.Torch });

    internal static IReadOnlyList<ModelInput> Inputs(SparseViTPredictor predictor, int count, int seed) =>
        ImageVariants.Make(Path.Combine(Fixtures.RepoRoot, "..", "shared"), count, seed)
            .Select(image => new ModelInput(ImagePreprocessor.Prepare(image, predictor.InputSize), image.Width, image.Height))
            .ToArray();
}
