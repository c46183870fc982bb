using SparseViT.Forensics.Metrics;

namespace SparseViT.PowerShell;

/// <summary>One image's row with -PerImage.</summary>
public sealed class ImageAccuracy
{
    public string Path { get; init; } = "";
    public string Name { get; init; } = "";
    public string GroundTruth { get; init; } = "";
    /// <summary>Pixel metrics; null for an authentic image, which has nothing to localize (it counts at image level).</summary>
    public double? F1 { get; init; }
    public double? InvariantF1 { get; init; }
    public double? IoU { get; init; }
    public double? Accuracy { get; init; }
    public double? Auc { get; init; }
    public double Score { get; init; }
    public bool IsManipulated { get; init; }

    internal static ImageAccuracy From(EvaluationRow row) => new()
    {
        Path = row.Image,
        Name = System.IO.Path.GetFileName(row.Image),
        GroundTruth = row.GroundTruth ?? "",
        F1 = row.F1,
        InvariantF1 = row.InvariantF1,
        IoU = row.IoU,
        Accuracy = row.Accuracy,
        Auc = row.Auc,
        Score = row.Score ?? 0,
        IsManipulated = row.IsManipulated ?? false,
    };
}
