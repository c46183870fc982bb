using System.Buffers.Binary;
using System.Text.Json;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping names to
/// dtype / shape / data_offsets (relative to the data section), then the raw little-endian tensor bytes.
/// Every size in the header is checked against the file before anything is allocated.
/// </summary>
public static class Safetensors
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Content sniffing: a JSON object starts right after the 8-byte length.</summary>
    public static bool LooksLikeSafetensors(ReadOnlySpan<byte> head) => head.Length >= 9 && head[8] == (byte)'{';

    public static SafetensorsContent Read(string path)
    {
        using var fs = PyTorchCheckpointReader.OpenFile(path);
        long fileLength = fs.Length;
        if (fileLength == 0) throw Fail(CheckpointErrorCodes.Empty, path, "the file is empty (0 bytes)");
        if (fileLength < 8) throw Fail(CheckpointErrorCodes.Truncated, path, $"{fileLength} bytes is too short for a safetensors header length");
        Span<byte> lenBytes = stackalloc byte[8];
        fs.ReadExactly(lenBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLength > (ulong)MaxHeaderBytes)
            throw Fail(CheckpointErrorCodes.LimitExceeded, path, $"safetensors header claims {headerLength} bytes (limit {MaxHeaderBytes})");
        if (headerLength > (ulong)(fileLength - 8))
            throw Fail(CheckpointErrorCodes.Truncated, path, $"safetensors header claims {headerLength} bytes but the file has only {fileLength - 8} after the length");
        var header = new byte[headerLength];
        fs.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors header is not valid JSON: {e.Message}", e); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Fail(CheckpointErrorCodes.Corrupt, path, "safetensors header is not a JSON object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, TensorDType DType, long[] Shape, long Begin, long End)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Fail(CheckpointErrorCodes.Corrupt, path, "safetensors __metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors __metadata__ value '{m.Name}' is not a string");
                    continue;
                }
                entries.Add(ParseEntry(prop, dataLength, path));
            }

            // Tensors may come in any header order but must not share bytes.
            var byOffset = entries.OrderBy(e => e.Begin).ToList();
            for (int i = 1; i < byOffset.Count; i++)
                if (byOffset[i].Begin < byOffset[i - 1].End)
                    throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors tensors '{byOffset[i - 1].Name}' and '{byOffset[i].Name}' overlap");

            var tensors = new StateDict();
            foreach (var e in entries)
            {
                var bytes = new byte[e.End - e.Begin];
                RandomAccess.Read(fs.SafeFileHandle, bytes, dataStart + e.Begin);
                tensors.Add(new CheckpointTensor(e.Name, e.DType, e.Shape, bytes));
            }
            return new SafetensorsContent(tensors, metadata);
        }
    }

    private static (string, TensorDType, long[], long, long) ParseEntry(JsonProperty prop, long dataLength, string path)
    {
        string name = prop.Name;
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' is not an object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' has no dtype");
        var dtype = ParseDType(dt.GetString()!) ?? throw Fail(CheckpointErrorCodes.Unsupported, path, $"safetensors entry '{name}' has unsupported dtype '{dt.GetString()}'");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array || sh.GetArrayLength() > 64)
            throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' has no valid shape");
        var shape = new long[sh.GetArrayLength()];
        long numel = 1;
        int k = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long n) || n < 0)
                throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' has a bad dimension {d}");
            shape[k++] = n;
            // Saturate instead of overflowing: the comparison with the data length below rejects it anyway.
            numel = n == 0 || numel == 0 ? 0 : numel > long.MaxValue / n ? long.MaxValue : numel * n;
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' has no data_offsets pair");
        if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' has bad data_offsets {off}");
        if (end > dataLength)
            throw Fail(CheckpointErrorCodes.Truncated, path, $"safetensors entry '{name}' ends at data byte {end} but the file holds {dataLength} data bytes");
        int elem = CheckpointTensor.ElementSize(dtype);
        if (numel > long.MaxValue / elem || numel * elem != end - begin)
            throw Fail(CheckpointErrorCodes.Corrupt, path, $"safetensors entry '{name}' shape [{string.Join(",", shape)}] of {dtype} does not match its {end - begin} bytes");
        if (end - begin > Array.MaxLength)
            throw Fail(CheckpointErrorCodes.Unsupported, path, $"safetensors entry '{name}' is larger than one array can hold");
        return (name, dtype, shape, begin, end);
    }

    /// <summary>
    /// Writes tensors in the given order. The file appears atomically: data goes to a temporary file in the
    /// same folder which then replaces <paramref name="path"/>, so readers never see a half-written file.
    /// </summary>
    public static void Write(string path, IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list)
            if (!names.Add(t.Name) || t.Name == "__metadata__") throw new ArgumentException($"tensor name '{t.Name}' is duplicated or reserved");

        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in list)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", DTypeName(t.DType));
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while ((json.Length + 8) % 8 != 0) json.WriteByte((byte)' ');

        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)json.Length);
                fs.Write(len);
                json.Position = 0;
                json.CopyTo(fs);
                foreach (var t in list) fs.Write(t.Data.Span);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    public static string DTypeName(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "F32",
        TensorDType.Float16 => "F16",
        TensorDType.BFloat16 => "BF16",
        TensorDType.Float64 => "F64",
        TensorDType.Int64 => "I64",
        TensorDType.Int32 => "I32",
        TensorDType.Int16 => "I16",
        TensorDType.Int8 => "I8",
        TensorDType.UInt8 => "U8",
        TensorDType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public static TensorDType? ParseDType(string name) => name switch
    {
        "F32" => TensorDType.Float32,
        "F16" => TensorDType.Float16,
        "BF16" => TensorDType.BFloat16,
        "F64" => TensorDType.Float64,
        "I64" => TensorDType.Int64,
        "I32" => TensorDType.Int32,
        "I16" => TensorDType.Int16,
        "I8" => TensorDType.Int8,
        "U8" => TensorDType.UInt8,
        "BOOL" => TensorDType.Bool,
        _ => null,
    };

    private static CheckpointException Fail(string code, string path, string message, Exception? inner = null) => new(code, path, message, inner);
}
