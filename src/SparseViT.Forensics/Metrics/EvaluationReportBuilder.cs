using SparseViT.Engine.Inference;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// Collects measured and failed images in order and computes the summary metrics once at the end. With a calibration
/// the image score is the calibration's function and the image-level decision its manipulated threshold; without one,
/// the map's maximum against the pixel threshold.
/// </summary>
public sealed class EvaluationReportBuilder(ModelDescription model, double threshold, ScoreCalibration? calibration = null)
{
    private readonly List<EvaluationRow> _rows = [];
    private readonly List<PixelMetrics> _pixel = [];
    private readonly List<(ImageEvaluation Evaluation, ImageScore Score)> _measured = [];

    public double Threshold => threshold;
    public int Measured => _measured.Count;
    public ScoreCalibration? Calibration => calibration;

    /// <summary>Adds a measured image; its row's score is this report's image score (the calibration's, else the maximum).</summary>
    public EvaluationRow Add(ImageEvaluation evaluation)
    {
        double score = calibration?.Score(evaluation.Scores) ?? evaluation.Scores.Max;
        var row = EvaluationRow.From(evaluation) with { Score = score };
        _rows.Add(row);
        _measured.Add((evaluation, new ImageScore(score, evaluation.IsManipulated)));
        if (evaluation.Pixel is { } pixel) _pixel.Add(pixel);
        return row;
    }

    public void AddFailure(string image, string message) => _rows.Add(new EvaluationRow { Image = image, Error = message });

    public EvaluationReport Build() => new(
        model.Name, model.CheckpointSha256, model.Device, threshold,
        _pixel.Count > 0 ? PixelMetricsSummary.Average(_pixel) : null,
        _measured.Count > 0 ? ImageLevel() : null,
        _rows.ToList());

    private ImageLevelMetrics ImageLevel()
    {
        var scores = _measured.Select(m => m.Score).ToList();
        var metrics = ImageLevelMetrics.Compute(scores, calibration?.Manipulated.Threshold ?? threshold);
        var authentic = scores.Where(s => !s.IsManipulated).Select(s => s.Score).ToArray();
        var manipulated = scores.Where(s => s.IsManipulated).Select(s => s.Score).ToArray();
        var labels = _measured.Select(m => m.Evaluation.IsManipulated).ToArray();
        return metrics with
        {
            ScoreFunction = calibration?.ScoreFunction.Name() ?? ImageScoreFunction.Max.Name(),
            OperatingPoints = calibration is { } c
                ? [OperatingPoint.At(c.Manipulated.Threshold, c.Manipulated.TargetFalsePositiveRate, authentic, manipulated),
                   OperatingPoint.At(c.Suspicious.Threshold, c.Suspicious.TargetFalsePositiveRate, authentic, manipulated)]
                : [],
            Candidates = labels.Distinct().Count() < 2 ? [] : ImageScoreFunctions.All
                .Select(f => new ScoreFunctionCandidate(f, RocAuc.Compute(_measured.Select(m => f.Evaluate(m.Evaluation.Scores)).ToArray(), labels)!.Value)).ToList(),
        };
    }
}
