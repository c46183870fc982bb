using System.Buffers.Binary;
using System.Text;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// A minimal zip writer for uncompressed entries. torch.save aligns every record to 64 bytes (padding in the local
/// header's extra field) so that torch.load(mmap=True) can map tensors in place; we do the same.
/// </summary>
internal sealed class StoredZipWriter(Stream stream)
{
    private const int Alignment = 64;
    private readonly List<(string Name, uint Crc, long Size, long Offset)> _entries = [];

    public void Add(string name, ReadOnlyMemory<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        long offset = stream.Position;
        if (offset + data.Length > uint.MaxValue)
            throw new NotSupportedException("checkpoints larger than 4 GiB are not supported by this writer");
        uint crc = Crc32.Compute(data.Span);
        long dataStart = offset + 30 + nameBytes.Length + 4; // 4 = the padding field's own header
        int pad = (int)((Alignment - dataStart % Alignment) % Alignment);

        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 20); // version needed
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 0x0800); // UTF-8 names
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0); // stored
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], 0x21); // 1980-01-01: reproducible bytes
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)(4 + pad));
        stream.Write(h);
        stream.Write(nameBytes);
        Span<byte> extra = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, 0x4246); // "FB", the id torch uses for its padding
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)pad);
        stream.Write(extra);
        for (int i = 0; i < pad; i++) stream.WriteByte((byte)'Z');
        stream.Write(data.Span);
        _entries.Add((name, crc, data.Length, offset));
    }

    public void Finish()
    {
        long cdStart = stream.Position;
        Span<byte> h = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in _entries)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            h.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(h, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 20);
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 20);
            BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0x0800);
            BinaryPrimitives.WriteUInt16LittleEndian(h[14..], 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(h[42..], (uint)offset);
            stream.Write(h);
            stream.Write(nameBytes);
        }
        long cdSize = stream.Position - cdStart;
        Span<byte> end = stackalloc byte[22];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)cdSize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)cdStart);
        stream.Write(end);
    }
}
