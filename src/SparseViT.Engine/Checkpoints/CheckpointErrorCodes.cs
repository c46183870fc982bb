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
