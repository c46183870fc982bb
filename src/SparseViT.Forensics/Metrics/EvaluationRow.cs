using System.Text.Json.Serialization;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// One image of an evaluation: its score and pixel metrics, or why it could not be measured. Flat, so the same row
/// serves the JSON report and the module's per-image objects.
/// </summary>
public sealed record EvaluationRow
{
    public required string Image { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Score { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? GroundTruth { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? F1 { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? InvariantF1 { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? IoU { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Accuracy { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Auc { get; init; }

    /// <summary>Image-level truth: the ground truth marks manipulated pixels (an image without a mask, or with an all-black one, is authentic and has no pixel metrics).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? IsManipulated { get; init; }

    /// <summary>Why the image could not be measured; null when it was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }

    public static EvaluationRow From(ImageEvaluation e) => new()
    {
        Image = e.ImagePath,
        Score = e.Score,
        GroundTruth = e.MaskPath,
        F1 = e.Pixel?.F1,
        InvariantF1 = e.Pixel?.InvariantF1,
        IoU = e.Pixel?.IoU,
        Accuracy = e.Pixel?.Accuracy,
        Auc = e.Pixel?.Auc,
        IsManipulated = e.IsManipulated,
    };
}
