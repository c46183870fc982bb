using static TorchSharp.torch;

namespace SparseViT.Engine.Inference;

public static class PrecisionNames
{
    public static string ToName(this Precision p) => p switch { Precision.Bf16 => "bf16", Precision.Fp16 => "fp16", _ => "fp32" };

    /// <summary>The tensor type of the matmul-class layers at this precision (the one mapping the engine uses).</summary>
    public static ScalarType ToScalarType(this Precision p) => p switch
    {
        Precision.Bf16 => ScalarType.BFloat16,
        Precision.Fp16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };

    public static Precision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" or "float" => Precision.Fp32,
        "bf16" or "bfloat16" => Precision.Bf16,
        "fp16" or "float16" or "half" => Precision.Fp16,
        _ => throw new ArgumentException($"unknown precision '{text}' (expected fp32, bf16 or fp16)"),
    };
}
