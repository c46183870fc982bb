using SparseViT.Engine.Inference;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Scanning;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Calibration;

/// <summary>
/// Scores a <see cref="CalibrationSet"/> with a loaded model (the same batched scan as `sparsevit scan`, model evidence
/// only, so a file's metadata cannot leak into its class) and builds the checkpoint's <see cref="ScoreCalibration"/>.
/// A file that cannot be scored is reported and left out; it never stops the run.
/// </summary>
public sealed class CalibrationRun(SparseViTPredictor predictor, int batchSize = 1, double pixelThreshold = 0.5)
{
    /// <summary>Called for each scored or failed file, in order (progress, logs).</summary>
    public Action<ForensicRecord, bool>? Scored { get; init; }

    /// <summary>Files left out: could not be scored, or their class could not be told.</summary>
    public List<(string Path, string Problem)> LeftOut { get; } = [];

    public ScoreCalibration Run(CalibrationSet set, CalibrationTargets targets, string? createdBy = null, CancellationToken cancel = default)
    {
        LeftOut.AddRange(set.Unknown);
        var classOf = set.Images.ToDictionary(i => i.Path, i => i.Manipulated, StringComparer.Ordinal);
        var scanner = new ImageScanner(predictor, new ScanOptions { BatchSize = batchSize, Threshold = pixelThreshold, SkipMetadata = true });
        var items = set.Images.Select(i => ScanItem.From(i.Path, Path.GetFileName(i.Path)));
        var authentic = new List<MaskScores>();
        var manipulated = new List<MaskScores>();
        foreach (var record in scanner.Scan(items, cancel))
        {
            bool isManipulated = classOf[record.Path];
            if (record.Status == RecordStatus.Ok && record.Scores is { } scores) (isManipulated ? manipulated : authentic).Add(scores);
            else LeftOut.Add((record.Path, record.Error is { } e ? $"{e.Code}: {e.Message}" : "no scores"));
            Scored?.Invoke(record, isManipulated);
        }
        var d = predictor.Description;
        var data = new CalibrationData(set.AuthenticFolders, set.ManipulatedFolders, authentic.Count, manipulated.Count, LeftOut.Count);
        return CalibrationBuilder.Build(authentic, manipulated, new CalibratedCheckpoint(Path.GetFileName(d.CheckpointPath), d.CheckpointSha256), data, targets, createdBy);
    }
}
