using System.Text.RegularExpressions;
using SparseViT.Engine.Model;

namespace SparseViT.Engine.Checkpoints;

/// <summary>Recovers a <see cref="SparseViTConfig"/> from state-dict names and shapes.</summary>
public static partial class SparseViTConfigInference
{
    [GeneratedRegex(@"^encoder_net\.blocks([1-4])\.(\d+)\.")]
    private static partial Regex BlockKey();

    /// <summary>
    /// Depths from the block indices, channels from the patch-embedding convolutions, mlp_ratio from the first
    /// MLP, qkv_bias from the presence of the qkv bias. head_dim leaves no trace in the weights (qkv is 3d×d
    /// for any head count), so it comes from <paramref name="headDimHint"/> (e.g. the training args) when given,
    /// else from <see cref="DefaultHeadDim"/>.
    /// </summary>
    /// <exception cref="CheckpointException">CheckpointKeysMismatch when the keys needed to infer are missing.</exception>
    public static SparseViTConfig Infer(IReadOnlyDictionary<string, CheckpointTensor> stateDict, int? headDimHint = null, string? path = null)
    {
        var channels = new int[4];
        var missing = new List<string>();
        for (int s = 0; s < 4; s++)
        {
            string key = $"encoder_net.patch_embed{s + 1}.proj.weight";
            if (stateDict.TryGetValue(key, out var w) && w.Shape.Length == 4 && w.Shape[0] > 0 && w.Shape[0] <= int.MaxValue) channels[s] = (int)w.Shape[0];
            else missing.Add(key);
        }
        if (missing.Count > 0)
            throw new CheckpointException(CheckpointErrorCodes.KeysMismatch, path,
                $"not a SparseViT state dict: cannot infer its configuration without {string.Join(", ", missing)} (keys start with: {string.Join(", ", stateDict.Keys.Take(3))})");

        var depths = new int[4];
        foreach (var key in stateDict.Keys)
        {
            var m = BlockKey().Match(key);
            if (!m.Success || !int.TryParse(m.Groups[2].ValueSpan, out int index) || index > 10_000) continue;
            int s = m.Groups[1].ValueSpan[0] - '1';
            depths[s] = Math.Max(depths[s], index + 1);
        }

        int mlpRatio = 4;
        foreach (var (s, key) in new[] { (0, "encoder_net.blocks1.0.mlp.fc1.weight"), (2, "encoder_net.blocks3.0.mlp.fc1.weight") })
            if (stateDict.TryGetValue(key, out var fc1) && fc1.Shape.Length >= 2 && fc1.Shape[0] % channels[s] == 0)
            {
                mlpRatio = (int)(fc1.Shape[0] / channels[s]);
                break;
            }

        bool qkvBias = depths[2] == 0 || stateDict.ContainsKey("encoder_net.blocks3.0.attn.qkv.bias");
        int headDim = headDimHint is > 0 and var h && channels[2] % h == 0 && channels[3] % h == 0 ? h : DefaultHeadDim(channels[2], channels[3]);
        return new SparseViTConfig { Depths = depths, Channels = channels, HeadDim = headDim, MlpRatio = mlpRatio, QkvBias = qkvBias };
    }

    /// <summary>
    /// The head width assumed when nothing records it: the largest of 64, 32, 16, 8 that divides both attention
    /// stages' widths and still gives stage 3 at least two heads; else the largest common power of two.
    /// Why: the authors' model family fixes head_dim = 64 for every released size (base: 320 → 5 heads,
    /// 512 → 8), and narrow variants such as the test fixture (32/64 channels) halve it until stage 3 keeps
    /// two heads (→ 16). It is a convention, not a fact in the weights; pass the configuration explicitly when
    /// it differs.
    /// </summary>
    public static int DefaultHeadDim(int c3, int c4)
    {
        foreach (int hd in new[] { 64, 32, 16, 8 })
            if (c3 % hd == 0 && c4 % hd == 0 && c3 / hd >= 2) return hd;
        foreach (int hd in new[] { 64, 32, 16, 8, 4, 2 })
            if (c3 % hd == 0 && c4 % hd == 0) return hd;
        return 1;
    }
}
