namespace SparseViT.Forensics.Scanning;

/// <summary>How wide and how deep the pipeline runs; the depths bound memory whatever the number of files.</summary>
public sealed record PipelineLimits
{
    public int BatchSize { get; init; } = 1;

    /// <summary>
    /// Threads reading, hashing and decoding ahead of inference: all cores but one (which feeds the model), since
    /// JPEG decoding of large photos, not the GPU, bounds a scan on a GPU host.
    /// </summary>
    public int PrepareWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Threads scoring and writing behind inference (original-size maps for masks and overlays are the heavy part).</summary>
    public int FinishWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Prepared items waiting for the model; each holds one model input (3×512×512 floats, 3 MiB).</summary>
    public int PrepareQueue { get; init; } = 0;

    /// <summary>Inferred items waiting to be scored and written.</summary>
    public int FinishQueue { get; init; } = 0;

    internal int EffectivePrepareQueue => PrepareQueue > 0 ? PrepareQueue : 2 * Math.Max(1, BatchSize) + PrepareWorkers;
    internal int EffectiveFinishQueue => FinishQueue > 0 ? FinishQueue : Math.Max(1, BatchSize) + FinishWorkers;
}
