using SparseViT.Engine.Inference;

namespace SparseViT.Forensics.Metrics;

/// <summary>Collects measured and failed images in order and computes the summary metrics once at the end.</summary>
public sealed class EvaluationReportBuilder(ModelDescription model, double threshold)
{
    private readonly List<EvaluationRow> _rows = [];
    private readonly List<PixelMetrics> _pixel = [];
    private readonly List<ImageScore> _scores = [];

    public double Threshold => threshold;
    public int Measured => _scores.Count;

    public EvaluationRow Add(ImageEvaluation evaluation)
    {
        var row = EvaluationRow.From(evaluation);
        _rows.Add(row);
        _scores.Add(evaluation.ToImageScore());
        if (evaluation.Pixel is { } pixel) _pixel.Add(pixel);
        return row;
    }

    public void AddFailure(string image, string message) => _rows.Add(new EvaluationRow { Image = image, Error = message });

    public EvaluationReport Build() => new(
        model.Name, model.CheckpointSha256, model.Device, threshold,
        _pixel.Count > 0 ? PixelMetricsSummary.Average(_pixel) : null,
        _scores.Count > 0 ? ImageLevelMetrics.Compute(_scores, threshold) : null,
        _rows.ToList());
}
