using SparseViT.Forensics.Metrics;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Calibration;

/// <summary>
/// Makes a <see cref="ScoreCalibration"/> from the maps' scores on known authentic and known manipulated images:
/// every <see cref="ImageScoreFunction"/> is tried, the one with the highest ROC AUC is kept (ties: the simpler, in
/// declaration order), and the thresholds are the lowest whose false-positive rate on the authentic images is within
/// each target. The rates are measured on the calibration data itself; their intervals say how well so few images
/// pin them down.
/// </summary>
public static class CalibrationBuilder
{
    public static ScoreCalibration Build(
        IReadOnlyList<MaskScores> authentic,
        IReadOnlyList<MaskScores> manipulated,
        CalibratedCheckpoint checkpoint,
        CalibrationData data,
        CalibrationTargets? targets = null,
        string? createdBy = null)
    {
        targets ??= new CalibrationTargets();
        targets.Validate();
        if (authentic.Count < CalibrationTargets.MinimumAuthentic)
            throw new ArgumentException($"calibration needs at least {CalibrationTargets.MinimumAuthentic} authentic images that could be scored (got {authentic.Count})");
        if (manipulated.Count == 0) throw new ArgumentException("calibration needs at least one manipulated image that could be scored (got 0)");
        var thresholds = authentic.Concat(manipulated).Select(s => s.Threshold).Distinct().ToArray();
        if (thresholds.Length != 1) throw new ArgumentException($"the maps were scored with different pixel thresholds ({string.Join(", ", thresholds)})");

        var labels = authentic.Select(_ => false).Concat(manipulated.Select(_ => true)).ToArray();
        var candidates = ImageScoreFunctions.All
            .Select(f => new ScoreFunctionCandidate(f, RocAuc.Compute(authentic.Concat(manipulated).Select(s => f.Evaluate(s)).ToArray(), labels)!.Value))
            .ToList();
        var chosen = targets.ScoreFunction ?? candidates.OrderByDescending(c => c.Auc).First().Function;

        var a = authentic.Select(s => chosen.Evaluate(s)).ToArray();
        var m = manipulated.Select(s => chosen.Evaluate(s)).ToArray();
        return new ScoreCalibration
        {
            Checkpoint = checkpoint,
            ScoreFunction = chosen,
            PixelThreshold = thresholds[0],
            Manipulated = OperatingPoint.AtFalsePositiveRate(targets.ManipulatedFalsePositiveRate, a, m),
            Suspicious = OperatingPoint.AtFalsePositiveRate(targets.SuspiciousFalsePositiveRate, a, m),
            Auc = candidates.Single(c => c.Function == chosen).Auc,
            Candidates = candidates,
            Data = data,
            AuthenticScores = a.OrderByDescending(s => s).ToArray(),
            CreatedBy = createdBy,
        };
    }
}
