using System.Collections.Concurrent;
using System.Diagnostics;
using SparseViT.Engine.Inference;

namespace SparseViT.PowerShell;

/// <summary>
/// Models loaded in this process, keyed by (full checkpoint path, resolved device, precision). Loading takes
/// seconds and hundreds of MB, so every cmdlet in every runspace of the session reuses a loaded model. A checkpoint
/// replaced on disk is picked up by Import-SparseViTModel -Force.
/// </summary>
internal static class ModelCache
{
    private static readonly ConcurrentDictionary<(string Path, string Device, string Precision, string Backend), Lazy<LoadedModel>> Models = new();

    // A Lazy whose factory threw never reports IsValueCreated, so these are the successfully loaded ones.
    public static IReadOnlyList<LoadedModel> Loaded =>
        [.. Models.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(m => m.LoadedAt)];

    /// <summary>The cached model for the request, loading it on first use; <paramref name="loaded"/> tells which.</summary>
    public static LoadedModel GetOrLoad(string checkpointPath, string? device, Precision precision, InferenceBackend backend, bool reload, out bool loaded)
    {
        string fullPath = Path.GetFullPath(checkpointPath);
        // "auto" and "cuda" must share an entry with what they resolve to, or one session would hold two copies.
        string resolvedDevice = DeviceSelector.ResolveName(device);
        // "auto" shares an entry with the backend it picks on this device, for the same reason.
        var key = (fullPath, resolvedDevice, precision.ToName(), InferenceBackends.Resolve(backend, resolvedDevice, precision).ToName());
        // The old predictor is not disposed: a -Model variable or a running scan may still hold it.
        if (reload) Models.TryRemove(key, out _);

        bool created = false;
        var lazy = Models.GetOrAdd(key, k => new Lazy<LoadedModel>(() =>
        {
            created = true;
            var watch = Stopwatch.StartNew();
            var predictor = SparseViTPredictor.Load(k.Path, new PredictorOptions { Device = k.Device, Precision = precision, Backend = InferenceBackends.Parse(k.Backend) });
            return new LoadedModel(predictor, watch.Elapsed);
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
            Models.TryRemove(new KeyValuePair<(string, string, string, string), Lazy<LoadedModel>>(key, lazy));
            throw;
        }
    }
}
