namespace SparseViT.Forensics.Evidence;

/// <summary>
/// One finding about a file. <see cref="Id"/> is stable across versions (scripts filter on it);
/// <see cref="Message"/> is for people; <see cref="Values"/> holds the raw facts the finding rests on.
/// </summary>
public sealed record EvidenceIndicator(string Id, Severity Severity, string Message, IReadOnlyDictionary<string, object?> Values);
