namespace SparseViT.Engine.Inference;

/// <summary>What runs the network: TorchSharp's eager libtorch, or ONNX Runtime on a graph written from the same weights.</summary>
public enum InferenceBackend
{
    /// <summary>ONNX Runtime on CPU (measured faster there), TorchSharp on CUDA.</summary>
    Auto,
    Torch,
    Onnx,
}

public static class InferenceBackends
{
    public static string ToName(this InferenceBackend backend) => backend switch
    {
        InferenceBackend.Torch => "torch",
        InferenceBackend.Onnx => "onnx",
        _ => "auto",
    };

    public static InferenceBackend Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => InferenceBackend.Auto,
        "torch" or "libtorch" or "torchsharp" => InferenceBackend.Torch,
        "onnx" or "onnxruntime" or "ort" => InferenceBackend.Onnx,
        _ => throw new ArgumentException($"unknown backend '{text}' (expected torch, onnx or auto)"),
    };

    /// <summary>
    /// The backend that runs on <paramref name="device"/> ("cpu", "cuda:0"): auto is ONNX Runtime on CPU, where `sparsevit
    /// bench --backend torch,onnx` measures it ahead of eager libtorch (README), and TorchSharp on CUDA, where this build
    /// carries no CUDA execution provider. ONNX is fp32 on CPU only.
    /// </summary>
    public static InferenceBackend Resolve(InferenceBackend requested, string device, Precision precision)
    {
        bool cpu = device.StartsWith("cpu", StringComparison.OrdinalIgnoreCase);
        if (requested == InferenceBackend.Auto) return cpu && precision == Precision.Fp32 ? InferenceBackend.Onnx : InferenceBackend.Torch;
        if (requested == InferenceBackend.Onnx && !cpu)
            throw new ArgumentException($"the onnx backend runs on the CPU in this build, not on {device} (use the torch backend there)");
        if (requested == InferenceBackend.Onnx && precision != Precision.Fp32)
            throw new ArgumentException($"the onnx backend runs fp32, not {precision.ToName()} (use the torch backend for reduced precision)");
        return requested;
    }
}
