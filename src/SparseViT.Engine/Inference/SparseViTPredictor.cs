using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using SparseViT.Engine.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Engine.Inference;

/// <summary>
/// A loaded SparseViT on a device and precision: normalized 512² inputs in, probability maps out.
/// Inference runs under inference mode, one batch at a time (the lock keeps concurrent callers from
/// interleaving on one device); preprocessing is left to callers so it can run on worker threads.
/// </summary>
public sealed class SparseViTPredictor : IDisposable
{
    private readonly SparseViTModel? _model;
    private readonly OnnxRunner? _onnx;
    private readonly Device _device;
    private readonly object _gate = new();

    private SparseViTPredictor(SparseViTModel? model, OnnxRunner? onnx, Device device, Precision precision, ModelDescription description)
    {
        _model = model;
        _onnx = onnx;
        _device = device;
        Precision = precision;
        Description = description;
    }

    public ModelDescription Description { get; }
    public Precision Precision { get; }
    public int InputSize => Description.Configuration.ImageSize;
    public InferenceBackend Backend => _onnx is null ? InferenceBackend.Torch : InferenceBackend.Onnx;

    /// <summary>The TorchSharp network (torch backend only: the onnx backend keeps just its graph).</summary>
    public SparseViTModel Model => _model ?? throw new InvalidOperationException("the onnx backend holds an ONNX Runtime session, not a TorchSharp model");
    public Device Device => _device;

    /// <summary>Where the onnx backend's graph is cached (null for torch, or when no folder was writable).</summary>
    public string? GraphPath { get; private init; }

    /// <summary>Reads a checkpoint (any supported layout), infers or checks its configuration and loads it.</summary>
    public static SparseViTPredictor Load(string checkpointPath, PredictorOptions? options = null, SparseViTConfig? expected = null)
    {
        var checkpoint = CheckpointLoader.Load(checkpointPath, expected);
        var config = checkpoint.Configuration
            ?? throw new CheckpointException(CheckpointErrorCodes.Unsupported, checkpointPath, "the model configuration could not be inferred from the state dict");
        return Create(checkpoint.StateDict, config, options,
            Path.GetFileNameWithoutExtension(checkpointPath), Path.GetFullPath(checkpointPath), checkpoint.Sha256);
    }

    /// <summary>Builds the model for <paramref name="config"/>, copies the state dict in by name and moves it to the device.</summary>
    public static SparseViTPredictor Create(
        IReadOnlyDictionary<string, CheckpointTensor> stateDict, SparseViTConfig config, PredictorOptions? options = null,
        string name = "SparseViT", string checkpointPath = "", string checkpointSha256 = "")
    {
        options ??= new PredictorOptions();
        TorchRuntime.EnsureInitialized();
        var device = DeviceSelector.Resolve(options.Device);
        var backend = InferenceBackends.Resolve(options.Backend, DeviceSelector.Describe(device), options.Precision);
        var model = new SparseViTModel(config);
        try
        {
            StateDictCopier.CopyInto(model, stateDict, checkpointPath);
            model.eval();
            if (backend == InferenceBackend.Onnx)
            {
                // The graph is written from the loaded weights (so a checkpoint the model refuses never becomes one).
                byte[] graph = OnnxGraphCache.GetOrBuild(model, checkpointPath, checkpointSha256, out string? cached, out _);
                var runner = new OnnxRunner(graph, options.Threads ?? EnvironmentThreads());
                var onnxDescription = new ModelDescription(name, checkpointPath, checkpointSha256, config, model.ParameterCount,
                    DeviceSelector.Describe(device), options.Precision.ToName(), backend.ToName());
                model.Dispose();
                return new SparseViTPredictor(null, runner, device, options.Precision, onnxDescription) { GraphPath = cached };
            }
            // libtorch's pool is process-wide: only a torch predictor sets it (an onnx one sizes its own session).
            ApplyThreads(options.Threads);
            var dtype = options.Precision.ToScalarType();
            model.to(device);
            // Reduced precision as autocast runs it: matmuls and convolutions low, norms, sums and the head's output float32.
            if (dtype != ScalarType.Float32) MixedPrecision.Apply(model, dtype);
            var description = new ModelDescription(name, checkpointPath, checkpointSha256, config, model.ParameterCount,
                DeviceSelector.Describe(device), options.Precision.ToName(), backend.ToName());
            return new SparseViTPredictor(model, null, device, options.Precision, description);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static int? EnvironmentThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("SPARSEVIT_THREADS"), out int env) && env > 0 ? env : null;

    /// <summary>Sets libtorch's intra-op thread count (process-wide: libtorch has one pool).</summary>
    public static void ApplyThreads(int? threads)
    {
        if (threads is null && int.TryParse(Environment.GetEnvironmentVariable("SPARSEVIT_THREADS"), out int env)) threads = env;
        if (threads is > 0) torch.set_num_threads(threads.Value);
    }

    /// <summary>Decoded image → probability map (resize, normalize, forward).</summary>
    public ProbabilityMap Predict(RgbImage image) =>
        PredictBatch([new ModelInput(ImagePreprocessor.Prepare(image, InputSize), image.Width, image.Height)])[0];

    /// <summary>
    /// One forward pass over a batch of prepared inputs; one host synchronization per batch. Every map is checked before
    /// it is returned: a NaN, an infinity or a value outside [0, 1] throws <see cref="ModelOutputException"/> (naming the
    /// image's index), so a garbage map can never reach a score or a verdict.
    /// </summary>
    public IReadOnlyList<ProbabilityMap> PredictBatch(IReadOnlyList<ModelInput> inputs)
    {
        if (inputs.Count == 0) return [];
        int s = InputSize;
        long per = 3L * s * s;
        var host = new float[inputs.Count * per];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Values.Length != per) throw new ArgumentException($"input {i} has {inputs[i].Values.Length} values, expected 3×{s}×{s}");
            Array.Copy(inputs[i].Values, 0, host, i * per, per);
        }
        float[] probabilities;
        lock (_gate)
        {
            if (_onnx is not null) probabilities = _onnx.Run(host, inputs.Count, s);
            else probabilities = RunTorch(host, inputs.Count, s);
        }
        var maps = new ProbabilityMap[inputs.Count];
        int area = s * s;
        for (int i = 0; i < inputs.Count; i++)
        {
            var values = new float[area];
            Array.Copy(probabilities, (long)i * area, values, 0, area);
            maps[i] = new ProbabilityMap(values, s, inputs[i].OriginalWidth, inputs[i].OriginalHeight);
        }
        ModelOutputException.ThrowIfInvalid(maps, Precision.ToName());
        return maps;
    }

    private float[] RunTorch(float[] host, int count, int s)
    {
        using var mode = torch.inference_mode();
        using var scope = NewDisposeScope();
        // Float32 in: each layer takes its input in its own weights' type.
        var batch = torch.tensor(host, [count, 3, s, s]).to(_device);
        var probs = _model!.Probabilities(batch).to(ScalarType.Float32).cpu();
        return probs.data<float>().ToArray();
    }

    public void Dispose()
    {
        _model?.Dispose();
        _onnx?.Dispose();
    }
}
