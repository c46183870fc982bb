using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SparseViT.Forensics.Writers;

namespace SparseViT.Forensics.Calibration;

/// <summary>
/// Reads and writes <see cref="ScoreCalibration"/> files, and finds the one that belongs to a checkpoint: a named
/// file, else <c>&lt;checkpoint name&gt;.calibration.json</c> beside the checkpoint, else none (uncalibrated). A file
/// made for other weights is refused, never silently applied or skipped.
/// </summary>
public static class CalibrationFile
{
    public const string Suffix = ".calibration.json";

    /// <summary>Calibration files hold a few thousand numbers; anything far larger is not one.</summary>
    public const long MaxBytes = 16L << 20;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Where the calibration of <paramref name="checkpointPath"/> is looked for: same folder, same stem.</summary>
    public static string BesidePath(string checkpointPath)
    {
        string full = Path.GetFullPath(checkpointPath);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", Path.GetFileNameWithoutExtension(full) + Suffix);
    }

    /// <summary>
    /// The calibration to apply to the checkpoint at <paramref name="checkpointPath"/> (SHA-256
    /// <paramref name="checkpointSha256"/>): <paramref name="explicitPath"/> when given (it must exist), else the file beside
    /// the checkpoint when there is one, else null.
    /// </summary>
    /// <exception cref="CalibrationException">The file is unreadable, malformed, or belongs to other weights.</exception>
    public static ScoreCalibration? ForCheckpoint(string checkpointPath, string checkpointSha256, string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (!File.Exists(explicitPath)) throw new CalibrationException($"{explicitPath}: calibration file not found");
            return Load(explicitPath, checkpointSha256);
        }
        string beside = BesidePath(checkpointPath);
        return File.Exists(beside) ? Load(beside, checkpointSha256) : null;
    }

    /// <param name="expectedCheckpointSha256">When given, the file must name exactly this checkpoint.</param>
    public static ScoreCalibration Load(string path, string? expectedCheckpointSha256 = null)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxBytes) throw new CalibrationException($"{path}: {info.Length:N0} bytes is too large for a calibration file (limit {MaxBytes:N0})");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CalibrationException($"{path}: cannot read the calibration file ({e.Message})", e);
        }
        ScoreCalibration calibration;
        try
        {
            calibration = JsonSerializer.Deserialize<ScoreCalibration>(bytes, Options)
                ?? throw new CalibrationException($"{path}: null instead of a calibration");
        }
        catch (JsonException e)
        {
            throw new CalibrationException($"{path}: not a valid calibration file ({e.Message})", e);
        }
        Check(calibration, path);
        calibration = calibration with { FilePath = Path.GetFullPath(path), FileSha256 = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant() };
        if (expectedCheckpointSha256 is not null) calibration.EnsureFor(expectedCheckpointSha256);
        return calibration;
    }

    /// <summary>Writes atomically (readers see the old file or the whole new one).</summary>
    public static void Save(ScoreCalibration calibration, string path) =>
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(calibration, Options));

    private static void Check(ScoreCalibration c, string path)
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw new CalibrationException($"{path}: {problem}");
        }
        Require(c.Schema == ScoreCalibration.SchemaId, $"schema '{c.Schema}' is not '{ScoreCalibration.SchemaId}'");
        Require(c.Checkpoint is { Sha256.Length: 64 }, "the checkpoint's SHA-256 is missing or malformed");
        Require(Enum.IsDefined(c.ScoreFunction), $"unknown score function {c.ScoreFunction}");
        if (c.Manipulated is null || c.Suspicious is null) throw new CalibrationException($"{path}: an operating point is missing");
        Require(c.Manipulated.FalsePositiveRate is not null && c.Suspicious.FalsePositiveRate is not null, "an operating point has no measured false-positive rate");
        Require(double.IsFinite(c.Manipulated.Threshold) && double.IsFinite(c.Suspicious.Threshold), "a threshold is not a finite number");
        Require(c.Suspicious.Threshold <= c.Manipulated.Threshold, $"the suspicious threshold {c.Suspicious.Threshold} is above the manipulated threshold {c.Manipulated.Threshold}");
        Require(c.AuthenticScores.Count > 0 && c.AuthenticScores.All(double.IsFinite), "the authentic scores are missing or not finite");
        for (int i = 1; i < c.AuthenticScores.Count; i++)
            Require(c.AuthenticScores[i] <= c.AuthenticScores[i - 1], "the authentic scores are not sorted highest first");
        Require(c.PixelThreshold is > 0 and < 1, $"pixel threshold {c.PixelThreshold} is not in (0, 1)");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
