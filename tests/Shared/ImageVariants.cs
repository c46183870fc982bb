using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Tests.Shared;

/// <summary>
/// Many distinct, photo-like test images from the few real ones in ../shared: crops of varied size and place, some
/// mirrored, some brightened. Distinct so that a map landing on the wrong image of a batch cannot go unnoticed.
/// </summary>
public static class ImageVariants
{
    /// <summary>The real images variants are cut from: the three tampered samples and the fixture's three cases.</summary>
    public static IReadOnlyList<string> Sources(string sharedDirectory)
    {
        var samples = Directory.GetFiles(Path.Combine(sharedDirectory, "samples", "tampered")).Order(StringComparer.Ordinal);
        var cases = new[] { "case1.jpg", "case2.jpg", "case3.png" }.Select(f => Path.Combine(sharedDirectory, "fixtures", "sparsevit-tiny", f));
        return [.. samples, .. cases];
    }

    public static IReadOnlyList<RgbImage> Make(string sharedDirectory, int count, int seed)
    {
        var sources = Sources(sharedDirectory).Select(f => ImageDecoder.Decode(f).Image).ToArray();
        var random = new Random(seed);
        var images = new List<RgbImage>(count);
        for (int i = 0; i < count; i++) images.Add(Variant(sources[i % sources.Length], random));
        return images;
    }

    /// <summary>Writes <paramref name="count"/> variants as JPEG (quality 92) and PNG (every fifth); returns their paths in name order.</summary>
    public static IReadOnlyList<string> WriteFiles(string sharedDirectory, string directory, int count, int seed)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>(count);
        var images = Make(sharedDirectory, count, seed);
        for (int i = 0; i < images.Count; i++)
        {
            bool png = i % 5 == 4;
            string path = Path.Combine(directory, $"variant_{i:D4}.{(png ? "png" : "jpg")}");
            File.WriteAllBytes(path, Encode(images[i], png));
            paths.Add(path);
        }
        return paths;
    }

    private static RgbImage Variant(RgbImage source, Random random)
    {
        int w = Math.Min(source.Width, 96 + random.Next(Math.Max(1, source.Width - 96)));
        int h = Math.Min(source.Height, 96 + random.Next(Math.Max(1, source.Height - 96)));
        int x0 = random.Next(source.Width - w + 1), y0 = random.Next(source.Height - h + 1);
        bool mirror = random.Next(2) == 1;
        int lift = random.Next(3) == 0 ? random.Next(1, 24) : 0;
        var pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int sx = x0 + (mirror ? w - 1 - x : x);
                int from = ((y0 + y) * source.Width + sx) * 3, to = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) pixels[to + c] = (byte)Math.Min(255, source.Pixels[from + c] + lift);
            }
        return new RgbImage(w, h, pixels);
    }

    private static byte[] Encode(RgbImage image, bool png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = image.Pixels[i];
            rgba[j + 1] = image.Pixels[i + 1];
            rgba[j + 2] = image.Pixels[i + 2];
            rgba[j + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 92);
        return data.ToArray();
    }
}
