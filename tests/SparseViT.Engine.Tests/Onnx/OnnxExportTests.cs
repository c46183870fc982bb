using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Onnx;

namespace SparseViT.Engine.Tests.Onnx;

/// <summary>The ONNX graph written in C# from the tiny fixture checkpoint, run by ONNX Runtime against the fixture's tensors.</summary>
public class OnnxExportTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_graph_built_from_the_fixture_checkpoint_meets_its_mask512_tolerance(int n)
    {
        using var predictor = SparseViTPredictor.Load(Fixtures.Tiny("checkpoint.pth"));
        var proto = SparseViTOnnxExporter.Export(predictor.Model, predictor.Description.CheckpointSha256);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(proto.ToByteArray(), options);
        var input = Fixtures.Npy($"case{n}.input.npy").AsFloat32();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(SparseViTOnnxExporter.InputName, new DenseTensor<float>(input, [1, 3, 512, 512]))]);
        var output = results.Single(r => r.Name == SparseViTOnnxExporter.OutputName).AsEnumerable<float>().ToArray();
        var expected = Fixtures.Npy($"case{n}.mask512.npy").AsFloat32();
        Assert.Equal(expected.Length, output.Length);
        double max = output.Select((v, i) => Math.Abs(v - expected[i])).Max();
        Assert.True(max <= 1e-5, $"case{n}: max |onnx - fixture| = {max:E3}");
    }
}

/// <summary>The onnx backend as scans use it: end to end from the image file, its graph cache, and what it refuses.</summary>
public sealed class OnnxBackendTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string CopyOfFixture()
    {
        string path = _dir.File("checkpoint.pth");
        if (!File.Exists(path)) File.Copy(Fixtures.Tiny("checkpoint.pth"), path);
        return path;
    }

    private static SparseViTPredictor Onnx(string checkpoint) =>
        SparseViTPredictor.Load(checkpoint, new PredictorOptions { Device = "cpu", Backend = InferenceBackend.Onnx, Threads = 1 });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void End_to_end_from_the_image_file_meets_the_fixture_tolerances(int n)
    {
        using var predictor = Onnx(CopyOfFixture());
        Assert.Equal(InferenceBackend.Onnx, predictor.Backend);
        Assert.Equal("onnx", predictor.Description.Backend);
        var decoded = ImageDecoder.Decode(Fixtures.ImageFile(n));
        var map = predictor.Predict(decoded.Image);
        var expected512 = Fixtures.Npy($"case{n}.mask512.npy").AsFloat32();
        double delta512 = map.Values.Select((v, i) => Math.Abs(v - expected512[i])).Max();
        var original = Fixtures.Npy($"case{n}.mask.npy").AsFloat32();
        double deltaOriginal = map.ToOriginalSize().Select((v, i) => Math.Abs(v - original[i])).Max();
        Assert.True(delta512 <= 1e-3 && deltaOriginal <= 1e-3, $"case{n}: mask512 {delta512:E2}, original size {deltaOriginal:E2}");
    }

    [Fact]
    public void The_graph_is_cached_beside_the_checkpoint_and_a_corrupt_or_foreign_cache_is_rebuilt()
    {
        string checkpoint = CopyOfFixture();
        float[] first;
        string graphPath;
        using (var predictor = Onnx(checkpoint))
        {
            graphPath = predictor.GraphPath!;
            // Tests keep caches in SPARSEVIT_ONNX_CACHE; without it the first place is beside the checkpoint.
            Assert.Equal(OnnxGraphCache.Candidates(checkpoint, predictor.Description.CheckpointSha256).First(), graphPath);
            Assert.Equal(Path.Combine(_dir.Path, Path.GetFileName(graphPath)),
                OnnxGraphCache.Candidates(checkpoint, predictor.Description.CheckpointSha256, cacheFolder: null).First());
            Assert.StartsWith("checkpoint." + predictor.Description.CheckpointSha256[..16], Path.GetFileName(graphPath));
            first = predictor.Predict(ImageDecoder.Decode(Fixtures.ImageFile(1)).Image).Values;
        }
        var written = File.GetLastWriteTimeUtc(graphPath);
        using (var again = Onnx(checkpoint)) Assert.Equal(graphPath, again.GraphPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(graphPath)); // read, not rewritten

        File.WriteAllBytes(graphPath, [0x08, 0xFF, 0xFF, 0x13, 0x37]); // not a graph
        using (var rebuilt = Onnx(checkpoint))
            Assert.Equal(first, rebuilt.Predict(ImageDecoder.Decode(Fixtures.ImageFile(1)).Image).Values);
        Assert.Equal(SparseViTPredictorSha(checkpoint), OnnxGraphCache.RecordedCheckpoint(File.ReadAllBytes(graphPath)));
    }

    [Fact]
    public void A_graph_recorded_for_another_checkpoint_is_never_used()
    {
        string checkpoint = CopyOfFixture();
        string sha = SparseViTPredictorSha(checkpoint);
        string graphPath = OnnxGraphCache.Candidates(checkpoint, sha).First();
        using (var other = SparseViTPredictor.Load(Fixtures.Tiny("checkpoint.pth")))
            File.WriteAllBytes(graphPath, SparseViTOnnxExporter.Export(other.Model, new string('0', 64)).ToByteArray());
        using var predictor = Onnx(checkpoint);
        Assert.Equal(sha, OnnxGraphCache.RecordedCheckpoint(File.ReadAllBytes(graphPath)));
    }

    [Fact]
    public void A_checkpoint_that_does_not_fit_its_configuration_is_refused_before_any_graph_is_written()
    {
        string poisoned = _dir.File("wrong-shapes.pth");
        File.Copy(Fixtures.Tiny("checkpoint.pth"), poisoned);
        var tiny = SparseViTConfig.Tiny;
        var wrong = tiny with { Channels = [16, 32, 64, 128] };
        Assert.ThrowsAny<Exception>(() => { SparseViTPredictor.Load(poisoned, new PredictorOptions { Device = "cpu", Backend = InferenceBackend.Onnx }, wrong).Dispose(); });
        string sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(poisoned))).ToLowerInvariant();
        Assert.All(OnnxGraphCache.Candidates(poisoned, sha).Concat(OnnxGraphCache.Candidates(poisoned, sha, cacheFolder: null)),
            path => Assert.False(File.Exists(path), $"{path} was written for a refused checkpoint"));
    }

    private static string SparseViTPredictorSha(string checkpoint)
    {
        using var predictor = SparseViTPredictor.Load(checkpoint);
        return predictor.Description.CheckpointSha256;
    }
}
