using SparseViT.Forensics.Calibration;

namespace SparseViT.Forensics.Records;

/// <summary>The calibration a record's verdict used: which file (and its exact bytes), which score, which thresholds.</summary>
public sealed record CalibrationReference(string File, string Sha256, ImageScoreFunction ScoreFunction, double ManipulatedThreshold, double SuspiciousThreshold)
{
    public static CalibrationReference From(ScoreCalibration c) =>
        new(c.FilePath ?? "", c.FileSha256 ?? "", c.ScoreFunction, c.Manipulated.Threshold, c.Suspicious.Threshold);
}
