using SparseViT.Training.Data;

namespace SparseViT.Training.Evaluation;

/// <summary>Scores of one evaluation pass.</summary>
public sealed record SyntheticEvaluationResult(int Count, double MeanF1, double MeanIoU, double MeanLoss, IReadOnlyDictionary<ManipulationKind, (int Count, double MeanF1)> ByKind)
{
    public override string ToString() =>
        $"pixel-F1 {MeanF1:F4} IoU {MeanIoU:F4} loss {MeanLoss:F4} on {Count} images (" +
        string.Join(", ", ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value.MeanF1:F3}/{k.Value.Count}")) + ")";
}
