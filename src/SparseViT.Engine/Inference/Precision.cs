namespace SparseViT.Engine.Inference;

/// <summary>Arithmetic of the matmul-class layers (norms, residual sums and the output stay float32; see MixedPrecision).</summary>
public enum Precision { Fp32, Bf16, Fp16 }

public static class PrecisionNames
{
    public static string ToName(this Precision p) => p switch { Precision.Bf16 => "bf16", Precision.Fp16 => "fp16", _ => "fp32" };

    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" or "float" => Precision.Fp32,
        "bf16" or "bfloat16" => Precision.Bf16,
        "fp16" or "float16" or "half" => Precision.Fp16,
        _ => throw new ArgumentException($"unknown precision '{text}' (expected fp32, bf16 or fp16)"),
    };
}
