namespace SparseViT.Engine.Inference;

public sealed record PredictorOptions
{
    /// <summary>`auto` (CUDA when present), `cpu`, `cuda`, `cuda:N`.</summary>
    public string Device { get; init; } = "auto";

    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>libtorch intra-op threads; null leaves libtorch's choice (or SPARSEVIT_THREADS).</summary>
    public int? Threads { get; init; }
}
