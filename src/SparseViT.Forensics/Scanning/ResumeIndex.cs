using System.Text;
using System.Text.Json;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// What an earlier, possibly killed, JSONL scan already recorded. A SIGKILL can leave a last line cut in half:
/// it is ignored, and <see cref="ValidLength"/> tells where to truncate the file before appending so the next
/// record starts on a fresh line.
/// </summary>
public sealed class ResumeIndex
{
    private readonly Dictionary<string, (long? Size, DateTimeOffset? ScannedAt)> _recorded = new(StringComparer.Ordinal);

    public static ResumeIndex Empty { get; } = new();

    /// <summary>Bytes of the file made of complete, parseable lines.</summary>
    public long ValidLength { get; private set; }

    public int Count => _recorded.Count;

    public int DiscardedLines { get; private set; }

    /// <summary>
    /// True when <paramref name="item"/> was recorded before with the same size (or without one, as error records for
    /// unreadable files are) and has not been modified since it was scanned: records carry no mtime, so the record's
    /// scannedAt stands in for it. A file changed since is scanned again (merge keeps the newer record).
    /// </summary>
    public bool Contains(ScanItem item)
    {
        if (!_recorded.TryGetValue(item.Path, out var seen)) return false;
        if (!item.IsScannable || seen.Size is null) return true;
        if (seen.Size != item.Size) return false;
        return seen.ScannedAt is null || item.LastWriteUtc == default || new DateTimeOffset(item.LastWriteUtc, TimeSpan.Zero) <= seen.ScannedAt;
    }

    public static ResumeIndex Load(string jsonlPath)
    {
        var index = new ResumeIndex();
        if (!File.Exists(jsonlPath)) return index;
        using var stream = new FileStream(jsonlPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        long offset = 0;
        int b;
        // Byte-wise so offsets are exact whatever the encoding of paths inside.
        var reader = new BufferedStream(stream, 1 << 16);
        while ((b = reader.ReadByte()) >= 0)
        {
            offset++;
            if (b != '\n')
            {
                buffer.WriteByte((byte)b);
                continue;
            }
            if (index.TryAdd(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))) index.ValidLength = offset;
            else if (buffer.Length > 0) index.DiscardedLines++;
            else index.ValidLength = offset;
            buffer.SetLength(0);
        }
        // A final line without '\n' was cut by a kill mid-write unless it parses completely.
        if (buffer.Length > 0)
        {
            index.DiscardedLines++;
        }
        return index;
    }

    private bool TryAdd(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return false;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            if (!doc.RootElement.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String) return false;
            long? size = doc.RootElement.TryGetProperty("sizeBytes", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
            DateTimeOffset? scannedAt = doc.RootElement.TryGetProperty("scannedAt", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var at) ? at : null;
            _recorded[path.GetString()!] = (size, scannedAt);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Cuts a partial trailing line (and any garbage after the last good line) so appends stay line-aligned.</summary>
    public void TruncateTail(string jsonlPath)
    {
        if (!File.Exists(jsonlPath)) return;
        using var stream = new FileStream(jsonlPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        if (stream.Length > ValidLength) stream.SetLength(ValidLength);
    }

    internal static string Describe(ResumeIndex index) =>
        new StringBuilder().Append(index.Count).Append(" recorded").Append(index.DiscardedLines > 0 ? $", {index.DiscardedLines} partial line(s) dropped" : "").ToString();
}
