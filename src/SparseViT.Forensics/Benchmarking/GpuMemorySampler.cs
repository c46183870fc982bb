using SparseViT.Engine.Native;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>
/// TorchSharp exposes no CUDA allocator statistics, so this samples nvidia-smi's per-process figure (which includes the
/// CUDA context) every 100 ms while a configuration runs; null when nvidia-smi is absent.
/// </summary>
internal sealed class GpuMemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double? _peak;

    private GpuMemorySampler() => _loop = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            if (Sample() is { } now) _peak = Math.Max(_peak ?? 0, now);
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    });

    public double? PeakMiB
    {
        get
        {
            if (Sample() is { } now) _peak = Math.Max(_peak ?? 0, now);
            return _peak;
        }
    }

    public static GpuMemorySampler? TryStart() => Sample() is null ? null : new GpuMemorySampler();

    private static double? Sample() => NvidiaSmi.ProcessMemoryMiB(Environment.ProcessId);

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop.Wait(2000); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
