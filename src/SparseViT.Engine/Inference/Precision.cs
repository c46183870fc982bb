namespace SparseViT.Engine.Inference;

/// <summary>Arithmetic of the matmul-class layers (norms, residual sums and the output stay float32; see MixedPrecision).</summary>
public enum Precision { Fp32, Bf16, Fp16 }
