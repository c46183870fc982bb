namespace SparseViT.Forensics.Calibration;

/// <summary>
/// How one number is drawn from a probability map to decide about the whole image. The field has no agreed
/// answer: MVSS-Net uses the maximum, TruFor trains a separate head, SparseViT's authors report no image score.
/// Calibration compares these on known data and keeps the best (<see cref="CalibrationBuilder"/>).
/// </summary>
public enum ImageScoreFunction
{
    /// <summary>The map's maximum.</summary>
    Max,

    /// <summary>The 99th percentile of the map.</summary>
    P99,

    /// <summary>The mean of the highest 1 % of the map.</summary>
    TopMean,

    /// <summary>The share of the map at or above the pixel threshold.</summary>
    ManipulatedFraction,
}
