using SparseViT.Engine.Model;

namespace SparseViT.Engine.Checkpoints;

/// <summary>A SparseViT checkpoint read from disk: weights plus what was learnt about the file.</summary>
public sealed class LoadedCheckpoint
{
    public required string Path { get; init; }
    public required CheckpointFormat Format { get; init; }

    /// <summary>The weights, in file order, names normalized (wrapper and <c>module.</c> prefix removed), dtypes as stored.</summary>
    public required StateDict StateDict { get; init; }

    /// <summary>How the file wraps the state dict, in words (for logs and <c>inspect</c> output).</summary>
    public required string Layout { get; init; }

    /// <summary>Distinct dtypes of the stored tensors, in order of first appearance.</summary>
    public required IReadOnlyList<TensorDType> SourceDTypes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the whole file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Top-level keys of the file (training checkpoint: model, optimizer, …; bare state dict: its tensor names).</summary>
    public required IReadOnlyList<string> Entries { get; init; }

    /// <summary>Elements of all weights except BatchNorm statistics.</summary>
    public long TrainableParameterCount => StateDict.TrainableParameterCount;

    /// <summary>The configuration the weights belong to (given by the caller, or inferred); null only when loaded unvalidated and inference failed.</summary>
    public SparseViTConfig? Configuration { get; init; }

    /// <summary>Where <see cref="Configuration"/> came from, in words.</summary>
    public string ConfigurationSource { get; init; } = "";

    /// <summary>Extra strings: safetensors <c>__metadata__</c>, or a training checkpoint's epoch and args fields (as text).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>A copy of the state dict with floating-point tensors converted to float32.</summary>
    public StateDict ToFloat32StateDict() => StateDict.ToFloat32();
}
