using System.Runtime.InteropServices;
using System.Text.Json;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Engine.Training;

/// <summary>Moves a model's state dict to and from <see cref="CheckpointTensor"/>s, the engine's file-independent form.</summary>
public static class ModelState
{
    /// <summary>Every state-dict entry in registration order; floating tensors optionally narrowed to fp16 for a smaller file.</summary>
    public static List<CheckpointTensor> Export(nn.Module model, bool half = false)
    {
        var result = new List<CheckpointTensor>();
        foreach (var (name, value) in model.state_dict())
        {
            using var t = value.detach().cpu().contiguous();
            if (t.dtype == ScalarType.Int64)
                result.Add(new CheckpointTensor(name, TensorDType.Int64, t.shape, MemoryMarshal.AsBytes(t.data<long>().ToArray().AsSpan()).ToArray()));
            else if (half)
            {
                using var h = t.to(ScalarType.Float16);
                result.Add(new CheckpointTensor(name, TensorDType.Float16, t.shape, MemoryMarshal.AsBytes(h.data<Half>().ToArray().AsSpan()).ToArray()));
            }
            else
            {
                using var f = t.to(ScalarType.Float32);
                result.Add(new CheckpointTensor(name, TensorDType.Float32, t.shape, MemoryMarshal.AsBytes(f.data<float>().ToArray().AsSpan()).ToArray()));
            }
        }
        return result;
    }

    /// <summary>
    /// Copies <paramref name="entries"/> into the model by name (a DistributedDataParallel "module." prefix is dropped).
    /// Every model entry must be present with the same shape, so a wrong configuration fails loudly instead of half-loading.
    /// </summary>
    public static void Import(nn.Module model, IEnumerable<CheckpointTensor> entries)
    {
        var byName = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach (var e in entries) byName[e.Name.StartsWith("module.", StringComparison.Ordinal) ? e.Name["module.".Length..] : e.Name] = e;
        using var _ = no_grad();
        foreach (var (name, target) in model.state_dict())
        {
            if (!byName.TryGetValue(name, out var entry)) throw new InvalidDataException($"checkpoint has no entry '{name}' (wrong configuration?)");
            if (!entry.Shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"'{name}': checkpoint shape [{string.Join(",", entry.Shape)}], model [{string.Join(",", target.shape)}] (wrong configuration?)");
            if (target.dtype == ScalarType.Int64)
            {
                var longs = entry.DType == TensorDType.Int64 ? MemoryMarshal.Cast<byte, long>(entry.Data.Span).ToArray() : entry.ToFloat32().Select(v => (long)v).ToArray();
                using var src = tensor(longs, target.shape);
                target.copy_(src);
            }
            else
            {
                using var src = tensor(entry.ToFloat32(), target.shape);
                target.copy_(src);
            }
        }
    }

    /// <summary>The configuration as the JSON a training run records beside its checkpoints.</summary>
    public static string ConfigJson(SparseViTConfig config) => JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>Named configurations for <c>--config</c>.</summary>
public static class TrainingConfigs
{
    /// <summary>The published model.</summary>
    public static SparseViTConfig Base => SparseViTConfig.Base;

    /// <summary>The test fixture's shape: fast enough for unit tests, too small to learn much.</summary>
    public static SparseViTConfig Tiny => new() { Depths = [1, 1, 15, 4], Channels = [8, 16, 32, 64], HeadDim = 16 };

    /// <summary>
    /// Our shipped default: the authors' minimum depths in stages 3–4 (their taps need 15 and 4 blocks), a quarter of their
    /// widths. 3.8 M parameters, about 15 MB as fp32; chosen by measured CPU step time (see checkpoints/MODEL_CARD.md).
    /// </summary>
    public static SparseViTConfig Compact => new() { Depths = [2, 2, 15, 4], Channels = [24, 48, 96, 192], HeadDim = 32 };

    /// <summary>A name (base, tiny, compact), a JSON file, or inline JSON of <see cref="SparseViTConfig"/>.</summary>
    public static SparseViTConfig Parse(string value)
    {
        var config = value.ToLowerInvariant() switch
        {
            "base" => Base,
            "tiny" => Tiny,
            "compact" => Compact,
            _ => FromJson(File.Exists(value) ? File.ReadAllText(value) : value),
        };
        config.Validate();
        return config;
    }

    private static SparseViTConfig FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SparseViTConfig>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
                   ?? throw new ArgumentException("empty configuration");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--config: not base|tiny|compact, a JSON file or JSON ({e.Message})");
        }
    }
}
