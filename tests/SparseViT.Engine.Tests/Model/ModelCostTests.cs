using SparseViT.Engine.Model;

namespace SparseViT.Engine.Tests.Model;

public sealed class ModelCostTests
{
    /// <summary>
    /// The tiny fixture's shape (depths 1,1,15,4; channels 8,16,32,64; 512² input) counted by hand from the spec, layer by
    /// layer, in multiply-adds.
    /// </summary>
    [Fact]
    public void Counts_the_tiny_configuration_layer_by_layer()
    {
        long patchEmbeds = 128 * 128 * 8 * 3 * 16 + 64 * 64 * 16 * 8 * 4 + 32 * 32 * 32 * 16 * 4 + 16 * 16 * 64 * 32 * 4;
        // A convolutional block: depthwise 3×3 and 5×5, two 1×1 convs d→d, the 1×1 MLP d→4d→d.
        long stage1 = 128 * 128 * 8 * (9 + 25) + 2 * 128 * 128 * 8 * 8 + 2 * 128 * 128 * 8 * 32;
        long stage2 = 64 * 64 * 16 * (9 + 25) + 2 * 64 * 64 * 16 * 16 + 2 * 64 * 64 * 16 * 64;
        // Attention blocks on 32×32 tokens of 32 channels: qkv + proj (4d²), fc1 + fc2, the 3×3 depthwise conv on 128 hidden
        // channels, and q·kᵀ + a·v over groups of s² tokens (s = 4, 8, 16 for five blocks each).
        long stage3Dense = 15L * (1024 * 4 * 32 * 32 + 2 * 1024 * 32 * 128 + 1024 * 128 * 9);
        long stage3Attention = 5L * (2 * 1024 * 16 * 32 + 2 * 1024 * 64 * 32 + 2 * 1024 * 256 * 32);
        // Four blocks on 16×16 tokens of 64 channels, all with s = 8.
        long stage4 = 4L * (256 * 4 * 64 * 64 + 2 * 256 * 64 * 256 + 256 * 256 * 9 + 2 * 256 * 64 * 64);
        long head = 4 * 1024 * 32 * 64 + 1024 * 64;
        long macs = patchEmbeds + stage1 + stage2 + stage3Dense + stage3Attention + stage4 + head;

        Assert.Equal(2.0 * macs, ModelCost.FlopsPerImage(SparseViTConfig.Tiny));
    }

    [Fact]
    public void Attention_cost_follows_the_sparsity_schedule()
    {
        // Making every stage-3 block global (s = 32) adds exactly the difference in q·kᵀ and a·v products.
        var global = SparseViTConfig.Tiny with { SBlocks3 = [1, 1, 1, 1] };
        double extra = 2.0 * 5 * (2L * 1024 * (1024 - 16) * 32 + 2L * 1024 * (1024 - 64) * 32 + 2L * 1024 * (1024 - 256) * 32);
        Assert.Equal(ModelCost.FlopsPerImage(SparseViTConfig.Tiny) + extra, ModelCost.FlopsPerImage(global));
    }
}
