using System.Buffers.Binary;
using System.Text;

namespace SparseViT.Forensics.Tests.Support;

/// <summary>
/// Builds an APP1 Exif segment (little-endian TIFF: IFD0, Exif IFD, GPS IFD, IFD1 with a JPEG thumbnail) and
/// splices it into a JPEG, so tests control every tag without external tools.
/// </summary>
internal sealed class ExifJpegBuilder
{
    public string? Make { get; init; }
    public string? Model { get; init; }
    public string? Software { get; init; }
    public string? DateTime { get; init; }
    public int? Orientation { get; init; }
    public string? DateTimeOriginal { get; init; }
    public string? DateTimeDigitized { get; init; }
    public int? PixelXDimension { get; init; }
    public int? PixelYDimension { get; init; }

    /// <summary>Signed decimal degrees (negative = S / W) and metres.</summary>
    public (double Latitude, double Longitude, double Altitude)? Gps { get; init; }

    public byte[]? Thumbnail { get; init; }

    public byte[] Splice(byte[] jpeg)
    {
        if (jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new ArgumentException("not a JPEG");
        var tiff = BuildTiff();
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF; segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), checked((ushort)(2 + 6 + tiff.Length)));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        // After APP0 (JFIF) when there is one, as cameras order them.
        int at = 2;
        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0) at = 4 + ((jpeg[4] << 8) | jpeg[5]);
        return [.. jpeg.AsSpan(0, at), .. segment, .. jpeg.AsSpan(at)];
    }

    private byte[] BuildTiff()
    {
        var ifd0 = new Ifd();
        ifd0.Ascii(0x010F, Make).Ascii(0x0110, Model).Short(0x0112, Orientation).Ascii(0x0131, Software).Ascii(0x0132, DateTime);
        var exif = new Ifd();
        exif.Ascii(0x9003, DateTimeOriginal).Ascii(0x9004, DateTimeDigitized).Long(0xA002, PixelXDimension).Long(0xA003, PixelYDimension);
        Ifd? gps = null;
        if (Gps is { } g)
        {
            gps = new Ifd();
            gps.Bytes(0x0000, 1, [2, 3, 0, 0])
               .Ascii(0x0001, g.Latitude >= 0 ? "N" : "S").Rationals(0x0002, Dms(Math.Abs(g.Latitude)))
               .Ascii(0x0003, g.Longitude >= 0 ? "E" : "W").Rationals(0x0004, Dms(Math.Abs(g.Longitude)))
               .Bytes(0x0005, 1, [(byte)(g.Altitude < 0 ? 1 : 0)]).Rationals(0x0006, [((uint)Math.Round(Math.Abs(g.Altitude) * 100), 100u)]);
        }
        Ifd? ifd1 = null;
        if (Thumbnail is not null)
        {
            ifd1 = new Ifd();
            ifd1.Short(0x0103, 6).Long(0x0201, 0).Long(0x0202, Thumbnail.Length);
        }
        ifd0.Long(0x8769, 0);
        if (gps is not null) ifd0.Long(0x8825, 0);

        // Layout: header, IFD0, Exif IFD, GPS IFD, IFD1, thumbnail. Sizes do not depend on pointer values.
        int ifd0At = 8, exifAt = ifd0At + ifd0.Size, gpsAt = exifAt + exif.Size;
        int ifd1At = gpsAt + (gps?.Size ?? 0), thumbAt = ifd1At + (ifd1?.Size ?? 0);
        ifd0.Set(0x8769, exifAt);
        if (gps is not null) ifd0.Set(0x8825, gpsAt);
        ifd1?.Set(0x0201, thumbAt);

        var output = new MemoryStream();
        output.Write("II*\0"u8);
        output.Write(BitConverter.GetBytes(ifd0At));
        ifd0.Write(output, ifd0At, ifd1 is null ? 0 : ifd1At);
        exif.Write(output, exifAt, 0);
        gps?.Write(output, gpsAt, 0);
        ifd1?.Write(output, ifd1At, 0);
        if (Thumbnail is not null) output.Write(Thumbnail);
        return output.ToArray();
    }

    private static (uint, uint)[] Dms(double degrees)
    {
        int d = (int)degrees;
        double minutes = (degrees - d) * 60;
        int m = (int)minutes;
        double seconds = (minutes - m) * 60;
        return [((uint)d, 1u), ((uint)m, 1u), ((uint)Math.Round(seconds * 10000), 10000u)];
    }

    private sealed class Ifd
    {
        private readonly SortedDictionary<ushort, (ushort Type, int Count, byte[] Value)> _entries = new();

        public int Size => 2 + 12 * _entries.Count + 4 + _entries.Values.Sum(e => e.Value.Length > 4 ? (e.Value.Length + 1) & ~1 : 0);

        public Ifd Ascii(ushort tag, string? value)
        {
            if (value is not null) _entries[tag] = (2, Encoding.ASCII.GetByteCount(value) + 1, [.. Encoding.ASCII.GetBytes(value), 0]);
            return this;
        }

        public Ifd Short(ushort tag, int? value)
        {
            if (value is { } v) _entries[tag] = (3, 1, BitConverter.GetBytes((ushort)v));
            return this;
        }

        public Ifd Long(ushort tag, int? value)
        {
            if (value is { } v) _entries[tag] = (4, 1, BitConverter.GetBytes((uint)v));
            return this;
        }

        public Ifd Bytes(ushort tag, ushort type, byte[] value)
        {
            _entries[tag] = (type, value.Length, value);
            return this;
        }

        public Ifd Rationals(ushort tag, (uint Numerator, uint Denominator)[] values)
        {
            var bytes = values.SelectMany(v => BitConverter.GetBytes(v.Numerator).Concat(BitConverter.GetBytes(v.Denominator))).ToArray();
            _entries[tag] = (5, values.Length, bytes);
            return this;
        }

        public void Set(ushort tag, int value) => _entries[tag] = _entries[tag] with { Value = BitConverter.GetBytes((uint)value) };

        public void Write(Stream output, int at, int nextIfd)
        {
            int dataAt = at + 2 + 12 * _entries.Count + 4;
            var data = new MemoryStream();
            output.Write(BitConverter.GetBytes((ushort)_entries.Count));
            foreach (var (tag, (type, count, value)) in _entries)
            {
                output.Write(BitConverter.GetBytes(tag));
                output.Write(BitConverter.GetBytes(type));
                output.Write(BitConverter.GetBytes(count));
                if (value.Length <= 4)
                {
                    output.Write(value);
                    output.Write(new byte[4 - value.Length]);
                }
                else
                {
                    output.Write(BitConverter.GetBytes(dataAt + (int)data.Length));
                    data.Write(value);
                    if (value.Length % 2 == 1) data.WriteByte(0);
                }
            }
            output.Write(BitConverter.GetBytes(nextIfd));
            data.Position = 0;
            data.CopyTo(output);
        }
    }
}
