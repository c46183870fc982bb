namespace SparseViT.Forensics.Calibration;

/// <summary>Where a calibration's images came from, and how many of them could be scored.</summary>
/// <param name="Failed">Files that could not be scored (broken, unreadable); they are left out, not counted as either class.</param>
public sealed record CalibrationData(
    IReadOnlyList<string> AuthenticFolders,
    IReadOnlyList<string> ManipulatedFolders,
    int Authentic,
    int Manipulated,
    int Failed);
