using SparseViT.Engine.Inference;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Scoring;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Records;

/// <summary>
/// Assembles a <see cref="ForensicRecord"/> from the pieces a scan produces. Scores are computed here from the
/// model-resolution map (never the resized one), and the verdict from scores and indicators, so every record of a
/// run applies the same options.
/// </summary>
public sealed class RecordBuilder(ModelDescription? model, MaskScoringOptions? scoring = null, VerdictPolicy? policy = null)
{
    public MaskScoringOptions Scoring { get; } = scoring ?? new MaskScoringOptions();
    public VerdictPolicy Policy { get; } = policy ?? new VerdictPolicy();

    /// <param name="map">Null for a metadata-only scan: no scores, verdict from indicators alone.</param>
    public ForensicRecord Build(
        ImageFileInfo file,
        ImageMetadata? metadata,
        IReadOnlyList<EvidenceIndicator> indicators,
        ProbabilityMap? map,
        RecordArtifacts? artifacts = null,
        RecordTimings? timings = null,
        DateTimeOffset? scannedAt = null)
    {
        var scores = map is null ? null : MaskScorer.Score(map, Scoring);
        var verdict = Policy.Decide(scores, indicators);
        return new ForensicRecord
        {
            Path = file.Path,
            FileName = Path.GetFileName(file.Path),
            SizeBytes = file.SizeBytes,
            Sha256 = file.Sha256,
            Format = file.Format,
            Width = file.Width,
            Height = file.Height,
            Status = RecordStatus.Ok,
            Verdict = verdict.Verdict,
            Reasons = verdict.Reasons,
            Scores = scores,
            ImageScore = scores is null ? null : Policy.ImageScore(scores),
            Metadata = metadata,
            Indicators = indicators,
            Provenance = metadata?.Provenance,
            Model = model is null || map is null ? null : ModelInfo.From(model, Policy.Calibration),
            Artifacts = artifacts ?? new RecordArtifacts(),
            Timings = timings,
            ScannedAt = scannedAt ?? DateTimeOffset.UtcNow,
        };
    }
}
