using System.Buffers.Binary;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// Finds the embedded C2PA manifest store: JPEG APP11 JUMBF segments (reassembled by box instance and sequence number),
/// the PNG 'caBX' chunk, the RIFF/WebP 'C2PA' chunk, the ISO BMFF (HEIF/AVIF) 'uuid' box D8FEC3D6-1B0E-483C-9297-5828877EC481,
/// and TIFF IFD0 tag 0xCD41. Every length is checked against the file and the store is capped at <see cref="MaxStoreBytes"/>.
/// </summary>
public static class ManifestStoreLocator
{
    public const int MaxStoreBytes = 64 << 20;

    private static readonly byte[] BmffC2paUuid = Convert.FromHexString("D8FEC3D61B0E483C92975828877EC481");

    /// <summary>The store's bytes and where they were found ("jpeg-app11", "png-caBX", …), or null when the file has none.</summary>
    public static (byte[] Store, string Location)? Find(byte[] file)
    {
        var f = file.AsSpan();
        if (f.Length >= 4 && f[0] == 0xFF && f[1] == 0xD8) return FromJpeg(file);
        if (f.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return FromPng(file);
        if (f.Length >= 12 && f.StartsWith("RIFF"u8)) return FromRiff(file);
        if (f.Length >= 8 && (f.StartsWith("II*\0"u8) || f.StartsWith("MM\0*"u8))) return FromTiff(file);
        if (f.Length >= 12 && f[4..8].SequenceEqual("ftyp"u8)) return FromBmff(file);
        return null;
    }

    private static (byte[], string)? FromJpeg(byte[] file)
    {
        // APP11 segments: "JP", box instance En (2), sequence Z (4), then the box; later packets repeat its 8-byte header.
        var packets = new SortedDictionary<(int En, uint Z), (int Start, int Length)>();
        int pos = 2;
        while (pos + 4 <= file.Length && file[pos] == 0xFF)
        {
            byte marker = file[pos + 1];
            if (marker == 0xD9 || marker == 0xDA) break; // end of image, start of scan
            if (marker is 0x01 or >= 0xD0 and <= 0xD7) { pos += 2; continue; }
            int length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(pos + 2));
            if (length < 2 || pos + 2 + length > file.Length)
                throw new ProvenanceFormatException($"the JPEG segment 0xFF{marker:X2} at byte {pos} runs past the end of the file (a truncated APP11?)");
            if (marker == 0xEB && length >= 2 + 8 + 8 && file[pos + 4] == 'J' && file[pos + 5] == 'P')
            {
                int en = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(pos + 6));
                uint z = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos + 8));
                if (!packets.TryAdd((en, z), (pos + 12, length - 10)))
                    throw new ProvenanceFormatException($"APP11 packet {z} of box {en} appears twice");
            }
            pos += 2 + length;
        }
        if (packets.Count == 0) return null;
        // APP11 also carries other JUMBF boxes (JPEG 360, privacy and security, …), each its own box instance. The manifest
        // store is the one labelled "c2pa"; an instance whose description cannot be read may be a damaged store and is
        // reported as unreadable, while one that plainly holds something else is not provenance at all.
        var instances = packets.GroupBy(p => p.Key.En).Select(g => (En: g.Key, Label: JumbfLabel(file.AsSpan(g.First().Value.Start, g.First().Value.Length)))).ToList();
        int? chosen = instances.Where(i => i.Label == "c2pa").Select(i => (int?)i.En).FirstOrDefault()
            ?? instances.Where(i => i.Label is null).Select(i => (int?)i.En).FirstOrDefault();
        if (chosen is not int instance) return null;
        var parts = packets.Where(p => p.Key.En == instance).ToList();
        var (firstStart, firstLength) = parts[0].Value;
        long declared = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(firstStart));
        if (declared > MaxStoreBytes) throw TooLarge(declared);
        using var store = new MemoryStream();
        for (int i = 0; i < parts.Count; i++)
        {
            var (start, length) = parts[i].Value;
            int skip = i == 0 ? 0 : 8;
            if (length < skip) throw new ProvenanceFormatException($"APP11 packet {parts[i].Key.Z} is shorter than its box header");
            store.Write(file, start + skip, length - skip);
            if (store.Length > MaxStoreBytes) throw TooLarge(store.Length);
        }
        if (store.Length < declared)
            throw new ProvenanceFormatException($"the APP11 manifest store declares {declared} bytes but its segments hold {store.Length} (a segment is missing or truncated)");
        return (store.ToArray()[..(int)declared], "jpeg-app11");
    }

    /// <summary>
    /// The label of the JUMBF superbox starting at <paramref name="box"/> (its 'jumd' description: type UUID, toggles, then
    /// the label when toggle bit 1 is set), "" for an unlabelled one, or null when the bytes are not a readable description.
    /// </summary>
    private static string? JumbfLabel(ReadOnlySpan<byte> box)
    {
        if (box.Length < 16 || !box[4..8].SequenceEqual("jumb"u8)) return null;
        int header = BinaryPrimitives.ReadUInt32BigEndian(box) == 1 ? 16 : 8;
        var description = box[header..];
        if (description.Length < 8 + 17 || !description[4..8].SequenceEqual("jumd"u8)) return null;
        byte toggles = description[8 + 16];
        if ((toggles & 0x02) == 0) return "";
        var label = description[(8 + 17)..];
        int end = label.IndexOf((byte)0);
        return end < 0 ? null : System.Text.Encoding.UTF8.GetString(label[..end]);
    }

    private static (byte[], string)? FromPng(byte[] file)
    {
        int pos = 8;
        while (pos + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos));
            var type = file.AsSpan(pos + 4, 4);
            if (length > file.Length - pos - 12) throw new ProvenanceFormatException($"the PNG chunk '{System.Text.Encoding.ASCII.GetString(type)}' at byte {pos} runs past the end of the file");
            if (type.SequenceEqual("caBX"u8)) return (Bounded(file.AsSpan(pos + 8, (int)length)), "png-caBX");
            if (type.SequenceEqual("IEND"u8)) break;
            pos += 12 + (int)length;
        }
        return null;
    }

    private static (byte[], string)? FromRiff(byte[] file)
    {
        int pos = 12;
        while (pos + 8 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 4));
            if (length > file.Length - pos - 8) throw new ProvenanceFormatException($"the RIFF chunk at byte {pos} runs past the end of the file");
            if (file.AsSpan(pos, 4).SequenceEqual("C2PA"u8)) return (Bounded(file.AsSpan(pos + 8, (int)length)), "webp-C2PA");
            pos += 8 + (int)length + (int)(length & 1);
        }
        return null;
    }

    private static (byte[], string)? FromBmff(byte[] file)
    {
        long pos = 0;
        for (int boxes = 0; pos + 8 <= file.Length && boxes < 10_000; boxes++)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)pos));
            int header = 8;
            if (size == 1) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)pos + 8)); header = 16; }
            else if (size == 0) size = file.Length - pos;
            if (size < header || size > file.Length - pos) throw new ProvenanceFormatException($"the BMFF box at byte {pos} runs past the end of the file");
            if (file.AsSpan((int)pos + 4, 4).SequenceEqual("uuid"u8) && size >= header + 16 + 4 &&
                file.AsSpan((int)pos + header, 16).SequenceEqual(BmffC2paUuid))
            {
                // Full box (version, flags), a NUL-terminated purpose, then for "manifest" a 64-bit offset and the store.
                var body = file.AsSpan((int)pos + header + 16 + 4, (int)size - header - 16 - 4);
                int zero = body.IndexOf((byte)0);
                if (zero < 0) throw new ProvenanceFormatException("the C2PA uuid box has no purpose string");
                string purpose = System.Text.Encoding.ASCII.GetString(body[..zero]);
                if (purpose == "manifest" && body.Length >= zero + 1 + 8) return (Bounded(body[(zero + 1 + 8)..]), "bmff-uuid");
            }
            pos += size;
        }
        return null;
    }

    private static (byte[], string)? FromTiff(byte[] file)
    {
        bool little = file[0] == 'I';
        uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
        ushort U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(at));
        uint ifd = U32(4);
        if (ifd > file.Length - 2) return null;
        int count = U16((int)ifd);
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2L + 12L * i;
            if (entry + 12 > file.Length) break;
            if (U16((int)entry) != 0xCD41) continue;
            uint n = U32((int)entry + 4), offset = n <= 4 ? (uint)entry + 8 : U32((int)entry + 8);
            if (n > MaxStoreBytes) throw TooLarge(n);
            if (offset > file.Length || n > file.Length - offset) throw new ProvenanceFormatException("TIFF tag 0xCD41 points past the end of the file");
            return (file.AsSpan((int)offset, (int)n).ToArray(), "tiff-0xCD41");
        }
        return null;
    }

    private static byte[] Bounded(ReadOnlySpan<byte> store) => store.Length > MaxStoreBytes ? throw TooLarge(store.Length) : store.ToArray();

    private static ProvenanceFormatException TooLarge(long bytes) =>
        new($"the manifest store is {bytes} bytes, more than the {MaxStoreBytes >> 20} MB read");
}
