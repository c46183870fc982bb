namespace SparseViT.Forensics.Scoring;

/// <summary>Options of <see cref="MaskScorer"/>.</summary>
public sealed record MaskScoringOptions
{
    /// <summary>A pixel counts as manipulated when its probability is at least this.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Regions smaller than this many model-resolution pixels (16 = 0.006% of 512²) are specks, not reported.</summary>
    public int MinRegionPixels { get; init; } = 16;

    /// <summary>At most this many regions are reported, largest first.</summary>
    public int MaxRegions { get; init; } = 50;
}
