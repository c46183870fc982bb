namespace SparseViT.Forensics.Calibration;

/// <summary>A calibration file that cannot be used: unreadable, malformed, or made for other weights. The message names the file.</summary>
public sealed class CalibrationException(string message, Exception? inner = null, bool checkpointMismatch = false) : Exception(message, inner)
{
    /// <summary>The file is a valid calibration, but of another checkpoint (its SHA-256 differs from the loaded weights').</summary>
    public bool IsCheckpointMismatch { get; } = checkpointMismatch;
}
