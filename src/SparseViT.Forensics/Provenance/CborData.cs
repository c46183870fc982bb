using System.Formats.Cbor;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// CBOR from a manifest as plain values: maps (text keys; other keys as their text), arrays, text, byte strings,
/// integers, floats, booleans and null. Nesting and item counts are bounded, so a CBOR bomb is an error, not a hang.
/// </summary>
public static class CborData
{
    public const int MaxDepth = 32;
    public const int MaxItems = 200_000;

    public static object? Decode(ReadOnlyMemory<byte> cbor)
    {
        var reader = new CborReader(cbor, CborConformanceMode.Lax, allowMultipleRootLevelValues: false);
        int items = 0;
        try
        {
            return Read(reader, 0, ref items);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or OverflowException or FormatException)
        {
            throw new ProvenanceFormatException($"malformed CBOR ({e.Message})", e);
        }
    }

    private static object? Read(CborReader reader, int depth, ref int items)
    {
        if (++items > MaxItems) throw new ProvenanceFormatException($"CBOR holds more than {MaxItems} items");
        if (depth > MaxDepth) throw new ProvenanceFormatException($"CBOR is nested deeper than {MaxDepth} levels");
        switch (reader.PeekState())
        {
            case CborReaderState.Tag:
                reader.ReadTag();
                return Read(reader, depth + 1, ref items);
            case CborReaderState.StartMap:
            {
                reader.ReadStartMap();
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    object? key = Read(reader, depth + 1, ref items);
                    map[key?.ToString() ?? ""] = Read(reader, depth + 1, ref items);
                }
                reader.ReadEndMap();
                return map;
            }
            case CborReaderState.StartArray:
            {
                reader.ReadStartArray();
                var list = new List<object?>();
                while (reader.PeekState() != CborReaderState.EndArray) list.Add(Read(reader, depth + 1, ref items));
                reader.ReadEndArray();
                return list;
            }
            case CborReaderState.TextString: return reader.ReadTextString();
            case CborReaderState.ByteString: return reader.ReadByteString();
            case CborReaderState.StartIndefiniteLengthTextString: return reader.ReadTextString();
            case CborReaderState.StartIndefiniteLengthByteString: return reader.ReadByteString();
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return reader.ReadInt64();
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                return reader.ReadDouble();
            case CborReaderState.Boolean: return reader.ReadBoolean();
            case CborReaderState.Null: reader.ReadNull(); return null;
            case CborReaderState.SimpleValue: reader.ReadSimpleValue(); return null;
            default: throw new ProvenanceFormatException($"unexpected CBOR item ({reader.PeekState()})");
        }
    }

    public static string? Text(this IReadOnlyDictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) && v is string s ? s : null;

    public static IReadOnlyDictionary<string, object?>? Map(this IReadOnlyDictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) ? v as IReadOnlyDictionary<string, object?> : null;

    public static IReadOnlyList<object?> List(this IReadOnlyDictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) && v is IReadOnlyList<object?> l ? l : [];

    public static byte[]? Bytes(this IReadOnlyDictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) ? v as byte[] : null;

    public static long? Integer(this IReadOnlyDictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) && v is long l ? l : null;
}
