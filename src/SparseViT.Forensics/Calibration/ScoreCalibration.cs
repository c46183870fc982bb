using System.Text.Json.Serialization;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Calibration;

/// <summary>
/// How one checkpoint's maps become verdicts with a known false-positive rate: the image-score function chosen on
/// known data, the thresholds for <c>manipulated</c> and <c>suspicious</c> at target false-positive rates, and what
/// those thresholds did on the calibration images. Made by <see cref="CalibrationBuilder"/>, stored by
/// <see cref="CalibrationFile"/> as schema <see cref="SchemaId"/>.
/// </summary>
public sealed record ScoreCalibration
{
    public const string SchemaId = "sparsevit.calibration/1";

    public string Schema { get; init; } = SchemaId;
    public required CalibratedCheckpoint Checkpoint { get; init; }
    public required ImageScoreFunction ScoreFunction { get; init; }

    /// <summary>The pixel threshold the maps were scored with (it defines <see cref="ImageScoreFunction.ManipulatedFraction"/>).</summary>
    public double PixelThreshold { get; init; } = 0.5;

    public required OperatingPoint Manipulated { get; init; }
    public required OperatingPoint Suspicious { get; init; }
    public required double Auc { get; init; }
    public IReadOnlyList<ScoreFunctionCandidate> Candidates { get; init; } = [];
    public required CalibrationData Data { get; init; }

    /// <summary>The chosen function's score on every authentic calibration image, highest first: a verdict cites how many reach its score.</summary>
    public IReadOnlyList<double> AuthenticScores { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public string? CreatedBy { get; init; }

    /// <summary>Where this calibration was read from; set by <see cref="CalibrationFile.Load"/>, not stored.</summary>
    [JsonIgnore] public string? FilePath { get; init; }

    /// <summary>SHA-256 of the file's bytes as read; set by <see cref="CalibrationFile.Load"/>, not stored.</summary>
    [JsonIgnore] public string? FileSha256 { get; init; }

    public double Score(MaskScores scores) => ScoreFunction.Evaluate(scores);

    /// <summary>Throws unless this calibration was made for the weights with SHA-256 <paramref name="checkpointSha256"/>.</summary>
    /// <exception cref="CalibrationException">It was made for other weights; <see cref="CalibrationException.IsCheckpointMismatch"/> is set.</exception>
    public void EnsureFor(string checkpointSha256)
    {
        if (string.Equals(Checkpoint.Sha256, checkpointSha256, StringComparison.OrdinalIgnoreCase)) return;
        throw new CalibrationException(
            $"{FilePath ?? "the calibration"}: this calibration was made for checkpoint {Checkpoint.Name} (SHA-256 {Checkpoint.Sha256}), " +
            $"not for the loaded weights (SHA-256 {checkpointSha256}); its thresholds mean nothing for them. Calibrate these weights, or name their own calibration file",
            checkpointMismatch: true);
    }

    /// <summary>Authentic calibration images whose score is at or above <paramref name="score"/>.</summary>
    public int AuthenticAtOrAbove(double score)
    {
        // AuthenticScores is descending: count the prefix ≥ score.
        int lo = 0, hi = AuthenticScores.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (AuthenticScores[mid] >= score) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
