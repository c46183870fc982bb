using SparseViT.Forensics.Metrics;

namespace SparseViT.PowerShell;

/// <summary>Dataset-level evaluation from Measure-ManipulationAccuracy; metric definitions follow the forensics library.</summary>
public sealed class ManipulationAccuracy
{
    public int Images { get; init; }
    public int ManipulatedImages { get; init; }
    public int AuthenticImages { get; init; }

    /// <summary>Pixel F1 at the threshold, per manipulated image, averaged (authentic images count at image level only).</summary>
    public double PixelF1 { get; init; }
    public double InvariantF1 { get; init; }
    public double PixelIoU { get; init; }
    public double PixelAccuracy { get; init; }

    /// <summary>Mean pixel AUC over the images whose ground truth has both classes; null when none has.</summary>
    public double? PixelAuc { get; init; }

    /// <summary>Image-level AUC of the image score; null unless both manipulated and authentic images were measured.</summary>
    public double? ImageAuc { get; init; }
    public double ImageAccuracy { get; init; }

    /// <summary>Mean of the true-positive rate and 1 − the false-positive rate at the image-level threshold; null without both classes.</summary>
    public double? BalancedAccuracy { get; init; }
    public double? FalsePositiveRate { get; init; }
    public double? TruePositiveRate { get; init; }

    /// <summary>The image score ranked (the calibration's function, or max) and the threshold the image-level numbers use.</summary>
    public string ScoreFunction { get; init; } = "max";
    public double ImageThreshold { get; init; }

    /// <summary>The calibration's manipulated and suspicious thresholds applied to this data (counts and 95 % intervals); empty when uncalibrated.</summary>
    public SparseViT.Forensics.Calibration.OperatingPoint[] OperatingPoints { get; init; } = [];

    /// <summary>Image-level AUC of each candidate image score on this data.</summary>
    public SparseViT.Forensics.Calibration.ScoreFunctionCandidate[] Candidates { get; init; } = [];
    public double ImageF1 { get; init; }
    public double Threshold { get; init; }
    public string Model { get; init; } = "";
    public string CheckpointSha256 { get; init; } = "";
    public string Device { get; init; } = "";

    /// <summary>The shared evaluation report (the same numbers `sparsevit evaluate` writes) as the cmdlet's summary object.</summary>
    internal static ManipulationAccuracy From(EvaluationReport report)
    {
        var pixel = report.Pixel;
        var image = report.Image!;
        return new ManipulationAccuracy
        {
            Images = image.Images,
            ManipulatedImages = image.Manipulated,
            AuthenticImages = image.Authentic,
            PixelF1 = pixel?.F1 ?? 0,
            InvariantF1 = pixel?.InvariantF1 ?? 0,
            PixelIoU = pixel?.IoU ?? 0,
            PixelAccuracy = pixel?.Accuracy ?? 0,
            PixelAuc = pixel?.Auc,
            ImageAuc = image.Auc,
            ImageAccuracy = image.Accuracy,
            BalancedAccuracy = image.BalancedAccuracy,
            FalsePositiveRate = image.FalsePositiveRate,
            TruePositiveRate = image.TruePositiveRate,
            ScoreFunction = image.ScoreFunction,
            ImageThreshold = image.Threshold,
            OperatingPoints = [.. image.OperatingPoints],
            Candidates = [.. image.Candidates],
            ImageF1 = image.F1,
            Threshold = report.Threshold,
            Model = report.Model,
            CheckpointSha256 = report.CheckpointSha256,
            Device = report.Device,
        };
    }
}
