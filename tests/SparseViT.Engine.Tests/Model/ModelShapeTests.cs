using SparseViT.Engine.Model;
using static TorchSharp.torch;

namespace SparseViT.Engine.Tests.Model;

public class ModelShapeTests
{
    [Fact]
    public void BaseConfigurationHasThePublishedParameterCountAndStateDictSize()
    {
        using var model = new SparseViTModel(SparseViTConfig.Base);
        Assert.Equal(50_345_921, model.ParameterCount);
        Assert.Equal(814, model.state_dict().Count);
    }

    [Fact]
    public void StateDictUsesTheAuthorsNames()
    {
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Equal(428, keys.Count);
        foreach (var name in new[]
        {
            "encoder_net.patch_embed1.proj.weight", "encoder_net.patch_embed1.norm.bias",
            "encoder_net.blocks1.0.norm1.running_var", "encoder_net.blocks1.0.norm1.num_batches_tracked", "encoder_net.blocks2.0.mlp.fc2.weight",
            "encoder_net.blocks3.14.attn.qkv.bias", "encoder_net.blocks3.0.mlp.dwconv.dwconv.weight", "encoder_net.blocks4.3.gamma_2",
            "encoder_net.norm3.weight", "encoder_net.norm1.weight", "lmu.conv_layer4.weight", "lmu.gamma6", "lmu.norm.weight", "lmu.conv_last.bias",
        })
            Assert.Contains(name, keys);
    }

    [Fact]
    public void ForwardGivesLogitsOnTheStage3Grid()
    {
        using var _ = inference_mode();
        using var model = new SparseViTModel(SparseViTConfig.Tiny);
        model.eval();
        using var input = randn(2, 3, 512, 512);
        using var logits = model.forward(input);
        Assert.Equal(new long[] { 2, 1, 32, 32 }, logits.shape);
    }

    [Fact]
    public void SparsePartitionGroupsTokensWhoseCoordinatesAgreeModuloG()
    {
        // 8×8 map, s = 2 → g = 4: group (i, j) holds tokens (a·4+i, b·4+j) at position (a, b).
        using var x = arange(64, dtype: float32).reshape(1, 1, 8, 8);
        using var groups = SparseAttentionBlock.SparsePartition(x, 2);
        Assert.Equal(new long[] { 16, 4, 1 }, groups.shape);
        var values = groups.data<float>().ToArray();
        int i = 1, j = 2, group = i * 4 + j;
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                Assert.Equal((a * 4 + i) * 8 + (b * 4 + j), values[group * 4 + a * 2 + b]);
        using var merged = SparseAttentionBlock.SparseMerge(groups, 2, 1, 8, 8, 1);
        Assert.Equal(x.flatten().data<float>().ToArray(), merged.flatten().data<float>().ToArray());
    }

}
