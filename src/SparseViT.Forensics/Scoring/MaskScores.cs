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
