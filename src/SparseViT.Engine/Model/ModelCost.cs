namespace SparseViT.Engine.Model;

/// <summary>
/// The arithmetic one forward pass of a configuration costs: floating-point operations of its convolutions, linears and
/// attention products, two per multiply-add (norms, activations, softmax and resizes are left out: together they are
/// well under 1 %). With a host's measured matrix-multiply rate it bounds the images/s any backend can reach there, which
/// is how `sparsevit bench` makes figures from different CPUs comparable.
/// </summary>
public static class ModelCost
{
    /// <summary>Floating-point operations for one image at <see cref="SparseViTConfig.ImageSize"/>.</summary>
    public static double FlopsPerImage(SparseViTConfig config)
    {
        var c = config.Channels;
        long size = config.ImageSize;
        long[] side = [size / 4, size / 8, size / 16, size / 32];
        long[] patch = [4, 2, 2, 2];
        long[] input = [3, c[0], c[1], c[2]];
        double macs = 0;
        for (int stage = 0; stage < 4; stage++)
            macs += (double)side[stage] * side[stage] * c[stage] * input[stage] * patch[stage] * patch[stage];

        for (int stage = 0; stage < 2; stage++)
        {
            double pixels = (double)side[stage] * side[stage], d = c[stage], hidden = d * config.MlpRatio;
            // pos_embed 3×3 and attn 5×5 depthwise; conv1, conv2; the 1×1 MLP.
            double block = pixels * d * (9 + 25) + 2 * pixels * d * d + 2 * pixels * d * hidden;
            macs += block * config.Depths[stage];
        }

        for (int stage = 2; stage < 4; stage++)
        {
            double tokens = (double)side[stage] * side[stage], d = c[stage], hidden = d * config.MlpRatio;
            for (int i = 0; i < config.Depths[stage]; i++)
            {
                long s = stage == 2 ? config.SparsityStage3(i, (int)side[stage]) : config.SparsityStage4(i, (int)side[stage]);
                double group = (double)s * s;
                // qkv and proj; q·kᵀ and attention·v within each group (tokens / group groups of group² pairs); fc1, fc2
                // and the MLP's 3×3 depthwise convolution on the hidden channels.
                macs += tokens * d * 4 * d + 2 * tokens * group * d + 2 * tokens * d * hidden + tokens * hidden * 9;
            }
        }

        // The fusion head: four 1×1 convolutions C3→C4 on the stage-3 map, then C4→1.
        double fused = (double)side[2] * side[2];
        macs += 4 * fused * c[2] * c[3] + fused * c[3];
        return 2 * macs;
    }
}
