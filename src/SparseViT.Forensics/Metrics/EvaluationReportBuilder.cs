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
    private readonly List<ImageEvaluation> _measured = [];

    public double Threshold => threshold;
    public int Measured => _measured.Count;
    public ScoreCalibration? Calibration => calibration;

    /// <summary>The image score to pass to <see cref="ImageEvaluation.Measure"/>.</summary>
    public Func<MaskScores, double> ImageScore => calibration is { } c ? c.Score : s => s.Max;

    public EvaluationRow Add(ImageEvaluation evaluation)
    {
        var row = EvaluationRow.From(evaluation);
        _rows.Add(row);
        _measured.Add(evaluation);
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
        var scores = _measured.Select(e => e.ToImageScore()).ToList();
        var metrics = ImageLevelMetrics.Compute(scores, calibration?.Manipulated.Threshold ?? threshold);
        var authentic = scores.Where(s => !s.IsManipulated).Select(s => s.Score).ToArray();
        var manipulated = scores.Where(s => s.IsManipulated).Select(s => s.Score).ToArray();
        var labels = _measured.Select(e => e.IsManipulated).ToArray();
        return metrics with
        {
            ScoreFunction = calibration?.ScoreFunction.Name() ?? ImageScoreFunction.Max.Name(),
            OperatingPoints = calibration is { } c
                ? [OperatingPoint.At(c.Manipulated.Threshold, c.Manipulated.TargetFalsePositiveRate, authentic, manipulated),
                   OperatingPoint.At(c.Suspicious.Threshold, c.Suspicious.TargetFalsePositiveRate, authentic, manipulated)]
                : [],
            Candidates = labels.Distinct().Count() < 2 ? [] : ImageScoreFunctions.All
                .Select(f => new ScoreFunctionCandidate(f, RocAuc.Compute(_measured.Select(e => f.Evaluate(e.Scores)).ToArray(), labels)!.Value)).ToList(),
        };
    }
}
