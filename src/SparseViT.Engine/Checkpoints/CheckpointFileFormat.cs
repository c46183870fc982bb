namespace SparseViT.Engine.Checkpoints;

/// <summary>On-disk layout of an exported checkpoint.</summary>
public enum CheckpointFileFormat
{
    /// <summary>The authors' <c>{"model": state_dict, …}</c> zip, readable by <c>torch.load</c>.</summary>
    Pth,

    /// <summary>safetensors: no pickle, memory-mappable, the configuration in its metadata.</summary>
    Safetensors,
}
