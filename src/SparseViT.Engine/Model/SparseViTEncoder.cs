using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Model;

/// <summary>
/// The backbone (`encoder_net`): two convolutional stages, then two sparse-attention stages whose
/// sparsity shrinks with depth (s = 4, 8, 16, 32 on the 32×32 stage-3 map at 512 input).
/// Returns the six maps the head fuses: third1, third2, third3, third, last1, last.
/// </summary>
public sealed class SparseViTEncoder : nn.Module<Tensor, Tensor[]>
{
    private readonly PatchEmbedding patch_embed1, patch_embed2, patch_embed3, patch_embed4;
    private readonly ModuleList<ConvBlock> blocks1, blocks2;
    private readonly ModuleList<SparseAttentionBlock> blocks3, blocks4;
    // norm1/norm2 exist in the published weights but the authors' forward never applies them.
    private readonly LayerNorm norm1, norm2, norm3, norm4;
    private readonly int[] stage3Taps;
    private readonly int stage4Tap;

    public SparseViTEncoder(SparseViTConfig config) : base(nameof(SparseViTEncoder))
    {
        config.Validate();
        var c = config.Channels;
        patch_embed1 = new PatchEmbedding(3, c[0], 4);
        patch_embed2 = new PatchEmbedding(c[0], c[1], 2);
        patch_embed3 = new PatchEmbedding(c[1], c[2], 2);
        patch_embed4 = new PatchEmbedding(c[2], c[3], 2);
        blocks1 = nn.ModuleList(Enumerable.Range(0, config.Depths[0]).Select(_ => new ConvBlock(c[0], config.MlpRatio)).ToArray());
        blocks2 = nn.ModuleList(Enumerable.Range(0, config.Depths[1]).Select(_ => new ConvBlock(c[1], config.MlpRatio)).ToArray());
        int side3 = config.ImageSize / 16, side4 = config.ImageSize / 32;
        blocks3 = nn.ModuleList(Enumerable.Range(0, config.Depths[2]).Select(i =>
            new SparseAttentionBlock(c[2], c[2] / config.HeadDim, config.MlpRatio, config.QkvBias, config.SparsityStage3(i, side3))).ToArray());
        blocks4 = nn.ModuleList(Enumerable.Range(0, config.Depths[3]).Select(i =>
            new SparseAttentionBlock(c[3], c[3] / config.HeadDim, config.MlpRatio, config.QkvBias, config.SparsityStage4(i, side4))).ToArray());
        norm1 = nn.LayerNorm(c[0], eps: 1e-6);
        norm2 = nn.LayerNorm(c[1], eps: 1e-6);
        norm3 = nn.LayerNorm(c[2], eps: 1e-6);
        norm4 = nn.LayerNorm(c[3], eps: 1e-6);
        stage3Taps = config.Stage3Taps;
        stage4Tap = config.Stage4Tap;
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = new Tensor[6];
        x = patch_embed1.forward(x);
        foreach (var block in blocks1) x = block.forward(x);
        x = patch_embed2.forward(x);
        foreach (var block in blocks2) x = block.forward(x);
        x = patch_embed3.forward(x);
        for (int i = 0; i < blocks3.Count; i++)
        {
            x = blocks3[i].forward(x);
            int tap = Array.IndexOf(stage3Taps, i);
            if (tap >= 0) features[tap] = x;
        }
        features[3] = ChannelNorm(norm3, x);
        x = patch_embed4.forward(x);
        for (int i = 0; i < blocks4.Count; i++)
        {
            x = blocks4[i].forward(x);
            if (i == stage4Tap) features[4] = x;
        }
        features[5] = ChannelNorm(norm4, x);
        foreach (var f in features) f.MoveToOuterDisposeScope();
        return features;
    }

    private static Tensor ChannelNorm(LayerNorm norm, Tensor x) => norm.Run(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2).contiguous();
}
