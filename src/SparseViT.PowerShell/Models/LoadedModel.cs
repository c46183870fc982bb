using SparseViT.Engine.Inference;

namespace SparseViT.PowerShell;

/// <summary>
/// A SparseViT network loaded on a device, as PowerShell sees it (Import-SparseViTModel, Get-SparseViTModel, -Model).
/// The predictor is internal: scripts pass this object around, they do not drive the engine.
/// </summary>
public sealed class LoadedModel
{
    internal LoadedModel(SparseViTPredictor predictor, TimeSpan loadTime)
    {
        Predictor = predictor;
        var d = predictor.Description;
        Name = d.Name;
        CheckpointPath = d.CheckpointPath;
        CheckpointSha256 = d.CheckpointSha256;
        Configuration = d.Configuration.ToString();
        Depths = [.. d.Configuration.Depths];
        Channels = [.. d.Configuration.Channels];
        HeadDim = d.Configuration.HeadDim;
        ImageSize = d.Configuration.ImageSize;
        Parameters = d.Parameters;
        Device = d.Device;
        Precision = d.Precision;
        Backend = d.Backend;
        LoadedAt = DateTime.Now;
        LoadTime = loadTime;
    }

    public string Name { get; }
    public string CheckpointPath { get; }
    public string CheckpointSha256 { get; }

    /// <summary>One-line summary of the network shape (depths, channels, head dim, MLP ratio, input size).</summary>
    public string Configuration { get; }
    public int[] Depths { get; }
    public int[] Channels { get; }
    public int HeadDim { get; }
    public int ImageSize { get; }
    public long Parameters { get; }

    /// <summary>The device the weights live on (cpu, cuda:N), resolved from the request (auto → what was found).</summary>
    public string Device { get; }
    public string Precision { get; }
    /// <summary>torch (TorchSharp/libtorch) or onnx (ONNX Runtime).</summary>
    public string Backend { get; }
    public DateTime LoadedAt { get; }
    public TimeSpan LoadTime { get; }

    /// <summary>Shared by every scan that uses this model; the predictor serializes batches itself.</summary>
    internal SparseViTPredictor Predictor { get; }

    public override string ToString() => $"{Name} ({Device}, {Precision}, {Backend}) {CheckpointPath}";
}
