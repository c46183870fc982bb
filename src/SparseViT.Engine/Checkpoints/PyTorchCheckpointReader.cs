using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using SparseViT.Engine.Checkpoints.Pickle;

namespace SparseViT.Engine.Checkpoints;

/// <summary>Reads torch.save files (zip and legacy) without torch, Python or native code.</summary>
public static class PyTorchCheckpointReader
{
    /// <summary>Largest data.pkl accepted; a 50 M-parameter training checkpoint's is under 1 MB.</summary>
    public const long MaxPickleBytes = 512L * 1024 * 1024;

    private static readonly BigInteger LegacyMagic = BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber);

    /// <summary>True when the bytes start like a zip archive (local file header or empty-archive record).</summary>
    public static bool LooksLikeZip(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));

    /// <summary>True when the bytes start with the legacy format's first pickle (protocol 2, LONG1 magic number).</summary>
    public static bool LooksLikeLegacy(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0x80 && head[1] <= 5;

    /// <summary>Opens a zip or legacy torch checkpoint, detected by content.</summary>
    public static PickledCheckpoint Open(string path)
    {
        var head = new byte[16];
        int n;
        using (var fs = OpenFile(path)) n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n == 0) throw new CheckpointException(CheckpointErrorCodes.Empty, path, "the file is empty (0 bytes)");
        if (LooksLikeZip(head.AsSpan(0, n))) return OpenZip(path);
        if (LooksLikeLegacy(head.AsSpan(0, n))) return OpenLegacy(path);
        throw new CheckpointException(CheckpointErrorCodes.UnrecognizedFormat, path,
            $"not a PyTorch checkpoint (neither a zip archive nor a legacy pickle); it starts with bytes {Convert.ToHexString(head, 0, Math.Min(n, 8))}");
    }

    internal static FileStream OpenFile(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (FileNotFoundException) { throw new CheckpointException(CheckpointErrorCodes.NotFound, path, $"no such file ({System.IO.Path.GetFullPath(path)})"); }
        catch (DirectoryNotFoundException) { throw new CheckpointException(CheckpointErrorCodes.NotFound, path, $"no such file ({System.IO.Path.GetFullPath(path)})"); }
        catch (UnauthorizedAccessException e) { throw new CheckpointException(CheckpointErrorCodes.NotFound, path, "the file cannot be opened: " + e.Message, e); }
    }

    // ---- zip format ------------------------------------------------------------------------------

    private static PickledCheckpoint OpenZip(string path)
    {
        var fs = OpenFile(path);
        ZipArchive zip;
        try { zip = new ZipArchive(fs, ZipArchiveMode.Read, leaveOpen: false); }
        catch (InvalidDataException e)
        {
            long len = fs.Length;
            fs.Dispose();
            // A torch zip is written front to back with the directory last, so a missing directory on a file
            // that starts like a zip almost always means a partial copy or download.
            throw new CheckpointException(CheckpointErrorCodes.Truncated, path,
                $"the zip archive has no readable central directory ({len} bytes): the file is truncated or damaged ({e.Message})", e);
        }
        try
        {
            var byName = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var e in zip.Entries) byName.TryAdd(e.FullName, e);

            var pkl = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) &&
                                             e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length).ToList();
            if (pkl.Count == 0)
            {
                if (zip.Entries.Any(e => e.FullName.EndsWith("/constants.pkl", StringComparison.Ordinal) || e.FullName.Contains("/code/")))
                    throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, "this is a TorchScript archive (torch.jit.save), not a torch.save checkpoint; save the model's state_dict() instead");
                throw new CheckpointException(CheckpointErrorCodes.UnrecognizedFormat, path, "a zip archive without '<archive>/data.pkl': not a torch.save checkpoint");
            }
            if (pkl.Count > 1) throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"the zip holds {pkl.Count} data.pkl records ({string.Join(", ", pkl.Select(p => p.FullName))})");
            string prefix = pkl[0].FullName[..^"data.pkl".Length];

            if (byName.TryGetValue(prefix + "byteorder", out var bo))
            {
                string order = System.Text.Encoding.ASCII.GetString(ReadEntry(bo, 64, path)).Trim();
                if (order != "little")
                    throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"the checkpoint was written on a '{order}'-endian machine; only little-endian data is supported");
            }

            var cache = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            ReadOnlyMemory<byte> Record(TorchStorageRef s)
            {
                if (cache.TryGetValue(s.Key, out var bytes)) return bytes;
                if (!byName.TryGetValue(prefix + "data/" + s.Key, out var entry))
                    throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"storage '{s.Key}' is referenced by the pickle but '{prefix}data/{s.Key}' is missing from the archive");
                long expected = checked(s.RecordElementCount * CheckpointTensor.ElementSize(s.DType));
                if (entry.Length != expected)
                    throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"storage '{s.Key}' holds {entry.Length} bytes but the pickle describes {s.RecordElementCount} {s.DType} elements ({expected} bytes)");
                bytes = ReadEntry(entry, expected, path);
                cache[s.Key] = bytes;
                return bytes;
            }

            var data = ReadEntry(pkl[0], MaxPickleBytes, path);
            object? root = RestrictedUnpickler.Load(data, path, pid => ZipPersistentLoad(pid, path));
            return new PickledCheckpoint(path, CheckpointFormat.PyTorchZip, root, Record, zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, long maxBytes, string path)
    {
        long len = entry.Length;
        if (len > maxBytes || len > Array.MaxLength)
            throw new CheckpointException(CheckpointErrorCodes.LimitExceeded, path, $"zip entry '{entry.FullName}' claims {len} bytes (limit {Math.Min(maxBytes, Array.MaxLength)})");
        // Deflate cannot expand more than ~1032:1; a larger claim is a lie or a bomb.
        if (len > entry.CompressedLength * 1100 + 4096)
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"zip entry '{entry.FullName}' claims {len} bytes from {entry.CompressedLength} compressed bytes");
        var buf = new byte[len];
        try
        {
            using var s = entry.Open();
            int got = s.ReadAtLeast(buf, buf.Length, throwOnEndOfStream: false);
            if (got != len)
                throw new CheckpointException(CheckpointErrorCodes.Truncated, path, $"zip entry '{entry.FullName}' ends after {got} of {len} bytes");
            if (s.ReadByte() != -1)
                throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"zip entry '{entry.FullName}' holds more than its declared {len} bytes");
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"zip entry '{entry.FullName}' cannot be read: {e.Message}", e);
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"zip entry '{entry.FullName}' cannot be read: {e.Message}", e);
        }
        return buf;
    }

    private static object ZipPersistentLoad(object? pid, string path)
    {
        // ('storage', storage_type, key, location, numel)
        if (pid is not PyTuple t || t.Count != 5 || t[0] is not "storage")
            throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"unsupported persistent id {PyRepr.Short(pid)} (expected ('storage', type, key, location, numel))");
        return StorageRef(t, path);
    }

    private static TorchStorageRef StorageRef(PyTuple t, string path)
    {
        if (t[1] is not PyGlobal { Kind: PyGlobalKind.StorageType, StorageDType: { } dtype })
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"persistent id {t} names {PyRepr.Short(t[1])}, not a storage type");
        if (t[2] is not string key || key.Length == 0)
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"persistent id {t} has no storage key");
        if (t[3] is not string location)
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"persistent id {t} has no device location");
        if (t[4] is not long numel || numel < 0)
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"persistent id {t} has a bad element count");
        // Locations (cpu, cuda:0, mps, …) only say where torch would put the storage; the bytes are the same.
        return new TorchStorageRef(key, dtype, location, numel);
    }

    // ---- legacy format ---------------------------------------------------------------------------

    private static PickledCheckpoint OpenLegacy(string path)
    {
        byte[] data;
        using (var fs = OpenFile(path))
        {
            if (fs.Length > Array.MaxLength)
                throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"legacy-format checkpoints over {Array.MaxLength} bytes are not supported; re-save with a current torch");
            data = new byte[fs.Length];
            fs.ReadExactly(data);
        }

        var magic = new RestrictedUnpickler(data, path);
        object? m = magic.Load();
        if (!(m is BigInteger b && b == LegacyMagic))
            throw new CheckpointException(CheckpointErrorCodes.UnrecognizedFormat, path, $"a pickle, but not a torch.save checkpoint (no legacy magic number; found {PyRepr.Short(m)})");
        var version = new RestrictedUnpickler(data, path, start: magic.Position);
        if (version.Load() is not long v || v != 1001)
            throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, "unsupported legacy torch protocol version (expected 1001)");
        var sysInfo = new RestrictedUnpickler(data, path, start: version.Position);
        if (sysInfo.Load() is PyDict info && info.TryGet("little_endian", out var le) && le is false)
            throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, "the checkpoint was written on a big-endian machine; only little-endian data is supported");

        var storages = new Dictionary<string, TensorDType>(StringComparer.Ordinal);
        object? LegacyPersistentLoad(object? pid)
        {
            // ('storage', storage_type, root_key, location, numel, view_metadata)
            if (pid is not PyTuple t || t.Count != 6 || t[0] is not "storage")
                throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"unsupported legacy persistent id {PyRepr.Short(pid)}");
            var root = StorageRef(new PyTuple([t[0], t[1], t[2], t[3], t[4]]), path);
            if (storages.TryGetValue(root.Key, out var seen) && seen != root.DType)
                throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"storage '{root.Key}' is referenced as both {seen} and {root.DType}");
            storages[root.Key] = root.DType;
            if (t[5] is null) return root;
            if (t[5] is not PyTuple view || view.Count != 3 || view[1] is not long off || view[2] is not long size || off < 0 || size < 0 || off + size > root.ElementCount)
                throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"bad storage view {PyRepr.Short(t[5])} of storage '{root.Key}' ({root.ElementCount} elements)");
            return new TorchStorageRef(root.Key, root.DType, root.Location, size, off, root.ElementCount);
        }
        var main = new RestrictedUnpickler(data, path, LegacyPersistentLoad, start: sysInfo.Position);
        object? rootObject = main.Load();
        var keysPickle = new RestrictedUnpickler(data, path, start: main.Position);
        if (keysPickle.Load() is not List<object?> keys)
            throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, "the storage key list after the main pickle is missing");

        // Records follow in key-list order: int64 element count, then the raw elements.
        var records = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        long pos = keysPickle.Position;
        foreach (var k in keys)
        {
            if (k is not string key || !storages.TryGetValue(key, out var dtype))
                throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"storage record {PyRepr.Short(k)} is not referenced by the pickle");
            if (pos + 8 > data.Length)
                throw new CheckpointException(CheckpointErrorCodes.Truncated, path, $"the file ends at byte {data.Length} before storage record '{key}'");
            long count = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan((int)pos, 8));
            pos += 8;
            int elem = CheckpointTensor.ElementSize(dtype);
            if (count < 0 || count > (data.Length - pos) / elem)
                throw new CheckpointException(count < 0 ? CheckpointErrorCodes.Corrupt : CheckpointErrorCodes.Truncated, path,
                    $"storage record '{key}' claims {count} {dtype} elements but only {data.Length - pos} bytes remain");
            records[key] = data.AsMemory((int)pos, (int)(count * elem));
            pos += count * elem;
        }

        ReadOnlyMemory<byte> Record(TorchStorageRef s) =>
            records.TryGetValue(s.Key, out var r) ? r
                : throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"storage '{s.Key}' is referenced by the pickle but has no record in the file");
        return new PickledCheckpoint(path, CheckpointFormat.PyTorchLegacy, rootObject, Record, null);
    }
}
