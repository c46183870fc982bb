using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SparseViT.Engine.IO;

/// <summary>
/// NumPy's .npy format (v1–v3), C order, little-endian: enough to read the reference fixtures and to
/// write probability maps that numpy.load reads back.
/// </summary>
public sealed partial class NpyArray
{
    public string Descr { get; }
    public long[] Shape { get; }
    public byte[] Data { get; }

    public NpyArray(string descr, long[] shape, byte[] data)
    {
        Descr = descr;
        Shape = shape;
        Data = data;
    }

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public float[] AsFloat32()
    {
        if (Descr != "<f4") throw new InvalidDataException($"npy dtype is {Descr}, expected <f4");
        var result = new float[Count];
        Buffer.BlockCopy(Data, 0, result, 0, result.Length * 4);
        return result;
    }

    public byte[] AsUInt8()
    {
        if (Descr != "|u1" && Descr != "<u1") throw new InvalidDataException($"npy dtype is {Descr}, expected |u1");
        return Data;
    }

    public static NpyArray Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static NpyArray Read(Stream stream, string name = "<stream>")
    {
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        var magic = reader.ReadBytes(6);
        if (magic.Length != 6 || magic[0] != 0x93 || Encoding.ASCII.GetString(magic, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{name}: not a .npy file");
        byte major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major == 1 ? reader.ReadUInt16() : (int)reader.ReadUInt32();
        if (headerLength is < 0 or > 1 << 16) throw new InvalidDataException($"{name}: implausible npy header length {headerLength}");
        string header = Encoding.ASCII.GetString(reader.ReadBytes(headerLength));
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !shape.Success) throw new InvalidDataException($"{name}: unreadable npy header '{header.Trim()}'");
        if (fortran.Success && fortran.Groups[1].Value == "True") throw new InvalidDataException($"{name}: Fortran-order arrays are not supported");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        string d = descr.Groups[1].Value;
        int itemSize = int.Parse(d[2..], CultureInfo.InvariantCulture);
        long count = dims.Aggregate(1L, (a, b) => a * b);
        long bytes = count * itemSize;
        if (bytes > int.MaxValue) throw new InvalidDataException($"{name}: npy array too large ({bytes} bytes)");
        var data = reader.ReadBytes((int)bytes);
        if (data.Length != bytes) throw new EndOfStreamException($"{name}: npy data truncated ({data.Length} of {bytes} bytes)");
        return new NpyArray(d, dims, data);
    }

    public static void WriteFloat32(Stream stream, ReadOnlySpan<float> values, params long[] shape)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int total = 10 + header.Length + 1;
        int pad = (64 - total % 64) % 64;
        header = header + new string(' ', pad) + "\n";
        Span<byte> prefix = stackalloc byte[10];
        prefix[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", prefix[1..6]);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    [GeneratedRegex(@"'descr':\s*'([<>|]?[a-zA-Z]\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order':\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
