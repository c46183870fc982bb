using System.Security.Cryptography.X509Certificates;
using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Scoring;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Scanning;

/// <summary>Everything about a scan except which files: shared by `sparsevit scan` and Invoke-SparseViTScan.</summary>
public sealed record ScanOptions
{
    /// <summary>Descend into sub-folders of folder arguments.</summary>
    public bool Recurse { get; init; }

    /// <summary>Formats whose extensions are taken from folders; every readable format when null. Files named explicitly are always taken.</summary>
    public IReadOnlyList<ImageFormat>? Formats { get; init; }

    /// <summary>Trust anchors for C2PA signers (a PEM list the user supplies); without them signers are verified but untrusted.</summary>
    public X509Certificate2Collection? C2paTrust { get; init; }

    /// <summary>Images per forward pass.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Threads reading and decoding ahead of the model; null picks from the core count.</summary>
    public int? DecodeWorkers { get; init; }

    /// <summary>Probability above which a pixel counts as manipulated (scores, regions, overlays).</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Folder for 8-bit grey probability masks at the original size; none when null.</summary>
    public string? MasksDirectory { get; init; }

    /// <summary>Folder for red overlays of the thresholded mask on the image; none when null.</summary>
    public string? OverlaysDirectory { get; init; }

    public ShardSelector Shard { get; init; } = ShardSelector.All;

    /// <summary>Files already recorded by an earlier run; they produce no record.</summary>
    public ResumeIndex? Resume { get; init; }

    public VerdictThresholds? Verdicts { get; init; }

    /// <summary>
    /// The checkpoint's calibration (see <see cref="CalibrationFile.ForCheckpoint"/>); null = uncalibrated, so the map
    /// alone makes an image at most suspicious. It must belong to the scanning checkpoint.
    /// </summary>
    public ScoreCalibration? Calibration { get; init; }
    public EvidenceOptions? Evidence { get; init; }

    /// <summary>Largest image (width × height) decoded; larger headers give an error record before any allocation.</summary>
    public long? MaxPixels { get; init; }

    /// <summary>Model evidence only: no EXIF/XMP reading and no metadata indicators, so only the map decides the verdict.</summary>
    public bool SkipMetadata { get; init; }

    internal MaskScoringOptions Scoring => new() { Threshold = Threshold };
}
