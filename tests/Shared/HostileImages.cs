using System.Buffers.Binary;
using System.Text;

namespace SparseViT.Tests.Shared;

/// <summary>
/// Hostile files made from the real fixtures in ../shared/fixtures/formats, each damaged in one way a decoder must
/// survive: a header claiming a huge image, a file cut short, a broken structure, or a script format in disguise.
/// </summary>
public static class HostileImages
{
    public static string FormatsDirectory(string sharedDirectory) => Path.Combine(sharedDirectory, "fixtures", "formats");

    /// <summary>The fixture HEIC with every 'ispe' (image spatial extents) box claiming <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] HeicClaiming(string sharedDirectory, uint width, uint height)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FormatsDirectory(sharedDirectory), "heic_from_c2pa_sample1.heic"));
        int patched = 0;
        for (int i = 4; i + 16 <= bytes.Length; i++)
        {
            if (bytes[i] != 'i' || bytes[i + 1] != 's' || bytes[i + 2] != 'p' || bytes[i + 3] != 'e') continue;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i + 8), width);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i + 12), height);
            patched++;
        }
        if (patched == 0) throw new InvalidOperationException("the fixture HEIC has no ispe box");
        return bytes;
    }

    /// <summary>The fixture HEIC cut to <paramref name="fraction"/> of its length.</summary>
    public static byte[] TruncatedHeic(string sharedDirectory, double fraction = 0.5)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FormatsDirectory(sharedDirectory), "heic_from_c2pa_sample1.heic"));
        return bytes[..(int)(bytes.Length * fraction)];
    }

    /// <summary>The uncompressed fixture TIFF with ImageWidth/ImageLength in IFD0 claiming <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] TiffClaiming(string sharedDirectory, uint width, uint height)
    {
        var bytes = TiffFixture(sharedDirectory);
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(ifd));
        for (int e = 0; e < count; e++)
        {
            var entry = bytes.AsSpan(ifd + 2 + 12 * e, 12);
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            if (tag is not (256 or 257)) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], 4); // LONG
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], tag == 256 ? width : height);
        }
        return bytes;
    }

    /// <summary>The fixture TIFF whose header points IFD0 far past the end of the file.</summary>
    public static byte[] TiffWithBadIfdOffset(string sharedDirectory)
    {
        var bytes = TiffFixture(sharedDirectory);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 0x7FFF_FFF0);
        return bytes;
    }

    public static byte[] Svg() => Encoding.ASCII.GetBytes(
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">" +
        "<image href=\"file:///etc/passwd\" width=\"100\" height=\"100\"/></svg>\n");

    public static byte[] Mvg() => Encoding.ASCII.GetBytes(
        "push graphic-context\nviewbox 0 0 640 480\nimage over 0,0 0,0 'https://example.invalid/x.jpg'\npop graphic-context\n");

    private static byte[] TiffFixture(string sharedDirectory)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FormatsDirectory(sharedDirectory), "tiff_rgb8_uncompressed.tif"));
        if (bytes[0] != 'I') throw new InvalidOperationException("expected a little-endian TIFF fixture");
        return bytes;
    }
}
