namespace SparseViT.Forensics.Scanning;

public readonly record struct FileFacts(FileKind Kind, long Size, DateTime LastWriteUtc, string? Problem);
