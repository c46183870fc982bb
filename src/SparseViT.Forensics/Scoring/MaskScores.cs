namespace SparseViT.Forensics.Scoring;

/// <summary>
/// Summary statistics of a probability map, computed at the model's resolution (<see cref="Resolution"/>²) so
/// they do not depend on the original size. <see cref="Max"/> is the field's image-level score; a calibration
/// (<see cref="Calibration.ScoreCalibration"/>) may choose another of these as the image score.
/// </summary>
/// <param name="TopMean">Mean of the highest 1 % of the map's values (2,621 cells at 512²): a max that one speck cannot make.</param>
public sealed record MaskScores(
    double Max,
    double Mean,
    double P99,
    double TopMean,
    double ManipulatedFraction,
    double Threshold,
    int Resolution,
    IReadOnlyList<ManipulatedRegion> Regions);
