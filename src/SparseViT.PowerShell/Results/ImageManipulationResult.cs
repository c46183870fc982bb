using System.Globalization;
using System.Management.Automation;
using SparseViT.Forensics.Records;

namespace SparseViT.PowerShell;

/// <summary>
/// The PowerShell face of a <see cref="ForensicRecord"/>: the library's flat column set
/// (<see cref="ForensicRecordColumns"/>, the same one the CSV writer uses) as typed, PascalCase properties, so
/// Export-Csv, Where-Object and Sort-Object work without calculated properties and a sheet from Export-Csv agrees
/// with one from Export-ForensicReport. The structured record stays on <see cref="Record"/>, hidden so Export-Csv
/// does not write it as a column.
/// </summary>
public sealed class ImageManipulationResult
{
    private readonly Lazy<PSObject> _record;

    internal ImageManipulationResult(ForensicRecord record)
    {
        Source = record;
        // Built on first use: most pipelines only read the scalar properties.
        _record = new Lazy<PSObject>(() => RecordObject.From(record));
        var flat = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (column, value) in ForensicRecordColumns.Flatten(record)) flat[column] = value;

        Path = Text(flat, "path") ?? record.Path;
        Name = Text(flat, "fileName") is { Length: > 0 } name ? name : System.IO.Path.GetFileName(Path);
        SizeBytes = Number<long>(flat, "sizeBytes");
        Sha256 = Text(flat, "sha256");
        Format = Text(flat, "format");
        Width = Number<int>(flat, "width");
        Height = Number<int>(flat, "height");
        Status = Text(flat, "status") ?? "";
        ErrorCode = Text(flat, "errorCode");
        ErrorMessage = Text(flat, "errorMessage");
        Verdict = Text(flat, "verdict");
        Reasons = Text(flat, "reasons");
        Score = Number<double>(flat, "scoreMax");
        MeanScore = Number<double>(flat, "scoreMean");
        P99Score = Number<double>(flat, "scoreP99");
        ManipulatedFraction = Number<double>(flat, "manipulatedFraction");
        Threshold = Number<double>(flat, "threshold");
        Resolution = Number<int>(flat, "resolution");
        RegionCount = Number<int>(flat, "regionCount");
        LargestRegion = Text(flat, "largestRegion");
        Indicators = Text(flat, "indicators");
        IndicatorCount = record.Indicators.Count;
        HighestSeverity = Text(flat, "maxSeverity");
        Make = Text(flat, "make");
        Model = Text(flat, "model");
        Software = Text(flat, "software");
        CreatorTool = Text(flat, "creatorTool");
        DateTimeOriginal = Date(flat, "dateTimeOriginal");
        DateTimeModified = Date(flat, "dateTimeModified");
        GpsLatitude = Number<double>(flat, "gpsLatitude");
        GpsLongitude = Number<double>(flat, "gpsLongitude");
        JpegQuality = Number<int>(flat, "jpegQuality");
        ModelName = Text(flat, "modelName");
        CheckpointSha256 = Text(flat, "checkpointSha256");
        Device = Text(flat, "device");
        Precision = Text(flat, "precision");
        MaskPath = Text(flat, "mask");
        OverlayPath = Text(flat, "overlay");
        DurationMs = Number<double>(flat, "totalMs");
        ScannedAt = Date(flat, "scannedAt") ?? record.ScannedAt.UtcDateTime;
        ImageScore = Number<double>(flat, "imageScore");
        TopMeanScore = Number<double>(flat, "scoreTopMean");
        ScoreFunction = Text(flat, "scoreFunction");
        Calibration = Text(flat, "calibration");
        CalibrationSha256 = Text(flat, "calibrationSha256");
        C2paStatus = Text(flat, "c2paStatus");
        C2paSigner = Text(flat, "c2paSigner");
        C2paGenerator = Text(flat, "c2paGenerator");
        C2paAiGenerated = flat.GetValueOrDefault("c2paAiGenerated") as bool?;
        Backend = Text(flat, "backend");
    }

    public string Path { get; }
    public string Name { get; }
    public long? SizeBytes { get; }
    public string? Sha256 { get; }

    /// <summary>Format from the file signature (JPEG, PNG, …), not the extension.</summary>
    public string? Format { get; }
    public int? Width { get; }
    public int? Height { get; }

    /// <summary>ok or error; failed files go to the error stream, so output normally holds ok records only.</summary>
    public string Status { get; }
    public string? ErrorCode { get; }
    public string? ErrorMessage { get; }

    /// <summary>manipulated, suspicious or no-evidence (the record's JSON spelling); null when the scan failed.</summary>
    public string? Verdict { get; }

    /// <summary>Why the verdict was reached, joined with " | ".</summary>
    public string? Reasons { get; }

    /// <summary>The highest pixel probability at model resolution (the field's usual image score).</summary>
    public double? Score { get; }

    /// <summary>The number the verdict compared: <see cref="ScoreFunction"/> of the map (the calibration's choice; max when uncalibrated).</summary>
    public double? ImageScore { get; }

    /// <summary>max, p99, top-mean or manipulated-fraction.</summary>
    public string? ScoreFunction { get; }

    /// <summary>Mean of the highest 1 % of the map.</summary>
    public double? TopMeanScore { get; }

    /// <summary>The calibration file the verdict used; null when the model is uncalibrated (then the map alone makes at most suspicious).</summary>
    public string? Calibration { get; }
    public string? CalibrationSha256 { get; }

    /// <summary>Content Credentials: none, valid, trusted, invalid, prerelease or unreadable (details: <c>$r.Record.Provenance</c>).</summary>
    public string? C2paStatus { get; }
    /// <summary>Common name of the C2PA signer's certificate.</summary>
    public string? C2paSigner { get; }
    public string? C2paGenerator { get; }
    /// <summary>True when the C2PA chain declares AI-generated or algorithmic content.</summary>
    public bool? C2paAiGenerated { get; }
    public double? MeanScore { get; }
    public double? P99Score { get; }

    /// <summary>Share of pixels at or above <see cref="Threshold"/>, 0..1.</summary>
    public double? ManipulatedFraction { get; }
    public double? Threshold { get; }
    public int? Resolution { get; }
    public int? RegionCount { get; }

    /// <summary>x,y,width,height of the largest region in original-image pixels.</summary>
    public string? LargestRegion { get; }

    /// <summary>Indicator ids joined with ";" (details: <c>$r.Record.Indicators</c>).</summary>
    public string? Indicators { get; }
    public int IndicatorCount { get; }
    public string? HighestSeverity { get; }

    /// <summary>Camera make and model from EXIF; <see cref="ModelName"/> is the SparseViT model.</summary>
    public string? Make { get; }
    public string? Model { get; }
    public string? Software { get; }
    public string? CreatorTool { get; }
    public DateTime? DateTimeOriginal { get; }
    public DateTime? DateTimeModified { get; }
    public double? GpsLatitude { get; }
    public double? GpsLongitude { get; }
    public int? JpegQuality { get; }

    public string? ModelName { get; }
    public string? CheckpointSha256 { get; }
    public string? Device { get; }
    public string? Precision { get; }
    /// <summary>What ran the network: torch or onnx.</summary>
    public string? Backend { get; }
    public string? MaskPath { get; }
    public string? OverlayPath { get; }
    public double? DurationMs { get; }

    /// <summary>When the scan finished, UTC.</summary>
    public DateTime ScannedAt { get; }

    /// <summary>
    /// The complete nested record (scores and regions, metadata, indicator values, model, timings) as PowerShell objects
    /// with the record's JSON names: `ConvertTo-Json -Depth 10` of it is the CLI's JSON record.
    /// </summary>
    [Hidden]
    public PSObject Record => _record.Value;

    /// <summary>The library record, for Export-ForensicReport.</summary>
    internal ForensicRecord Source { get; }

    public override string ToString() => Path;

    private static string? Text(Dictionary<string, object?> flat, string column) =>
        flat.TryGetValue(column, out var value) && value is not null ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static T? Number<T>(Dictionary<string, object?> flat, string column) where T : struct =>
        flat.TryGetValue(column, out var value) && value is IConvertible c ? (T)c.ToType(typeof(T), CultureInfo.InvariantCulture) : null;

    private static DateTime? Date(Dictionary<string, object?> flat, string column) =>
        flat.TryGetValue(column, out var value) ? value switch
        {
            DateTime t => t,
            DateTimeOffset t => t.UtcDateTime,
            _ => null,
        } : null;
}
