namespace SparseViT.Forensics.Metadata;

/// <summary>
/// The few JPEG marker segments MetadataExtractor does not expose the way we need: quantization tables
/// (DQT, de-zigzagged) and where the Exif TIFF header starts, because thumbnail offsets count from there.
/// Only the header part before the first scan is read; tables redefined between progressive scans are rare
/// and would not change the quality estimate.
/// </summary>
internal sealed class JpegStructure
{
    /// <summary>Position in the file of coefficient k of a DQT table stored in zigzag order.</summary>
    private static readonly int[] ZigzagToNatural =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>Tables by destination id (0..3), natural (row-major 8×8) order.</summary>
    public SortedDictionary<int, int[]> QuantizationTables { get; } = new();

    /// <summary>Offset in the file of the TIFF header inside the APP1 "Exif" segment, or null.</summary>
    public int? ExifTiffOffset { get; private set; }

    public int? FrameWidth { get; private set; }
    public int? FrameHeight { get; private set; }

    public static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    /// <summary>Parses what it can; a truncated or odd file yields whatever came before the damage.</summary>
    public static JpegStructure Parse(byte[] bytes)
    {
        var result = new JpegStructure();
        if (!IsJpeg(bytes)) return result;
        int pos = 2;
        while (pos + 4 <= bytes.Length)
        {
            if (bytes[pos] != 0xFF) break;
            byte marker = bytes[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; }
            if (marker is 0xD9 or 0xDA) break;
            int length = (bytes[pos + 2] << 8) | bytes[pos + 3];
            int start = pos + 4, end = pos + 2 + length;
            if (length < 2 || end > bytes.Length) break;
            switch (marker)
            {
                case 0xDB:
                    result.ReadQuantizationTables(bytes, start, end);
                    break;
                case 0xE1 when result.ExifTiffOffset is null && end - start >= 6 &&
                               bytes.AsSpan(start, 6).SequenceEqual("Exif\0\0"u8):
                    result.ExifTiffOffset = start + 6;
                    break;
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC) && end - start >= 5:
                    result.FrameHeight = (bytes[start + 1] << 8) | bytes[start + 2];
                    result.FrameWidth = (bytes[start + 3] << 8) | bytes[start + 4];
                    break;
            }
            pos = end;
        }
        return result;
    }

    private void ReadQuantizationTables(byte[] bytes, int pos, int end)
    {
        while (pos < end)
        {
            int precision = bytes[pos] >> 4, id = bytes[pos] & 0x0F;
            int entrySize = precision == 0 ? 1 : 2;
            pos++;
            if (pos + 64 * entrySize > end) return;
            var table = new int[64];
            for (int k = 0; k < 64; k++)
            {
                table[ZigzagToNatural[k]] = entrySize == 1 ? bytes[pos + k] : (bytes[pos + 2 * k] << 8) | bytes[pos + 2 * k + 1];
            }
            QuantizationTables[id] = table;
            pos += 64 * entrySize;
        }
    }
}
