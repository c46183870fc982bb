using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using SparseViT.Engine.Onnx;
using TorchSharp;

namespace SparseViT.Engine.Inference;

/// <summary>
/// How fast a backend's own fp32 matrix multiply runs on this host with a given thread count: libtorch's for torch,
/// ONNX Runtime's (MLAS) for onnx. The two differ by 10–20 % on the same CPU, so each backend is read against its own.
/// </summary>
public static class GemmProbe
{
    /// <summary>GFLOP/s of the best of five size×size products (after one untimed), two FLOP per multiply-add.</summary>
    public static double Gflops(InferenceBackend backend, int threads, int size = 2048)
    {
        double flop = 2.0 * size * size * size;
        return Math.Round(flop / (backend == InferenceBackend.Onnx ? OnnxSeconds(threads, size) : TorchSeconds(threads, size)) / 1e9, 1);
    }

    private static double TorchSeconds(int threads, int size)
    {
        int before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            using var scope = torch.NewDisposeScope();
            var a = torch.rand(size, size);
            var b = torch.rand(size, size);
            return Best(() => torch.matmul(a, b).Dispose());
        }
        finally { torch.set_num_threads(before); } // libtorch's pool is process-wide
    }

    private static double OnnxSeconds(int threads, int size)
    {
        var random = new Random(1);
        var values = new float[size * size];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        var graph = new OnnxGraph();
        string n = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        graph.Input("a", n, n);
        graph.Node("MatMul", ["a", graph.Weight("b", values, size, size)]);
        graph.Proto.Node[^1].Output[0] = "c";
        graph.Output("c", n, n);
        var model = new ModelProto { IrVersion = 8, Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = SparseViTOnnxExporter.Opset });
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var input = new[] { NamedOnnxValue.CreateFromTensor("a", new DenseTensor<float>(values, [size, size])) };
        return Best(() => session.Run(input).Dispose());
    }

    private static double Best(Action product)
    {
        product();
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            product();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
