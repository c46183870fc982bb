namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// Stable machine-readable reasons a checkpoint could not be used. Callers (CLI exit codes, PowerShell
/// error ids) switch on these strings, so they never change once published.
/// </summary>
public static class CheckpointErrorCodes
{
    public const string NotFound = "CheckpointNotFound";
    public const string Empty = "CheckpointEmpty";
    public const string Truncated = "CheckpointTruncated";
    public const string Corrupt = "CheckpointCorrupt";
    public const string UnrecognizedFormat = "CheckpointUnrecognizedFormat";
    public const string RefusedGlobal = "CheckpointRefusedGlobal";
    public const string Unsupported = "CheckpointUnsupported";
    public const string LimitExceeded = "CheckpointLimitExceeded";
    public const string KeysMismatch = "CheckpointKeysMismatch";
}

/// <summary>A checkpoint that cannot be read or does not fit the model; <see cref="Code"/> says why.</summary>
public sealed class CheckpointException : Exception
{
    public string Code { get; }
    public string? Path { get; }

    public CheckpointException(string code, string? path, string message, Exception? inner = null)
        : base(Prefix(path) + message, inner)
    {
        Code = code;
        Path = path;
    }

    // Messages lead with the file name so that a batch log line is self-explanatory.
    private static string Prefix(string? path) => string.IsNullOrEmpty(path) ? "" : System.IO.Path.GetFileName(path) + ": ";
}
