using SparseViT.Engine.Model;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// The state-dict names and shapes the reference PyTorch SparseViT registers for a configuration, in its
/// registration order (module's own parameters, then buffers, then children in construction order). The spec's
/// key list is the single source: the model code checks its own parameter names against <see cref="Expected"/>.
/// </summary>
public static class SparseViTStateDictLayout
{
    private static readonly string[] BufferSuffixes = [".running_mean", ".running_var", ".num_batches_tracked"];

    /// <summary>True for BatchNorm statistics: buffers, not trainable parameters.</summary>
    public static bool IsBuffer(string name) => BufferSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));

    public static IReadOnlyList<(string Name, long[] Shape)> Expected(SparseViTConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Depths.Length != 4 || config.Channels.Length != 4) throw new ArgumentException("SparseViT needs 4 depths and 4 channel counts.");
        var c = config.Channels;
        var list = new List<(string, long[])>();
        void Add(string name, params long[] shape) => list.Add((name, shape));
        void LayerNorm(string p, long d) { Add(p + ".weight", d); Add(p + ".bias", d); }
        void Conv(string p, long o, long i, long k, bool bias = true) { Add(p + ".weight", o, i, k, k); if (bias) Add(p + ".bias", o); }
        void Linear(string p, long o, long i, bool bias = true) { Add(p + ".weight", o, i); if (bias) Add(p + ".bias", o); }
        void BatchNorm(string p, long d)
        {
            Add(p + ".weight", d); Add(p + ".bias", d);
            Add(p + ".running_mean", d); Add(p + ".running_var", d); Add(p + ".num_batches_tracked");
        }

        // PatchEmbed registers norm before proj.
        int[] patch = [4, 2, 2, 2];
        for (int s = 0; s < 4; s++)
        {
            string p = $"encoder_net.patch_embed{s + 1}";
            LayerNorm(p + ".norm", c[s]);
            Conv(p + ".proj", c[s], s == 0 ? 3 : c[s - 1], patch[s]);
        }

        for (int s = 0; s < 4; s++)
        {
            long d = c[s], hidden = d * config.MlpRatio;
            for (int b = 0; b < config.Depths[s]; b++)
            {
                string p = $"encoder_net.blocks{s + 1}.{b}";
                if (s < 2)
                {
                    Conv(p + ".pos_embed", d, 1, 3);
                    BatchNorm(p + ".norm1", d);
                    Conv(p + ".conv1", d, d, 1);
                    Conv(p + ".conv2", d, d, 1);
                    Conv(p + ".attn", d, 1, 5);
                    BatchNorm(p + ".norm2", d);
                    Conv(p + ".mlp.fc1", hidden, d, 1);
                    Conv(p + ".mlp.fc2", d, hidden, 1);
                }
                else
                {
                    Add(p + ".gamma_1", d);
                    Add(p + ".gamma_2", d);
                    Conv(p + ".pos_embed", d, 1, 3);
                    LayerNorm(p + ".norm1", d);
                    Linear(p + ".attn.qkv", 3 * d, d, config.QkvBias);
                    Linear(p + ".attn.proj", d, d);
                    LayerNorm(p + ".norm2", d);
                    Linear(p + ".mlp.fc1", hidden, d);
                    Conv(p + ".mlp.dwconv.dwconv", hidden, 1, 3);
                    Linear(p + ".mlp.fc2", d, hidden);
                }
            }
            LayerNorm($"encoder_net.norm{s + 1}", d);
        }

        for (int g = 1; g <= 6; g++) Add($"lmu.gamma{g}", c[3]);
        LayerNorm("lmu.norm", c[3]);
        for (int k = 1; k <= 4; k++) Conv($"lmu.conv_layer{k}", c[3], c[2], 1);
        Conv("lmu.conv_last", 1, c[3], 1);
        return list;
    }

    /// <summary>Trainable parameters (BatchNorm statistics excluded) of a configuration.</summary>
    public static long TrainableParameterCount(SparseViTConfig config) =>
        Expected(config).Where(e => !IsBuffer(e.Name)).Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));
}
