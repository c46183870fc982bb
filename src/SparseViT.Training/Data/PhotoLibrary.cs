using System.Text;
using System.Text.RegularExpressions;
using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Training.Data;

/// <summary>
/// Authentic photos for synthetic manipulations, decoded once and kept in memory at a bounded size.
/// Photos are split into training and held-out sets by a stable hash of their identity, so evaluation never sees
/// a photo (or another resolution of the same wallpaper) that training used.
/// </summary>
public sealed partial class PhotoLibrary
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    /// <summary>One in this many identities (by hash) is held out.</summary>
    public const int HeldOutModulus = 5;

    private PhotoLibrary(IReadOnlyList<RgbImage> photos, IReadOnlyList<string> identities)
    {
        Photos = photos;
        Identities = identities;
    }

    public IReadOnlyList<RgbImage> Photos { get; }

    /// <summary>The identity of each photo (same order as <see cref="Photos"/>), for reports.</summary>
    public IReadOnlyList<string> Identities { get; }

    public int Count => Photos.Count;

    /// <summary>A library of images already in memory (tests, or photos decoded elsewhere).</summary>
    public static PhotoLibrary FromImages(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0) throw new ArgumentException("no photos");
        return new PhotoLibrary(images, images.Select((_, i) => $"image{i}").ToList());
    }

    /// <summary>
    /// Finds, splits and decodes the photos under <paramref name="folders"/>. Images whose short side is below
    /// <paramref name="minSide"/> are skipped (icons, test patterns), as are screenshots/previews; large photos are
    /// reduced so their short side is at most <paramref name="maxShortSide"/>.
    /// </summary>
    public static PhotoLibrary Load(IEnumerable<string> folders, PhotoSplit split, int minSide = 256, int maxShortSide = 1024)
    {
        var chosen = Discover(folders).Where(p => split == PhotoSplit.All || SplitOf(p.Identity) == split).ToList();
        var photos = new RgbImage?[chosen.Count];
        Parallel.For(0, chosen.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            photos[i] = TryDecode(chosen[i].Path, minSide, maxShortSide);
        });
        var kept = new List<RgbImage>();
        var ids = new List<string>();
        for (int i = 0; i < chosen.Count; i++)
        {
            if (photos[i] is null) continue;
            kept.Add(photos[i]!);
            ids.Add(chosen[i].Identity);
        }
        if (kept.Count == 0)
            throw new ArgumentException($"no usable photos ({split}) under {string.Join(", ", folders)}; run checkpoints/training/install-photos.sh or name another photo folder");
        return new PhotoLibrary(kept, ids);
    }

    /// <summary>
    /// Writes every photo as <c>&lt;identity&gt;.jpg</c> (atomically, temp + rename): a portable copy of the library at the
    /// size training uses, for a host without the photo packages (a leased GPU). Loading the folder gives the same
    /// identities, hence the same train / held-out split. Returns the bytes written.
    /// </summary>
    public long Export(string folder, int quality = 92)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), "JPEG quality is 1–100");
        Directory.CreateDirectory(folder);
        long total = 0;
        for (int i = 0; i < Count; i++)
        {
            string path = Path.Combine(folder, Identities[i] + ".jpg"), temp = path + ".tmp";
            using (var bitmap = ImageOps.ToBitmap(Photos[i]))
            using (var file = File.Create(temp))
            {
                if (!bitmap.Encode(file, SKEncodedImageFormat.Jpeg, quality)) throw new IOException($"could not encode {Identities[i]} as JPEG");
                total += file.Length;
            }
            File.Move(temp, path, overwrite: true);
        }
        return total;
    }

    /// <summary>Every candidate file with its identity, one file per identity (the one closest to 2560 pixels wide).</summary>
    public static IReadOnlyList<(string Path, string Identity)> Discover(IEnumerable<string> folders)
    {
        var byIdentity = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"photo folder not found: {folder}");
            var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Where(f => !Path.GetFileName(f).Contains("screenshot", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                string id = IdentityOf(file);
                if (!byIdentity.TryGetValue(id, out var existing) || Preference(file) < Preference(existing))
                    byIdentity[id] = file;
            }
        }
        return byIdentity.Select(kv => (kv.Value, kv.Key)).ToList();
    }

    /// <summary>
    /// Wallpaper packages ship one picture at many resolutions (…/Name/contents/images/1920x1080.jpg); those are one
    /// photo, named by the package folder. Anything else is named by its file name without extension.
    /// </summary>
    public static string IdentityOf(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        if (ResolutionName().IsMatch(name))
        {
            var dir = new DirectoryInfo(Path.GetDirectoryName(path)!);
            while (dir is not null && (dir.Name.StartsWith("images", StringComparison.OrdinalIgnoreCase) || dir.Name == "contents"))
                dir = dir.Parent;
            return (dir?.Name ?? name).ToLowerInvariant();
        }
        return name.ToLowerInvariant();
    }

    public static PhotoSplit SplitOf(string identity) => Fnv1a(identity) % HeldOutModulus == 0 ? PhotoSplit.HeldOut : PhotoSplit.Train;

    private static long Preference(string path)
    {
        var m = ResolutionName().Match(Path.GetFileNameWithoutExtension(path));
        // Prefer the light variant and a width near 2560: enough detail for random crops, cheap to decode.
        long dark = path.Contains("images_dark", StringComparison.OrdinalIgnoreCase) ? 1_000_000 : 0;
        return m.Success ? dark + Math.Abs(int.Parse(m.Groups[1].Value) - 2560) : dark;
    }

    internal static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619;
        }
        return hash;
    }

    private static RgbImage? TryDecode(string path, int minSide, int maxShortSide)
    {
        try
        {
            using var codec = SKCodec.Create(path);
            if (codec is null) return null;
            var info = codec.Info;
            if (Math.Min(info.Width, info.Height) < minSide) return null;
            // Let the JPEG decoder do most of the reduction (DCT scaling), then finish with a filtered resize.
            float wanted = Math.Min(1f, (float)maxShortSide / Math.Min(info.Width, info.Height));
            var scaled = codec.GetScaledDimensions(Math.Max(wanted, 0.125f));
            if (Math.Min(scaled.Width, scaled.Height) < Math.Min(maxShortSide, Math.Min(info.Width, info.Height))) scaled = info.Size;
            var decodeInfo = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var bitmap = new SKBitmap(decodeInfo);
            var result = codec.GetPixels(decodeInfo, bitmap.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return null;
            var image = ImageOps.FromBitmap(bitmap);
            int shortSide = Math.Min(image.Width, image.Height);
            if (shortSide > maxShortSide)
            {
                double f = (double)maxShortSide / shortSide;
                image = ImageOps.Resize(image, (int)Math.Round(image.Width * f), (int)Math.Round(image.Height * f));
            }
            return image;
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(\d{3,5})x(\d{3,5})$")]
    private static partial Regex ResolutionName();
}
