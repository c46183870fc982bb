namespace SparseViT.Engine.Inference;

public sealed record PredictorOptions
{
    /// <summary>`auto` (CUDA when present), `cpu`, `cuda`, `cuda:N`.</summary>
    public string Device { get; init; } = "auto";

    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>What runs the network; the library default is TorchSharp, the front ends default to auto.</summary>
    public InferenceBackend Backend { get; init; } = InferenceBackend.Torch;

    /// <summary>libtorch intra-op threads; null leaves libtorch's choice (or SPARSEVIT_THREADS).</summary>
    public int? Threads { get; init; }
}
