namespace SparseViT.Forensics.Records;

/// <summary>Wall-clock milliseconds of each scan stage; null for stages that did not run.</summary>
public sealed record RecordTimings(double? ReadMs = null, double? DecodeMs = null, double? InferenceMs = null, double? EvidenceMs = null, double? TotalMs = null);
