using System.Collections.Concurrent;
using System.Diagnostics;
using SparseViT.Engine.Inference;

namespace SparseViT.PowerShell;

/// <summary>
/// A loaded SparseViT model as PowerShell sees it (Import-SparseViTModel, Get-SparseViTModel, -Model).
/// The predictor is internal: scripts pass this object around, they do not drive the engine.
/// </summary>
public sealed class SparseViTModel
{
    internal SparseViTModel(SparseViTPredictor predictor, TimeSpan loadTime)
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
    public DateTime LoadedAt { get; }
    public TimeSpan LoadTime { get; }

    /// <summary>Shared by every scan that uses this model; the predictor serialises batches itself.</summary>
    internal SparseViTPredictor Predictor { get; }

    public override string ToString() => $"{Name} ({Device}, {Precision}) {CheckpointPath}";
}

/// <summary>
/// Models loaded in this process, keyed by (full checkpoint path, resolved device, precision). Loading takes
/// seconds and hundreds of MB, so every cmdlet in every runspace of the session reuses a loaded model. A checkpoint
/// replaced on disk is picked up by Import-SparseViTModel -Force.
/// </summary>
internal static class ModelCache
{
    private static readonly ConcurrentDictionary<(string Path, string Device, string Precision), Lazy<SparseViTModel>> Models = new();

    // A Lazy whose factory threw never reports IsValueCreated, so these are the successfully loaded ones.
    public static IReadOnlyList<SparseViTModel> Loaded =>
        [.. Models.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(m => m.LoadedAt)];

    /// <summary>The cached model for the request, loading it on first use; <paramref name="loaded"/> tells which.</summary>
    public static SparseViTModel GetOrLoad(string checkpointPath, string? device, Precision precision, bool reload, out bool loaded)
    {
        string fullPath = Path.GetFullPath(checkpointPath);
        // "auto" and "cuda" must share an entry with what they resolve to, or one session would hold two copies.
        string resolvedDevice = DeviceSelector.Describe(DeviceSelector.Resolve(device));
        var key = (fullPath, resolvedDevice, precision.ToName());
        // The old predictor is not disposed: a -Model variable or a running scan may still hold it.
        if (reload) Models.TryRemove(key, out _);

        bool created = false;
        var lazy = Models.GetOrAdd(key, k => new Lazy<SparseViTModel>(() =>
        {
            created = true;
            var watch = Stopwatch.StartNew();
            var predictor = SparseViTPredictor.Load(k.Path, new PredictorOptions { Device = k.Device, Precision = precision });
            return new SparseViTModel(predictor, watch.Elapsed);
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            var model = lazy.Value;
            loaded = created;
            return model;
        }
        catch
        {
            // A failed load must not poison the cache: the next call (after fixing the file) tries again.
            Models.TryRemove(new KeyValuePair<(string, string, string), Lazy<SparseViTModel>>(key, lazy));
            throw;
        }
    }
}
