using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SparseViT.Engine.Tests.Imaging;

/// <summary>Hand-built image files with known pixel values (PNG of any color type / depth, 24-bit BMP, GIF).</summary>
internal static class TestImages
{
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static void Chunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(len, (uint)data.Length);
        s.Write(len);
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData.AsSpan(4));
        s.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32(typeAndData));
        s.Write(len);
    }

    /// <summary>A PNG from raw (unfiltered) scanlines: <paramref name="rows"/> holds height rows of packed samples (16-bit big-endian).</summary>
    public static byte[] Png(int width, int height, int bitDepth, int colorType, byte[][] rows, byte[]? plte = null, byte[]? trns = null, bool withIdat = true, int interlace = 0)
    {
        var s = new MemoryStream();
        s.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)interlace;
        Chunk(s, "IHDR", ihdr);
        if (plte is not null) Chunk(s, "PLTE", plte);
        if (trns is not null) Chunk(s, "tRNS", trns);
        if (withIdat)
        {
            var raw = new MemoryStream();
            foreach (var row in rows) { raw.WriteByte(0); raw.Write(row); }
            var z = new MemoryStream();
            using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(raw.ToArray());
            Chunk(s, "IDAT", z.ToArray());
        }
        Chunk(s, "IEND", ReadOnlySpan<byte>.Empty);
        return s.ToArray();
    }

    /// <summary>The scanlines of an Adam7-interlaced PNG: pass by pass, the pass's sub-image rows (bytesPerPixel bytes per pixel).</summary>
    public static byte[][] Adam7Rows(int width, int height, int bytesPerPixel, byte[] pixels)
    {
        var passes = new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) };
        var rows = new List<byte[]>();
        foreach (var (x0, y0, dx, dy) in passes)
        {
            if (x0 >= width || y0 >= height) continue;
            for (int y = y0; y < height; y += dy)
            {
                var row = new List<byte>();
                for (int x = x0; x < width; x += dx)
                    row.AddRange(pixels.AsSpan((y * width + x) * bytesPerPixel, bytesPerPixel).ToArray());
                rows.Add(row.ToArray());
            }
        }
        return rows.ToArray();
    }

    public static byte[] Be16(params int[] values)
    {
        var b = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2 * i), (ushort)values[i]);
        return b;
    }

    /// <summary>24-bit bottom-up BMP from top-down RGB pixels.</summary>
    public static byte[] Bmp24(int width, int height, byte[] rgb)
    {
        int stride = (width * 3 + 3) & ~3;
        int size = 54 + stride * height;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
        {
            int o = 54 + (height - 1 - y) * stride;
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                b[o + 3 * x] = rgb[i + 2];
                b[o + 3 * x + 1] = rgb[i + 1];
                b[o + 3 * x + 2] = rgb[i];
            }
        }
        return b;
    }

    /// <summary>A GIF89a with a 4-color global palette and one full-size frame per index array.
    /// LZW data uses only literals with a clear code after every second one, so codes stay 3 bits wide.</summary>
    public static byte[] Gif(int width, int height, byte[] palette12, int transparentIndex, params byte[][] frames)
    {
        var s = new MemoryStream();
        s.Write("GIF89a"u8);
        Span<byte> u16 = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)width); s.Write(u16);
        BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)height); s.Write(u16);
        s.WriteByte(0x80 | 0x01); // global table, 2^(1+1) = 4 entries
        s.WriteByte(0); s.WriteByte(0);
        s.Write(palette12);
        // Netscape loop extension so Skia sees an animation.
        s.Write(new byte[] { 0x21, 0xFF, 0x0B });
        s.Write("NETSCAPE2.0"u8);
        s.Write(new byte[] { 0x03, 0x01, 0x00, 0x00, 0x00 });
        foreach (var frame in frames)
        {
            s.Write(new byte[] { 0x21, 0xF9, 0x04, (byte)(transparentIndex >= 0 ? 0x05 : 0x04), 0x0A, 0x00, (byte)Math.Max(0, transparentIndex), 0x00 }); // GCE: dispose "do not dispose", delay 10
            s.WriteByte(0x2C);
            BinaryPrimitives.WriteUInt16LittleEndian(u16, 0); s.Write(u16); s.Write(u16);
            BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)width); s.Write(u16);
            BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)height); s.Write(u16);
            s.WriteByte(0);
            const int minCodeSize = 2, clear = 4, eoi = 5, bits = 3;
            s.WriteByte(minCodeSize);
            var codes = new List<int> { clear };
            for (int i = 0; i < frame.Length; i++)
            {
                if (i > 0 && i % 2 == 0) codes.Add(clear);
                codes.Add(frame[i]);
            }
            codes.Add(eoi);
            var data = new List<byte>();
            int acc = 0, n = 0;
            foreach (int code in codes)
            {
                acc |= code << n; n += bits;
                while (n >= 8) { data.Add((byte)acc); acc >>= 8; n -= 8; }
            }
            if (n > 0) data.Add((byte)acc);
            for (int i = 0; i < data.Count; i += 255)
            {
                int len = Math.Min(255, data.Count - i);
                s.WriteByte((byte)len);
                s.Write(data.GetRange(i, len).ToArray());
            }
            s.WriteByte(0);
        }
        s.WriteByte(0x3B);
        return s.ToArray();
    }
}
