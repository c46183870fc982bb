namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>Resource bounds for one pickle; defaults are far above what a 50 M-parameter training checkpoint needs.</summary>
public sealed record UnpicklerLimits
{
    public int MaxMemoEntries { get; init; } = 4_000_000;
    public int MaxStackDepth { get; init; } = 1_000_000;
    public int MaxMarkDepth { get; init; } = 100_000;
    public long MaxObjects { get; init; } = 20_000_000;
    public int MaxIntegerBytes { get; init; } = 4096;
    public int MaxLineLength { get; init; } = 4096;

    public static UnpicklerLimits Default { get; } = new();
}
