using System.Text.Json;
using System.Text.Json.Serialization;

namespace SparseViT.Engine.Model;

/// <summary>
/// The shape of a SparseViT network. Everything the spec calls "configuration" is data here, so the
/// published base model and any smaller variant share one code path. The named variants sit here, beside the
/// network, as timm registers its variants beside each model.
/// </summary>
public sealed record SparseViTConfig
{
    /// <summary>Blocks per stage (stages 1–2 convolutional, 3–4 sparse attention).</summary>
    public required int[] Depths { get; init; }

    /// <summary>Channels per stage (C1..C4).</summary>
    public required int[] Channels { get; init; }

    public int HeadDim { get; init; } = 64;
    public int MlpRatio { get; init; } = 4;
    public bool QkvBias { get; init; } = true;

    /// <summary>Square input side. The sparse schedule assumes a 32×32 stage-3 map, i.e. 512.</summary>
    public int ImageSize { get; init; } = 512;

    /// <summary>Sparsity divisors for stage 3: s = H3 / SBlocks3[i / (Depths[2] / SBlocks3.Length)].</summary>
    public int[] SBlocks3 { get; init; } = [8, 4, 2, 1];

    /// <summary>Sparsity divisors for stage 4.</summary>
    public int[] SBlocks4 { get; init; } = [2, 1];

    /// <summary>The published model: 50,345,921 parameters.</summary>
    public static SparseViTConfig Base { get; } = new() { Depths = [5, 8, 20, 7], Channels = [64, 128, 320, 512], HeadDim = 64 };

    /// <summary>
    /// Our shipped default: the authors' minimum depths in stages 3–4 (their taps need 15 and 4 blocks), a quarter of their
    /// widths. 3.8 M parameters, about 15 MB as fp32; chosen by measured CPU step time (see checkpoints/MODEL_CARD.md).
    /// </summary>
    public static SparseViTConfig Compact { get; } = new() { Depths = [2, 2, 15, 4], Channels = [24, 48, 96, 192], HeadDim = 32 };

    /// <summary>The shape of the test fixture (../shared/fixtures/sparsevit-tiny): fast enough for unit tests, too small to learn much.</summary>
    public static SparseViTConfig Tiny { get; } = new() { Depths = [1, 1, 15, 4], Channels = [8, 16, 32, 64], HeadDim = 16 };

    /// <summary>The named variants, by the names the front ends accept.</summary>
    public static IReadOnlyDictionary<string, SparseViTConfig> Variants { get; } = new Dictionary<string, SparseViTConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["base"] = Base,
        ["compact"] = Compact,
        ["tiny"] = Tiny,
    };

    /// <summary>The variant called <paramref name="name"/> (base, compact, tiny; any case).</summary>
    public static SparseViTConfig Named(string name) =>
        Variants.TryGetValue(name.Trim(), out var config)
            ? config
            : throw new ArgumentException($"no SparseViT variant named '{name}' (known: {string.Join(", ", Variants.Keys)})");

    /// <summary>A configuration from its JSON form (property names in any case), validated.</summary>
    public static SparseViTConfig FromJson(string json)
    {
        SparseViTConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<SparseViTConfig>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"not a SparseViT configuration in JSON ({e.Message})", e);
        }
        if (config is null) throw new ArgumentException("empty SparseViT configuration (JSON null)");
        config.Validate();
        return config;
    }

    /// <summary>The JSON a training run records beside its checkpoints and in its resumable state.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>
    /// Blocks per sparsity step. The authors' code hard-codes these (i // 5 in stage 3, i // 4 in stage 4),
    /// independent of the depth, and so do the feature taps; we keep them as data but default to theirs.
    /// </summary>
    public int Stage3GroupSize { get; init; } = 5;
    public int Stage4GroupSize { get; init; } = 4;

    /// <summary>Stage-3 blocks whose outputs are third1..third3 (blocks 4, 9, 14 with the default group size).</summary>
    [JsonIgnore]
    public int[] Stage3Taps => [Stage3GroupSize - 1, 2 * Stage3GroupSize - 1, 3 * Stage3GroupSize - 1];

    /// <summary>Stage-4 block whose output is "last1".</summary>
    [JsonIgnore]
    public int Stage4Tap => Stage4GroupSize - 1;

    /// <summary>Group side s for block <paramref name="index"/> of stage 3 on a <paramref name="mapSide"/>² map.</summary>
    public int SparsityStage3(int index, int mapSide) => mapSide / SBlocks3[index / Stage3GroupSize];

    /// <summary>Group side s for block <paramref name="index"/> of stage 4.</summary>
    public int SparsityStage4(int index, int mapSide) => mapSide / SBlocks4[index / Stage4GroupSize];

    /// <summary>Checks the constraints the network relies on; throws with the reason otherwise.</summary>
    public void Validate()
    {
        if (Depths.Length != 4 || Channels.Length != 4) throw new ArgumentException("SparseViT needs 4 depths and 4 channel counts.");
        if (Depths[2] < 3 * Stage3GroupSize) throw new ArgumentException($"stage 3 needs at least {3 * Stage3GroupSize} blocks for the third1..third3 taps (has {Depths[2]}).");
        if (Depths[3] < Stage4GroupSize) throw new ArgumentException($"stage 4 needs at least {Stage4GroupSize} blocks for the last1 tap (has {Depths[3]}).");
        if ((Depths[2] - 1) / Stage3GroupSize >= SBlocks3.Length || (Depths[3] - 1) / Stage4GroupSize >= SBlocks4.Length)
            throw new ArgumentException("the sparsity schedule is shorter than the stage depth.");
        if (Channels[2] % HeadDim != 0 || Channels[3] % HeadDim != 0) throw new ArgumentException($"head_dim {HeadDim} must divide channels {Channels[2]} and {Channels[3]}.");
        if (ImageSize % 32 != 0) throw new ArgumentException("the input side must be a multiple of 32.");
    }

    public override string ToString() =>
        $"depths [{string.Join(",", Depths)}], channels [{string.Join(",", Channels)}], head_dim {HeadDim}, mlp_ratio {MlpRatio}, input {ImageSize}";

    public bool Equals(SparseViTConfig? other) =>
        other is not null && Depths.SequenceEqual(other.Depths) && Channels.SequenceEqual(other.Channels) &&
        HeadDim == other.HeadDim && MlpRatio == other.MlpRatio && QkvBias == other.QkvBias &&
        ImageSize == other.ImageSize && SBlocks3.SequenceEqual(other.SBlocks3) && SBlocks4.SequenceEqual(other.SBlocks4);

    public override int GetHashCode() => HashCode.Combine(string.Join(",", Depths), string.Join(",", Channels), HeadDim, MlpRatio, ImageSize);
}
