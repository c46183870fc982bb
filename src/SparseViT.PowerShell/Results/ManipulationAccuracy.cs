namespace SparseViT.PowerShell;

/// <summary>Dataset-level evaluation from Measure-ManipulationAccuracy; metric definitions follow the forensics library.</summary>
public sealed class ManipulationAccuracy
{
    public int Images { get; init; }
    public int ManipulatedImages { get; init; }
    public int AuthenticImages { get; init; }

    /// <summary>Pixel F1 at the threshold, per image, averaged (an authentic image scores 0).</summary>
    public double PixelF1 { get; init; }
    public double InvariantF1 { get; init; }
    public double PixelIoU { get; init; }
    public double PixelAccuracy { get; init; }

    /// <summary>Mean pixel AUC over the images whose ground truth has both classes; null when none has.</summary>
    public double? PixelAuc { get; init; }

    /// <summary>Image-level AUC of the max score; null unless both manipulated and authentic images were measured.</summary>
    public double? ImageAuc { get; init; }
    public double ImageAccuracy { get; init; }
    public double ImageF1 { get; init; }
    public double Threshold { get; init; }
    public string Model { get; init; } = "";
    public string CheckpointSha256 { get; init; } = "";
    public string Device { get; init; } = "";
}

/// <summary>One image's row with -PerImage.</summary>
public sealed class ImageAccuracy
{
    public string Path { get; init; } = "";
    public string Name { get; init; } = "";
    public string GroundTruth { get; init; } = "";
    public double F1 { get; init; }
    public double InvariantF1 { get; init; }
    public double IoU { get; init; }
    public double Accuracy { get; init; }
    public double? Auc { get; init; }
    public double Score { get; init; }
    public bool IsManipulated { get; init; }
}
