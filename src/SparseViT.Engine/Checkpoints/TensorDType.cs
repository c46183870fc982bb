namespace SparseViT.Engine.Checkpoints;

/// <summary>Element types a SparseViT state dict can hold on disk.</summary>
public enum TensorDType { Float32, Float16, BFloat16, Float64, Int64, Int32, UInt8, Int8, Bool, Int16 }
