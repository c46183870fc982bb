using SparseViT.Forensics.Evidence;

namespace SparseViT.Forensics.Verdicts;

/// <summary>The numbers <see cref="VerdictPolicy"/> compares against; every one is configurable.</summary>
public sealed record VerdictThresholds
{
    /// <summary>Image score (mask max) at which the model alone is enough for <c>manipulated</c>.</summary>
    public double ManipulatedScore { get; init; } = 0.9;

    /// <summary>Image score at which the model makes an image <c>suspicious</c>.</summary>
    public double SuspiciousScore { get; init; } = 0.5;

    /// <summary>
    /// Share of pixels at or above the pixel threshold the model must mark for its score to count (0.001 = 262
    /// pixels at 512²); a high max on a few isolated pixels is treated as noise.
    /// </summary>
    public double MinManipulatedFraction { get; init; } = 0.001;

    /// <summary>Indicators at or above this severity make an image <c>suspicious</c> on their own.</summary>
    public Severity SuspiciousSeverity { get; init; } = Severity.Medium;

    /// <summary>Indicators at or above this severity upgrade a <c>suspicious</c> model finding to <c>manipulated</c>.</summary>
    public Severity CorroboratingSeverity { get; init; } = Severity.Medium;
}
