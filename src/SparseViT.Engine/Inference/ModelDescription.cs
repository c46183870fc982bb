using SparseViT.Engine.Model;

namespace SparseViT.Engine.Inference;

/// <summary>What a loaded model is, for records and for `Get-SparseViTModel`: enough to reproduce a result.</summary>
public sealed record ModelDescription(
    string Name,
    string CheckpointPath,
    string CheckpointSha256,
    SparseViTConfig Configuration,
    long Parameters,
    string Device,
    string Precision,
    string Backend = "torch");
