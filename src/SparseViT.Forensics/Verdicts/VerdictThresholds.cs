using SparseViT.Forensics.Evidence;

namespace SparseViT.Forensics.Verdicts;

/// <summary>The numbers <see cref="VerdictPolicy"/> compares against; every one is configurable.</summary>
public sealed record VerdictThresholds
{
    /// <summary>
    /// Map maximum at which an <em>uncalibrated</em> model makes an image <c>suspicious</c> (it never makes one
    /// <c>manipulated</c> alone). A calibrated model uses its calibration's thresholds instead.
    /// </summary>
    public double SuspiciousScore { get; init; } = 0.5;

    /// <summary>
    /// Share of pixels at or above the pixel threshold an uncalibrated model must mark for its score to count (0.001 =
    /// 262 pixels at 512²); a high max on a few isolated pixels is treated as noise.
    /// </summary>
    public double MinManipulatedFraction { get; init; } = 0.001;

    /// <summary>Indicators at or above this severity make an image <c>suspicious</c> on their own.</summary>
    public Severity SuspiciousSeverity { get; init; } = Severity.Medium;

    /// <summary>Indicators at or above this severity upgrade a <c>suspicious</c> model finding to <c>manipulated</c>.</summary>
    public Severity CorroboratingSeverity { get; init; } = Severity.Medium;
}
