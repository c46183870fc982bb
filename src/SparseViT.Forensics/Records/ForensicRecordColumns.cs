using System.Globalization;
using System.Text.Json;

namespace SparseViT.Forensics.Records;

/// <summary>
/// The flat view of a <see cref="ForensicRecord"/>, defined once for CSV and for PowerShell's table view. The order
/// is part of the output contract: columns are only ever appended. Values are typed (numbers stay numbers);
/// enums use the same kebab-case strings as the JSON.
/// </summary>
public static class ForensicRecordColumns
{
    public static IReadOnlyList<ForensicRecordColumn> All { get; } =
    [
        new("path", r => r.Path),
        new("fileName", r => r.FileName),
        new("sizeBytes", r => r.SizeBytes),
        new("sha256", r => r.Sha256),
        new("format", r => r.Format),
        new("width", r => r.Width),
        new("height", r => r.Height),
        new("status", r => EnumText(r.Status)),
        new("errorCode", r => r.Error?.Code),
        new("errorMessage", r => r.Error?.Message),
        new("verdict", r => r.Verdict is { } v ? EnumText(v) : null),
        new("reasons", r => r.Reasons.Count == 0 ? null : string.Join(" | ", r.Reasons)),
        new("scoreMax", r => r.Scores?.Max),
        new("scoreMean", r => r.Scores?.Mean),
        new("scoreP99", r => r.Scores?.P99),
        new("manipulatedFraction", r => r.Scores?.ManipulatedFraction),
        new("threshold", r => r.Scores?.Threshold),
        new("resolution", r => r.Scores?.Resolution),
        new("regionCount", r => r.Scores?.Regions.Count),
        new("largestRegion", r => r.Scores?.Regions.FirstOrDefault() is { } g
            ? string.Create(CultureInfo.InvariantCulture, $"{g.Box.X},{g.Box.Y},{g.Box.Width},{g.Box.Height}") : null),
        new("indicators", r => r.Indicators.Count == 0 ? null : string.Join(";", r.Indicators.Select(i => i.Id))),
        new("maxSeverity", r => r.Indicators.Count == 0 ? null : EnumText(r.Indicators.Max(i => i.Severity))),
        new("make", r => r.Metadata?.Make),
        new("model", r => r.Metadata?.Model),
        new("software", r => r.Metadata?.Software),
        new("creatorTool", r => r.Metadata?.CreatorTool),
        new("dateTimeOriginal", r => r.Metadata?.DateTimeOriginal),
        new("dateTimeModified", r => r.Metadata?.DateTimeModified),
        new("gpsLatitude", r => r.Metadata?.Gps?.Latitude),
        new("gpsLongitude", r => r.Metadata?.Gps?.Longitude),
        new("jpegQuality", r => r.Metadata?.Quantization?.EstimatedQuality),
        new("modelName", r => r.Model?.Name),
        new("checkpointSha256", r => r.Model?.CheckpointSha256),
        new("device", r => r.Model?.Device),
        new("precision", r => r.Model?.Precision),
        new("mask", r => r.Artifacts.Mask),
        new("overlay", r => r.Artifacts.Overlay),
        new("totalMs", r => r.Timings?.TotalMs),
        new("scannedAt", r => r.ScannedAt),
        // Added within schema 1: appended so positional consumers of older files keep their columns.
        new("errorCause", r => r.Error?.Cause),
        new("imageScore", r => r.ImageScore),
        new("scoreTopMean", r => r.Scores?.TopMean),
        new("scoreFunction", r => r.Model?.Calibration is { } c ? EnumText(c.ScoreFunction) : r.Scores is null ? null : "max"),
        new("calibration", r => r.Model?.Calibration?.File),
        new("calibrationSha256", r => r.Model?.Calibration?.Sha256),
        new("c2paStatus", r => r.Provenance is null ? null : r.Provenance.Present ? r.Provenance.ValidationState : "none"),
        new("c2paSigner", r => r.Provenance?.Signer?.CommonName),
        new("c2paGenerator", r => r.Provenance?.ClaimGenerator),
        new("c2paAiGenerated", r => r.Provenance is { Present: true } p ? p.AiGenerated : null),
        new("backend", r => r.Model?.Backend),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToArray();

    /// <summary>The record's values in column order.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> Flatten(ForensicRecord record) =>
        All.Select(c => new KeyValuePair<string, object?>(c.Name, c.Value(record))).ToArray();

    /// <summary>Culture-independent text of a flat value: round-trip numbers, ISO 8601 dates, empty for null.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>An enum value as the JSON writes it (kebab-case).</summary>
    public static string EnumText<T>(T value) where T : struct, Enum =>
        JsonSerializer.Serialize(value, ForensicRecordJson.Options).Trim('"');
}
