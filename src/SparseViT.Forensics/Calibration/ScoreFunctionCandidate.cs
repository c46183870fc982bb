namespace SparseViT.Forensics.Calibration;

/// <summary>One image-score function tried by calibration and its image-level ROC AUC on the calibration data.</summary>
public sealed record ScoreFunctionCandidate(ImageScoreFunction Function, double Auc);
