namespace SparseViT.Engine.Checkpoints;

/// <summary>How a checkpoint file is laid out on disk.</summary>
public enum CheckpointFormat
{
    /// <summary>torch.save since 1.6: a zip with <c>&lt;archive&gt;/data.pkl</c> and one entry per storage.</summary>
    PyTorchZip,
    /// <summary>torch.save before 1.6 (or _use_new_zipfile_serialization=False): pickles followed by raw storages.</summary>
    PyTorchLegacy,
    /// <summary>Hugging Face safetensors: JSON header + raw little-endian data.</summary>
    Safetensors,
}
