using System.Text.Json;
using System.Text.Json.Serialization;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// The result of evaluating a model against ground truth: per-image rows, pixel metrics averaged over the images
/// with a mask, image-level metrics from the map maxima. `sparsevit evaluate` writes it as JSON and
/// Measure-ManipulationAccuracy turns it into objects; both build it with <see cref="EvaluationReportBuilder"/>.
/// </summary>
public sealed record EvaluationReport(
    string Model, string CheckpointSha256, string Device, double Threshold,
    PixelMetricsSummary? Pixel, ImageLevelMetrics? Image, IReadOnlyList<EvaluationRow> Images)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    [JsonIgnore] public int Measured => Images.Count(r => r.Error is null);
    [JsonIgnore] public int Failed => Images.Count(r => r.Error is not null);

    public string ToJson() => JsonSerializer.Serialize(new { Model, CheckpointSha256, Threshold, Pixel, Image, Images }, Json);
}
