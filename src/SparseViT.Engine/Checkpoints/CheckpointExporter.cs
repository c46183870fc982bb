using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SparseViT.Engine.Model;
using static TorchSharp.torch;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// The one way weights come out: a module's state dict as <see cref="CheckpointTensor"/>s (the engine's file-independent
/// form), and those tensors as a checkpoint file. The trainer, <c>checkpoint convert</c> and the benchmark all use it, so
/// every file we write has the same names, dtypes and metadata keys.
/// </summary>
public static class CheckpointExporter
{
    /// <summary>Safetensors metadata key holding the <see cref="SparseViTConfig"/> as JSON.</summary>
    public const string ConfigMetadataKey = "sparsevit_config";

    /// <summary>
    /// Every state-dict entry in registration order. Floating tensors are stored as <paramref name="floatType"/>
    /// (Float32, or Float16 for a file half the size); integer buffers keep Int64.
    /// </summary>
    public static StateDict FromModule(nn.Module module, TensorDType floatType = TensorDType.Float32)
    {
        if (floatType is not (TensorDType.Float32 or TensorDType.Float16))
            throw new ArgumentOutOfRangeException(nameof(floatType), floatType, "checkpoints are exported as Float32 or Float16");
        var result = new StateDict();
        foreach (var (name, value) in module.state_dict())
        {
            using var t = value.detach().cpu().contiguous();
            if (t.dtype == ScalarType.Int64)
                result.Add(new CheckpointTensor(name, TensorDType.Int64, t.shape, MemoryMarshal.AsBytes(t.data<long>().ToArray().AsSpan()).ToArray()));
            else if (floatType == TensorDType.Float16)
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
    /// Writes <paramref name="tensors"/> atomically. A .pth file gets <paramref name="step"/> as an integer entry beside
    /// "model"; safetensors gets step, configuration and <paramref name="metadata"/> as strings.
    /// </summary>
    public static void Write(string path, StateDict tensors, CheckpointFileFormat format,
        int? step = null, SparseViTConfig? config = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (format == CheckpointFileFormat.Safetensors)
        {
            var strings = new Dictionary<string, string> { ["format"] = "pt" };
            if (step is { } s) strings["step"] = s.ToString(CultureInfo.InvariantCulture);
            if (config is not null) strings[ConfigMetadataKey] = JsonSerializer.Serialize(config);
            if (metadata is not null)
                foreach (var (key, value) in metadata) strings[key] = value;
            Safetensors.Write(path, tensors.Tensors, strings);
        }
        else
        {
            PyTorchCheckpointWriter.Write(path, tensors.Tensors, step is { } s ? new Dictionary<string, long> { ["step"] = s } : null);
        }
    }
}
