namespace SparseViT.Forensics.Scoring;

/// <summary>
/// Summary statistics of a probability map, computed at the model's resolution (<see cref="Resolution"/>²) so
/// they do not depend on the original size. <see cref="Max"/> is the field's image-level score.
/// </summary>
public sealed record MaskScores(
    double Max,
    double Mean,
    double P99,
    double ManipulatedFraction,
    double Threshold,
    int Resolution,
    IReadOnlyList<ManipulatedRegion> Regions);

/// <summary>
/// One 8-connected group of pixels at or above the threshold. <see cref="Box"/> is in original-image pixels;
/// <see cref="AreaPixels"/> counts model-resolution pixels and <see cref="AreaFraction"/> is the share of the image.
/// </summary>
public sealed record ManipulatedRegion(RegionBox Box, int AreaPixels, double AreaFraction, double MeanScore, double MaxScore);

/// <summary>Axis-aligned box, top-left origin, exclusive of X+Width / Y+Height.</summary>
public sealed record RegionBox(int X, int Y, int Width, int Height);

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
