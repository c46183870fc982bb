using SparseViT.Training.Evaluation;

namespace SparseViT.Training;

/// <summary>What the run did, for the caller and the tests.</summary>
public sealed record TrainingSummary(int StartStep, int EndStep, IReadOnlyList<(int Step, double Loss)> Losses, string? LastCheckpoint, SyntheticEvaluationResult? LastEvaluation);
