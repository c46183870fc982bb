namespace SparseViT.Forensics.Records;

/// <summary>A column of the flat view of a record: its name and how to take its value from a record.</summary>
public sealed record ForensicRecordColumn(string Name, Func<ForensicRecord, object?> Value);
