using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;

namespace SparseViT.Engine.Tests.Checkpoints;

public class StateDictLayoutTests
{
    [Fact]
    public void BaseLayoutHasThePublishedSize()
    {
        var expected = SparseViTStateDictLayout.Expected(SparseViTConfig.Base);
        Assert.Equal(814, expected.Count);
        Assert.Equal(814, expected.Select(e => e.Name).Distinct().Count());
        // The spec's 50,345,921 excludes BatchNorm statistics (running_mean / running_var / num_batches_tracked).
        Assert.Equal(50_345_921, SparseViTStateDictLayout.TrainableParameterCount(SparseViTConfig.Base));
    }

    [Fact]
    public void FixtureLayoutMatchesTheCheckpointExactlyInOrder()
    {
        var config = CheckpointFixtureTests.FixtureConfig();
        var expected = SparseViTStateDictLayout.Expected(config);
        var sd = CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth")).StateDict;
        Assert.Equal(expected.Select(e => e.Name), sd.Keys);
        foreach (var (name, shape) in expected) Assert.Equal(shape, sd[name].Shape);
        // fixture.json's "parameters" (453,857) counts trainable parameters only; with the 100 BN statistics it is 453,957.
        Assert.Equal(453_857, SparseViTStateDictLayout.TrainableParameterCount(config));
        Assert.True(CheckpointLoader.Compare(sd, config).IsMatch);
    }

    [Fact]
    public void HeadDimConventionGivesBaseAndFixtureValues()
    {
        Assert.Equal(64, SparseViTConfigInference.DefaultHeadDim(320, 512));
        Assert.Equal(16, SparseViTConfigInference.DefaultHeadDim(32, 64));
    }

    private static StateDict Edit(Func<CheckpointTensor, IEnumerable<CheckpointTensor>> edit) =>
        new(CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth")).StateDict.Values.SelectMany(edit));

    [Fact]
    public void MissingEntryIsReportedByName()
    {
        var sd = Edit(t => t.Name == "encoder_net.blocks3.7.attn.qkv.bias" ? [] : [t]);
        var m = CheckpointLoader.Compare(sd, CheckpointFixtureTests.FixtureConfig());
        Assert.Equal(["encoder_net.blocks3.7.attn.qkv.bias"], m.Missing);
        Assert.Empty(m.Unexpected);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Validate(sd, CheckpointFixtureTests.FixtureConfig(), "x.pth"));
        Assert.Equal(CheckpointErrorCodes.KeysMismatch, ex.Code);
        Assert.Contains("1 missing (encoder_net.blocks3.7.attn.qkv.bias)", ex.Message);
    }

    [Fact]
    public void RenamedEntryIsMissingAndUnexpected()
    {
        var sd = Edit(t => [t.Name == "lmu.gamma3" ? new CheckpointTensor("lmu.gamma_3", t.DType, t.Shape, t.Data) : t]);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Validate(sd, CheckpointFixtureTests.FixtureConfig(), "x.pth"));
        Assert.Contains("1 missing (lmu.gamma3)", ex.Message);
        Assert.Contains("1 unexpected (lmu.gamma_3)", ex.Message);
    }

    [Fact]
    public void ReshapedEntryIsReportedWithBothShapes()
    {
        var sd = Edit(t => [t.Name == "lmu.conv_last.weight" ? new CheckpointTensor(t.Name, t.DType, [64, 1, 1, 1], t.Data) : t]);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Validate(sd, CheckpointFixtureTests.FixtureConfig(), "x.pth"));
        Assert.Contains("1 with the wrong shape (lmu.conv_last.weight: [64,1,1,1] but the model has [1,64,1,1])", ex.Message);
    }

    [Fact]
    public void LongListsAreCappedWithACount()
    {
        var sd = Edit(t => t.Name.StartsWith("encoder_net.blocks3.", StringComparison.Ordinal) ? [] : [t]);
        var m = CheckpointLoader.Compare(sd, CheckpointFixtureTests.FixtureConfig());
        Assert.Equal(15 * 18, m.Missing.Count);
        Assert.Contains($"{15 * 18} missing (", m.ToString());
        Assert.Contains($"… {15 * 18 - 10} more", m.ToString());
    }

    [Fact]
    public void LoaderRejectsAStateDictThatContradictsItsOwnShape()
    {
        using var dir = new TempDir();
        var sd = Edit(t => t.Name == "encoder_net.norm4.bias" ? [] : [t]);
        string path = dir.File("partial.safetensors");
        Safetensors.Write(path, sd.Values);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(path));
        Assert.Equal(CheckpointErrorCodes.KeysMismatch, ex.Code);
        Assert.Contains("encoder_net.norm4.bias", ex.Message);
        // Unvalidated loading still works for inspection.
        Assert.Equal(427, CheckpointLoader.Load(path, validate: false).StateDict.Count);
    }
}
