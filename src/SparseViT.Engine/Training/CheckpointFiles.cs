using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;

namespace SparseViT.Engine.Training;

/// <summary>Reads and writes the checkpoints a training run exports, in either on-disk format.</summary>
public static class CheckpointFiles
{
    /// <summary>
    /// The authors' layout (<c>{"model": state_dict, "step": n}</c>, readable by torch.load) or safetensors with the
    /// configuration in the metadata. Both appear atomically.
    /// </summary>
    public static void Write(string path, IReadOnlyList<CheckpointTensor> tensors, ExportFormat format, int step, SparseViTConfig config)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (format == ExportFormat.Safetensors)
            Safetensors.Write(path, tensors, new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["sparsevit_config"] = System.Text.Json.JsonSerializer.Serialize(config),
            });
        else
            PyTorchCheckpointWriter.Write(path, tensors, new Dictionary<string, long> { ["step"] = step });
    }

    /// <summary>The state dict of any checkpoint the engine reads, checked against <paramref name="config"/>.</summary>
    public static IReadOnlyCollection<CheckpointTensor> Read(string path, SparseViTConfig config) =>
        CheckpointLoader.Load(path, config).StateDict.Values.ToList();
}
