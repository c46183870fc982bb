using System.Buffers.Binary;
using System.IO.Compression;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// Decoder for 16-bit-per-sample PNGs (gray, gray+alpha, RGB, RGBA; plain or Adam7-interlaced) that keeps the most
/// significant byte of every sample (Skia would convert 16→8 bits with rounding). Alpha is dropped.
/// </summary>
internal static class Png16Decoder
{
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
    {
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    };

    public static byte[] Decode(byte[] png, int width, int height, int colorType, int interlace, string path)
    {
        int channels = colorType switch
        {
            0 => 1, 2 => 3, 4 => 2, 6 => 4,
            _ => throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"16-bit PNG with invalid color type {colorType}"),
        };
        if (interlace is not (0 or 1))
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"PNG with unknown interlace method {interlace}");
        int bpp = channels * 2;

        // Concatenate the IDAT chunks.
        var idat = new MemoryStream();
        int pos = 8;
        bool sawIdat = false;
        while (true)
        {
            if (pos + 8 > png.Length)
            {
                if (!sawIdat) throw Truncated(path, "the data ends before any image data (IDAT)");
                break; // missing IEND after image data: tolerated, truncation is judged by the pixel data.
            }
            uint len = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            var type = png.AsSpan(pos + 4, 4);
            long end = pos + 12L + len;
            if (type.SequenceEqual("IDAT"u8))
            {
                sawIdat = true;
                int available = (int)Math.Min(len, (long)png.Length - pos - 8);
                idat.Write(png, pos + 8, available);
                if (end > png.Length) break;
            }
            else if (type.SequenceEqual("IEND"u8)) break;
            if (end > png.Length)
            {
                if (!sawIdat) throw Truncated(path, "the data ends before any image data (IDAT)");
                break;
            }
            pos = (int)end;
        }
        if (!sawIdat) throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, "PNG has no image data (IDAT)");

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var rgb = new byte[checked(width * height * 3)];

        void DecodePass(int x0, int y0, int dx, int dy)
        {
            int pw = (width - x0 + dx - 1) / dx, ph = (height - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) return;
            int stride = checked(pw * bpp);
            var prev = new byte[stride];
            var cur = new byte[stride];
            for (int r = 0; r < ph; r++)
            {
                int filter = z.ReadByte();
                if (filter < 0 || !ReadFully(z, cur))
                    throw Truncated(path, $"the compressed image data ends before all {width}x{height} pixels are decoded");
                Unfilter(filter, cur, prev, bpp, path);
                int y = y0 + r * dy;
                for (int i = 0; i < pw; i++)
                {
                    int s = i * bpp;
                    int o = (y * width + x0 + i * dx) * 3;
                    if (channels <= 2)
                    {
                        byte g = cur[s];
                        rgb[o] = g; rgb[o + 1] = g; rgb[o + 2] = g;
                    }
                    else
                    {
                        rgb[o] = cur[s]; rgb[o + 1] = cur[s + 2]; rgb[o + 2] = cur[s + 4];
                    }
                }
                (prev, cur) = (cur, prev);
            }
        }

        try
        {
            if (interlace == 0) DecodePass(0, 0, 1, 1);
            else foreach (var (x0, y0, dx, dy) in Adam7) DecodePass(x0, y0, dx, dy);
        }
        catch (InvalidDataException e)
        {
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"PNG image data is corrupt: {e.Message}", e);
        }
        return rgb;
    }

    private static ImageDecodeException Truncated(string path, string what) =>
        new(ImageDecodeErrorCodes.ImageTruncated, path, $"png image is truncated: {what}");

    private static bool ReadFully(Stream s, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = s.Read(buffer, read, buffer.Length - read);
            if (n <= 0) return false;
            read += n;
        }
        return true;
    }

    private static void Unfilter(int filter, byte[] cur, byte[] prev, int bpp, string path)
    {
        int n = cur.Length;
        switch (filter)
        {
            case 0: break;
            case 1: for (int i = bpp; i < n; i++) cur[i] += cur[i - bpp]; break;
            case 2: for (int i = 0; i < n; i++) cur[i] += prev[i]; break;
            case 3:
                for (int i = 0; i < n; i++)
                    cur[i] += (byte)(((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < n; i++)
                {
                    int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    cur[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                break;
            default:
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"PNG image data is corrupt: unknown row filter {filter}");
        }
    }
}
