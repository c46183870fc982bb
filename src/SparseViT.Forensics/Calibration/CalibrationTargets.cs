namespace SparseViT.Forensics.Calibration;

/// <summary>
/// The false-positive rates a calibration aims for, and optionally a fixed score function (null: the best by AUC).
/// </summary>
public sealed record CalibrationTargets
{
    public double ManipulatedFalsePositiveRate { get; init; } = 0.01;
    public double SuspiciousFalsePositiveRate { get; init; } = 0.05;
    public ImageScoreFunction? ScoreFunction { get; init; }

    /// <summary>Fewer authentic images than this cannot say anything useful about a false-positive rate.</summary>
    public const int MinimumAuthentic = 20;

    public void Validate()
    {
        if (ManipulatedFalsePositiveRate is <= 0 or >= 1) throw new ArgumentException($"the manipulated false-positive rate must be in (0, 1) (got {ManipulatedFalsePositiveRate})");
        if (SuspiciousFalsePositiveRate is <= 0 or >= 1) throw new ArgumentException($"the suspicious false-positive rate must be in (0, 1) (got {SuspiciousFalsePositiveRate})");
        if (SuspiciousFalsePositiveRate < ManipulatedFalsePositiveRate)
            throw new ArgumentException($"the suspicious false-positive rate ({SuspiciousFalsePositiveRate}) must be at least the manipulated one ({ManipulatedFalsePositiveRate}): suspicious is the lower bar");
    }
}
