using SkiaSharp;
using SparseViT.Forensics.Scanning;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>The images a benchmark runs on: files from a folder, or synthetic JPEGs so a run needs no data.</summary>
public static class BenchmarkImages
{
    /// <summary><paramref name="count"/> images cycling through the folder's image files.</summary>
    public static IReadOnlyList<BenchmarkImage> FromFolder(string folder, int count)
    {
        var files = FileEnumerator.Enumerate([folder]).Where(i => i.IsScannable).Take(count).ToList();
        if (files.Count == 0) throw new ArgumentException($"'{folder}' holds no image files");
        return Enumerable.Range(0, count).Select(i => files[i % files.Count]).Select(f => new BenchmarkImage(f.Path, File.ReadAllBytes(f.Path))).ToList();
    }

    /// <summary><paramref name="count"/> images cycling through up to four seeded synthetic JPEGs (so the figure includes a real decode).</summary>
    public static IReadOnlyList<BenchmarkImage> Synthetic(int width, int height, int count)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"synthetic images must be at least 1x1 (got {width}x{height})");
        var random = new Random(20241219);
        var made = Enumerable.Range(0, Math.Min(count, 4)).Select(i => new BenchmarkImage($"synthetic-{i}.jpg", Jpeg(width, height, random))).ToList();
        return Enumerable.Range(0, count).Select(i => made[i % made.Count]).ToList();
    }

    private static byte[] Jpeg(int width, int height, Random random)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            using var paint = new SKPaint();
            for (int i = 0; i < 40; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawRect(random.Next(width), random.Next(height), random.Next(1, width / 2 + 1), random.Next(1, height / 2 + 1), paint);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
