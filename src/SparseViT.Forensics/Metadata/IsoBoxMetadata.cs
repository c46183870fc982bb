using System.Buffers.Binary;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Xmp;
using MetadataExtractor.IO;
using Directory = MetadataExtractor.Directory;

namespace SparseViT.Forensics.Metadata;

/// <summary>
/// EXIF and XMP from the top-level boxes of JPEG 2000 (JP2) and JPEG XL containers, which MetadataExtractor does not
/// open: JP2 keeps them in 'uuid' boxes (the "JpgTiffExif->JP2" and XMP UUIDs) or an 'xml ' box, JPEG XL in 'Exif'
/// (a 4-byte offset, then TIFF) and 'xml ' boxes. The TIFF and XMP payloads go to MetadataExtractor's own readers.
/// Every box length is checked against the file, and at most <see cref="MaxBoxes"/> boxes are visited.
/// </summary>
internal static class IsoBoxMetadata
{
    private const int MaxBoxes = 4096;
    private static readonly byte[] ExifUuid = "JpgTiffExif->JP2"u8.ToArray();
    private static readonly byte[] XmpUuid = Convert.FromHexString("BE7ACFCB97A942E89C71999491E3AFAC");

    public static IReadOnlyList<Directory> Read(byte[] bytes, List<string> warnings, string label)
    {
        var directories = new List<Directory>();
        long pos = 0;
        for (int boxes = 0; pos + 8 <= bytes.Length && boxes < MaxBoxes; boxes++)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)pos));
            var type = bytes.AsSpan((int)pos + 4, 4);
            int header = 8;
            if (size == 1)
            {
                if (pos + 16 > bytes.Length) break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan((int)pos + 8));
                header = 16;
            }
            else if (size == 0) size = bytes.Length - pos;
            if (size < header || pos + size > bytes.Length)
            {
                warnings.Add($"{label}: the '{System.Text.Encoding.ASCII.GetString(type)}' box at byte {pos} runs past the end of the file; metadata after it is not read.");
                break;
            }
            var payload = bytes.AsSpan((int)(pos + header), (int)(size - header));
            try
            {
                if (type.SequenceEqual("Exif"u8) && payload.Length > 4)
                {
                    // JPEG XL: a big-endian offset to the TIFF header, then the TIFF structure.
                    uint offset = BinaryPrimitives.ReadUInt32BigEndian(payload);
                    if (offset < payload.Length - 4) directories.AddRange(Exif(payload[(int)(4 + offset)..]));
                }
                else if (type.SequenceEqual("uuid"u8) && payload.Length > 16)
                {
                    if (payload[..16].SequenceEqual(ExifUuid)) directories.AddRange(Exif(payload[16..]));
                    else if (payload[..16].SequenceEqual(XmpUuid)) directories.Add(new XmpReader().Extract(payload[16..].ToArray()));
                }
                else if (type.SequenceEqual("xml "u8))
                {
                    directories.Add(new XmpReader().Extract(payload.ToArray()));
                }
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or MetadataExtractor.ImageProcessingException)
            {
                warnings.Add($"{label}: the '{System.Text.Encoding.ASCII.GetString(type)}' box could not be read ({e.Message}).");
            }
            pos += size;
        }
        return directories;
    }

    private static IReadOnlyList<Directory> Exif(ReadOnlySpan<byte> tiff)
    {
        // Some writers keep JPEG's "Exif\0\0" preamble in front of the TIFF header.
        if (tiff.StartsWith("Exif\0\0"u8)) tiff = tiff[6..];
        return new ExifReader().Extract(new ByteArrayReader(tiff.ToArray()));
    }
}
