using System.Text.Json;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;

namespace SparseViT.Engine.Tests.Checkpoints;

public class CheckpointFixtureTests
{
    private static readonly Lazy<LoadedCheckpoint> Reference = new(() => CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth")));

    internal static SparseViTConfig FixtureConfig()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Tiny("fixture.json")));
        var c = doc.RootElement.GetProperty("config");
        return new SparseViTConfig
        {
            Depths = c.GetProperty("depth").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Channels = c.GetProperty("embed_dim").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            HeadDim = c.GetProperty("head_dim").GetInt32(),
            MlpRatio = c.GetProperty("mlp_ratio").GetInt32(),
            SBlocks3 = c.GetProperty("s_blocks3").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            SBlocks4 = c.GetProperty("s_blocks4").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            ImageSize = doc.RootElement.GetProperty("img_size").GetInt32(),
        };
    }

    [Fact]
    public void TrainingCheckpointLoads()
    {
        var ck = Reference.Value;
        Assert.Equal(CheckpointFormat.PyTorchZip, ck.Format);
        Assert.Equal(428, ck.StateDict.Count);
        Assert.Equal(["model", "epoch", "args", "optimizer", "scaler"], ck.Entries);
        Assert.Equal("training checkpoint: model + epoch, args, optimizer, scaler (ignored)", ck.Layout);
        Assert.Equal([TensorDType.Float32, TensorDType.Int64], ck.SourceDTypes);
        Assert.Equal(453_857, ck.TrainableParameterCount);
        Assert.Equal(453_957, ck.StateDict.TotalElementCount); // + 100 BatchNorm statistics
        Assert.Equal("7", ck.Metadata["epoch"]);
        Assert.Equal("/root/Dataset/CASIA2.0/", ck.Metadata["args.data_path"]);
        Assert.Matches("^[0-9a-f]{64}$", ck.Sha256);
        Assert.Equal("encoder_net.patch_embed1.norm.weight", ck.StateDict.Keys.First());
        Assert.Equal("lmu.conv_last.bias", ck.StateDict.Keys.Last());
        var w = ck.StateDict["encoder_net.patch_embed1.proj.weight"];
        Assert.Equal([8L, 3, 4, 4], w.Shape);
        Assert.Contains(w.ToFloat32(), v => v != 0f);
    }

    [Fact]
    public void InferredConfigurationEqualsFixtureJson()
    {
        var ck = Reference.Value;
        var expected = FixtureConfig();
        Assert.Equal(expected, ck.Configuration);
        Assert.Equal([1, 1, 15, 4], ck.Configuration!.Depths);
        Assert.Equal([8, 16, 32, 64], ck.Configuration.Channels);
        Assert.Equal(16, ck.Configuration.HeadDim);
        Assert.Contains("by convention", ck.ConfigurationSource);
    }

    [Fact]
    public void Sha256MatchesFileHash()
    {
        var bytes = File.ReadAllBytes(Fixtures.Tiny("checkpoint.pth"));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(), Reference.Value.Sha256);
    }

    public static TheoryData<string, CheckpointFormat, string> ExactVariants => new()
    {
        { "variant-ddp-prefix.pth", CheckpointFormat.PyTorchZip, "model-only checkpoint: {'model': state dict}, 'module.' prefix stripped" },
        { "variant-legacy.pth", CheckpointFormat.PyTorchLegacy, "model-only checkpoint: {'model': state dict}" },
        { "variant-bare-state-dict.pth", CheckpointFormat.PyTorchZip, "bare state dict" },
        { "variant-torch2.pth", CheckpointFormat.PyTorchZip, "training checkpoint: model + epoch, args, optimizer, scaler (ignored)" },
        { "variant-torch2-model-only.pth", CheckpointFormat.PyTorchZip, "model-only checkpoint: {'model': state dict}" },
        { "variant-cuda-location.pth", CheckpointFormat.PyTorchZip, "model-only checkpoint: {'model': state dict}" },
    };

    [Theory]
    [MemberData(nameof(ExactVariants))]
    public void VariantHoldsIdenticalWeights(string file, CheckpointFormat format, string layout)
    {
        var ck = CheckpointLoader.Load(Fixtures.Tiny(file));
        Assert.Equal(format, ck.Format);
        Assert.Equal(layout, ck.Layout);
        Assert.Equal(Reference.Value.Configuration, ck.Configuration);
        AssertSameKeysAndShapes(Reference.Value.StateDict, ck.StateDict);
        foreach (var t in ck.StateDict.Values)
        {
            var r = Reference.Value.StateDict[t.Name];
            Assert.Equal(r.DType, t.DType);
            Assert.True(r.Data.Span.SequenceEqual(t.Data.Span), $"{file}: '{t.Name}' differs from checkpoint.pth");
        }
    }

    [Theory]
    [InlineData("variant-fp16.pth", TensorDType.Float16)]
    [InlineData("variant-bf16.pth", TensorDType.BFloat16)]
    public void HalfPrecisionVariantHoldsRoundedWeights(string file, TensorDType dtype)
    {
        var ck = CheckpointLoader.Load(Fixtures.Tiny(file));
        Assert.Equal([dtype, TensorDType.Int64], ck.SourceDTypes);
        AssertSameKeysAndShapes(Reference.Value.StateDict, ck.StateDict);
        var f32 = ck.ToFloat32StateDict();
        foreach (var t in ck.StateDict.Values)
        {
            var r = Reference.Value.StateDict[t.Name];
            if (!r.IsFloatingPoint)
            {
                Assert.Equal(r.DType, t.DType);
                Assert.True(r.Data.Span.SequenceEqual(t.Data.Span));
                continue;
            }
            Assert.Equal(dtype, t.DType);
            // torch rounds float32 → fp16/bf16 to nearest even; the file must hold exactly that.
            var expected = r.ToFloat32().Select(v => dtype == TensorDType.Float16 ? (float)(Half)v : RoundToBFloat16(v)).ToArray();
            Assert.Equal(expected, t.ToFloat32());
            Assert.Equal(TensorDType.Float32, f32[t.Name].DType);
            Assert.Equal(expected, f32[t.Name].ToFloat32());
        }
    }

    internal static float RoundToBFloat16(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        uint rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000;
        return BitConverter.UInt32BitsToSingle(rounded);
    }

    internal static void AssertSameKeysAndShapes(StateDict expected, StateDict actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var t in expected.Values) Assert.Equal(t.Shape, actual[t.Name].Shape);
    }

    [Fact]
    public void ExplicitConfigurationOverridesInference()
    {
        var given = FixtureConfig() with { HeadDim = 32 };
        var ck = CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth"), given);
        Assert.Equal(32, ck.Configuration!.HeadDim);
        Assert.Equal("given by the caller", ck.ConfigurationSource);
    }

    [Fact]
    public void WrongExplicitConfigurationIsReportedByName()
    {
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth"), SparseViTConfig.Base));
        Assert.Equal(CheckpointErrorCodes.KeysMismatch, ex.Code);
        Assert.StartsWith("checkpoint.pth: ", ex.Message);
        Assert.Contains("missing (encoder_net.blocks1.1.", ex.Message);
        Assert.Contains("encoder_net.patch_embed1.norm.weight: [8] but the model has [64]", ex.Message);
    }
}

