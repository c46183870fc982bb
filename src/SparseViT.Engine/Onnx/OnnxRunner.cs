using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SparseViT.Engine.Onnx;

/// <summary>An ONNX Runtime session over a SparseViT graph: all graph optimisations, a fixed intra-op thread count.</summary>
internal sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;

    public OnnxRunner(byte[] graph, int? threads)
    {
        _options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        if (threads is > 0) _options.IntraOpNumThreads = threads.Value;
        _session = new InferenceSession(graph, _options);
    }

    /// <summary>count×3×size×size normalised floats in, count×size×size probabilities out.</summary>
    public float[] Run(float[] batch, int count, int size)
    {
        var input = new DenseTensor<float>(batch, [count, 3, size, size]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(SparseViTOnnxExporter.InputName, input)]);
        return results.Single(r => r.Name == SparseViTOnnxExporter.OutputName).AsTensor<float>().ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
