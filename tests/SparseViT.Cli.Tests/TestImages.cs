using System.Diagnostics;
using SkiaSharp;

namespace SparseViT.Cli.Tests;

/// <summary>Small generated images and the hostile files a scan must survive.</summary>
public static class TestImages
{
    public static void Generate(string directory, int count, int seed = 7)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int w = 40 + random.Next(40), h = 30 + random.Next(30);
            using var bitmap = new SKBitmap(w, h);
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                using var paint = new SKPaint { Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)) };
                canvas.DrawRect(random.Next(w), random.Next(h), 10, 10, paint);
            }
            bool png = i % 3 == 0;
            using var data = bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(Path.Combine(directory, $"gen_{i:D4}.{(png ? "png" : "jpg")}"), data.ToArray());
        }
    }

    /// <summary>Every kind of bad input issue 4 lists; returns the file names (relative to <paramref name="directory"/>).</summary>
    public static IReadOnlyList<string> AddBrokenFiles(string directory)
    {
        File.WriteAllBytes(Path.Combine(directory, "zero-byte.jpg"), []);
        var sample = File.ReadAllBytes(Path.Combine(CliRunner.Samples, "sample_1.jpg"));
        File.WriteAllBytes(Path.Combine(directory, "truncated.jpg"), sample[..(sample.Length / 3)]);
        var noise = new byte[4096];
        new Random(3).NextBytes(noise);
        File.WriteAllBytes(Path.Combine(directory, "random-bytes.jpg"), noise);
        File.WriteAllBytes(Path.Combine(directory, "huge-header.png"), PngHeaderClaiming(40000, 40000));
        Directory.CreateDirectory(Path.Combine(directory, "folder.jpg"));
        File.CreateSymbolicLink(Path.Combine(directory, "loop-a.jpg"), Path.Combine(directory, "loop-b.jpg"));
        File.CreateSymbolicLink(Path.Combine(directory, "loop-b.jpg"), Path.Combine(directory, "loop-a.jpg"));
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(directory, "fifo.jpg"))) mkfifo.WaitForExit(10_000);
        return ["zero-byte.jpg", "truncated.jpg", "random-bytes.jpg", "huge-header.png", "folder.jpg", "loop-a.jpg", "loop-b.jpg", "fifo.jpg"];
    }

    /// <summary>A valid PNG signature and IHDR for a 40000×40000 RGB image, then a tiny IDAT: only the header lies.</summary>
    private static byte[] PngHeaderClaiming(int width, int height)
    {
        var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        s.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
