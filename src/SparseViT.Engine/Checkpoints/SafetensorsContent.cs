namespace SparseViT.Engine.Checkpoints;

/// <summary>A safetensors file's tensors (in header order) and its <c>__metadata__</c> strings.</summary>
public sealed record SafetensorsContent(StateDict Tensors, IReadOnlyDictionary<string, string> Metadata);
