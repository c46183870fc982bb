namespace SparseViT.Forensics.Calibration;

/// <summary>The checkpoint a calibration belongs to: its scores mean nothing for any other weights.</summary>
public sealed record CalibratedCheckpoint(string Name, string Sha256);
