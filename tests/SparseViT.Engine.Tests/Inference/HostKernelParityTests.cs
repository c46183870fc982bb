using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SparseViT.Engine.Tests.Inference;

/// <summary>
/// The fixture parity tests prove the network on the fixture's shapes; these prove libtorch's CPU kernels on this host,
/// for every convolution shape the three configurations run, against float64 (which no oneDNN kernel serves). They exist
/// because oneDNN's AVX-512 direct convolution was measured wrong on AMD EPYC hosts for 24 → 48 channels, a shape only
/// the shipped default model has: the fixture's tensors could not see it.
/// </summary>
public class HostKernelParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Configurations => ["default", "base", "fixture"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void EveryConvolutionShapeOfTheNetworkMatchesFloat64(string name)
    {
        var config = Config(name);
        var c = config.Channels;
        int r = config.MlpRatio;
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        using var generator = new Generator(20261202);
        int side = config.ImageSize;

        // Patch embeddings, through the module the network runs (its own arithmetic, not a bare convolution).
        long[] inChannels = [3, c[0], c[1], c[2]];
        long[] patch = [4, 2, 2, 2];
        long[] inSide = [side, side / 4, side / 8, side / 16];
        for (int i = 0; i < 4; i++)
        {
            using var embed = new PatchEmbedding(inChannels[i], c[i], patch[i]);
            Randomize(embed, generator);
            var x = randn([2, inChannels[i], inSide[i], inSide[i]], generator: generator);
            var reference = PatchEmbeddingInFloat64(embed, x, patch[i], c[i]);
            Check($"{name} patch_embed{i + 1} {inChannels[i]}→{c[i]} k{patch[i]} on {inSide[i]}²", embed.forward(x), reference);
        }

        // Stage 1–2 blocks (depthwise 3×3 and 5×5, 1×1 in and out of the 4× MLP), stage 3–4 MLP depthwise 3×3, head 1×1s.
        var shapes = new List<(long In, long Out, long Kernel, long Groups, long Side)>
        {
            (c[0], c[0], 3, c[0], side / 4), (c[0], c[0], 5, c[0], side / 4), (c[0], c[0], 1, 1, side / 4), (c[0], c[0] * r, 1, 1, side / 4), (c[0] * r, c[0], 1, 1, side / 4),
            (c[1], c[1], 3, c[1], side / 8), (c[1], c[1], 5, c[1], side / 8), (c[1], c[1], 1, 1, side / 8), (c[1], c[1] * r, 1, 1, side / 8), (c[1] * r, c[1], 1, 1, side / 8),
            (c[2] * r, c[2] * r, 3, c[2] * r, side / 16), (c[3] * r, c[3] * r, 3, c[3] * r, side / 32),
            (c[2], c[3], 1, 1, side / 16), (c[3], 1, 1, 1, side / 16),
        };
        foreach (var (i, o, k, g, s) in shapes)
        {
            using var conv = nn.Conv2d(i, o, k, padding: k / 2, groups: g);
            Randomize(conv, generator);
            var x = randn([2, i, s, s], generator: generator);
            var reference = nn.functional.conv2d(x.to(ScalarType.Float64), conv.weight!.to(ScalarType.Float64), conv.bias!.to(ScalarType.Float64),
                padding: [k / 2, k / 2], groups: g);
            Check($"{name} conv {i}→{o} k{k} groups {g} on {s}²", conv.forward(x), reference);
        }
    }

    /// <summary>The whole shipped model, image to map, against itself in float64: any kernel that miscomputes on this host shows.</summary>
    [Fact]
    public void TheShippedDefaultModelMatchesItselfInFloat64OnTheSamples()
    {
        string checkpoint = Path.Combine(Fixtures.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors");
        using var predictor = SparseViTPredictor.Load(checkpoint, new PredictorOptions { Device = "cpu" });
        using var reference = SparseViTPredictor.Load(checkpoint, new PredictorOptions { Device = "cpu" });
        reference.Model.to(ScalarType.Float64);
        foreach (var file in Directory.GetFiles(Path.Combine(Fixtures.SamplesDir, "tampered")).Order())
        {
            var image = ImageDecoder.Decode(file).Image;
            var input = ImagePreprocessor.Prepare(image, 512);
            float[] map = predictor.PredictBatch([new ModelInput(input, image.Width, image.Height)])[0].Values;
            using var mode = inference_mode();
            using var scope = NewDisposeScope();
            var x = tensor(input, [1, 3, 512, 512]).to(ScalarType.Float64);
            var exact = reference.Model.Probabilities(x).to(ScalarType.Float32).data<float>().ToArray();
            double worst = 0;
            for (int i = 0; i < map.Length; i++) worst = Math.Max(worst, Math.Abs(map[i] - exact[i]));
            output.WriteLine($"{Path.GetFileName(file)}: fp32 vs float64 max |Δ| = {worst:E2}");
            Assert.True(worst <= 1e-4, $"{Path.GetFileName(file)}: fp32 map differs from float64 by {worst:E2}");
        }
    }

    private void Check(string what, Tensor actual, Tensor reference)
    {
        var a = actual.to(ScalarType.Float64);
        long nonFinite = (~a.isfinite()).sum().item<long>();
        double scale = Math.Max(1.0, reference.abs().max().item<double>());
        double worst = (a - reference).abs().nan_to_num(double.PositiveInfinity).max().item<double>() / scale;
        output.WriteLine($"{what}: max |Δ|/scale = {worst:E2}");
        Assert.True(nonFinite == 0, $"{what}: {nonFinite} non-finite values");
        Assert.True(worst <= 1e-5, $"{what}: fp32 differs from float64 by {worst:E2} of the output scale");
    }

    private static Tensor PatchEmbeddingInFloat64(PatchEmbedding embed, Tensor x, long patch, long channels)
    {
        var state = embed.state_dict();
        var y = nn.functional.conv2d(x.to(ScalarType.Float64), state["proj.weight"].to(ScalarType.Float64), state["proj.bias"].to(ScalarType.Float64), strides: [patch, patch]);
        var normed = nn.functional.layer_norm(y.permute(0, 2, 3, 1), [channels], state["norm.weight"].to(ScalarType.Float64), state["norm.bias"].to(ScalarType.Float64), 1e-5);
        return normed.permute(0, 3, 1, 2);
    }

    /// <summary>Non-trivial weights and norm parameters drawn from the test's own generator.</summary>
    private static void Randomize(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (_, p) in module.named_parameters())
            p.copy_(randn(p.shape, generator: generator) * 0.2);
    }

    private static SparseViTConfig Config(string name) => name switch
    {
        "base" => SparseViTConfig.Base,
        "fixture" => new SparseViTConfig { Depths = [1, 1, 15, 4], Channels = [8, 16, 32, 64], HeadDim = 16 },
        _ => SparseViT.Engine.Checkpoints.CheckpointLoader.Load(Path.Combine(Fixtures.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors")).Configuration!,
    };
}