public class TrainingArgsTests
{
    [Fact]
    public void HeadDimFromTrainingArgsWinsOverTheConvention()
    {
        var sd = CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth")).StateDict;
        // Re-pickle the fixture as {'model': OrderedDict(...), 'args': Namespace(head_dim=32)} in a torch zip.
        var p = new PickleBuilder().Proto().EmptyDict().Mark().Str("model")
            .Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        var storages = new List<(string, byte[])>();
        foreach (var t in sd.Values)
        {
            string key = storages.Count.ToString();
            long[] stride = new long[t.Shape.Length];
            long acc = 1;
            for (int i = t.Shape.Length - 1; i >= 0; i--) { stride[i] = acc; acc *= t.Shape[i]; }
            p.Str(t.Name).Tensor(t.DType == TensorDType.Int64 ? "LongStorage" : "FloatStorage", key, t.ElementCount, 0, t.Shape, stride, "cuda:1");
            storages.Add((key, t.Data.ToArray()));
        }
        p.SetItems();
        p.Str("args").Global("argparse", "Namespace").EmptyTuple().Op(0x81)
            .EmptyDict().Mark().Str("head_dim").Int(32).Str("seed").Int(3).SetItems().Op((byte)'b');
        p.SetItems().Stop();

        using var dir = new TempDir();
        string path = dir.File("with-args.pth");
        PickleBuilder.WriteZip(path, p.ToArray(), storages.ToArray());
        var ck = CheckpointLoader.Load(path);
        Assert.Equal(32, ck.Configuration!.HeadDim);
        Assert.Equal("inferred from shapes; head_dim from the training args", ck.ConfigurationSource);
        Assert.Equal("training checkpoint: model + args (ignored)", ck.Layout);
        Assert.Equal("3", ck.Metadata["args.seed"]);
        CheckpointFixtureTests.AssertSameKeysAndShapes(sd, ck.StateDict);
    }
}
