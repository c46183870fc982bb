using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Provenance;
using SparseViT.Forensics.Scoring;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Records;

/// <summary>
/// One image's forensic result: what the model saw, what the file says about itself, and the verdict drawn from
/// both. Serialized by <see cref="ForensicRecordJson"/> as schema <see cref="SchemaId"/>; fields are only ever
/// added within a schema version so older readers keep working.
/// </summary>
public sealed record ForensicRecord
{
    public const string SchemaId = "sparsevit.forensic-record/1";

    public string Schema { get; init; } = SchemaId;

    /// <summary>Full path of the scanned file.</summary>
    public required string Path { get; init; }
    public string FileName { get; init; } = "";
    public long? SizeBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Format from the file signature ("JPEG", "PNG", …).</summary>
    public string? Format { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public RecordStatus Status { get; init; } = RecordStatus.Ok;

    /// <summary>Why the scan failed; null when <see cref="Status"/> is ok.</summary>
    public RecordError? Error { get; init; }

    /// <summary>Null only for error records.</summary>
    public Verdict? Verdict { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Null when no model ran or the scan failed.</summary>
    public MaskScores? Scores { get; init; }

    /// <summary>
    /// The one number the verdict compared: the calibration's score function of <see cref="Scores"/>
    /// (<see cref="ModelInfo.Calibration"/>), or the map's maximum for an uncalibrated model. Null when no model ran.
    /// </summary>
    public double? ImageScore { get; init; }
    public ImageMetadata? Metadata { get; init; }
    public IReadOnlyList<EvidenceIndicator> Indicators { get; init; } = [];
    /// <summary>The C2PA manifest store (Content Credentials) and what was verified; null when metadata was not read.</summary>
    public ProvenanceReport? Provenance { get; init; }
    public ModelInfo? Model { get; init; }
    public RecordArtifacts Artifacts { get; init; } = new();
    public RecordTimings? Timings { get; init; }
    public DateTimeOffset ScannedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A record for a file that could not be scanned; see <see cref="RecordErrorCodes"/> for codes.</summary>
    public static ForensicRecord Failed(string path, string code, string message, DateTimeOffset? scannedAt = null, string? cause = null) => new()
    {
        Path = System.IO.Path.GetFullPath(path),
        FileName = System.IO.Path.GetFileName(path),
        Status = RecordStatus.Error,
        Error = new RecordError(code, message, cause),
        ScannedAt = scannedAt ?? DateTimeOffset.UtcNow,
    };
}
