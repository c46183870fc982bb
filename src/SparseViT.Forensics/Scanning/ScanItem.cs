namespace SparseViT.Forensics.Scanning;

/// <summary>
/// One path a scan will produce a record for. <see cref="Problem"/> is set for paths that cannot be images
/// (missing, special files, link loops): they become error records without ever being opened.
/// </summary>
/// <param name="Path">Absolute path; the record's identity (resume and merge key).</param>
/// <param name="RelativePath">Path relative to the scan root it was found under, '/'-separated; the shard key, so
/// every machine mounting the data at a different place still agrees on the partition.</param>
public sealed record ScanItem(string Path, string RelativePath, FileKind Kind, long Size, DateTime LastWriteUtc, string? Problem)
{
    public bool IsScannable => Problem is null && Kind == FileKind.Regular;

    public static ScanItem From(string path, string relativePath)
    {
        var facts = FileProbe.Probe(path);
        return new ScanItem(System.IO.Path.GetFullPath(path), relativePath, facts.Kind, facts.Size, facts.LastWriteUtc, facts.Problem);
    }
}
