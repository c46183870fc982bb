using SparseViT.Engine.Imaging;

namespace SparseViT.Training.Data;

/// <summary>
/// Labelled images in the authors' layout: <c>Tp/</c> (images) and <c>Gt/</c> (masks, white = manipulated).
/// Pairs are matched by file stem (also accepting a "_gt"/"_mask" suffix on the mask); if no stem matches, the sorted
/// lists are paired by position, as the authors' loader does.
/// </summary>
public sealed class FolderDataset
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"];
    private readonly List<(string Image, string Mask)> _pairs;
    private readonly int _size;

    public FolderDataset(string root, int size = 512)
    {
        _size = size;
        string tp = Path.Combine(root, "Tp"), gt = Path.Combine(root, "Gt");
        if (!Directory.Exists(tp) || !Directory.Exists(gt))
            throw new ArgumentException($"{root}: expected sub-folders Tp/ (images) and Gt/ (masks)");
        var images = List(tp);
        var masks = List(gt);
        var byStem = masks.GroupBy(m => NormalizedStem(m)).ToDictionary(g => g.Key, g => g.First());
        _pairs = [];
        foreach (var image in images)
            if (byStem.TryGetValue(Path.GetFileNameWithoutExtension(image).ToLowerInvariant(), out var mask)) _pairs.Add((image, mask));
        if (_pairs.Count == 0 && images.Count == masks.Count)
            _pairs = images.Zip(masks).Select(p => (p.First, p.Second)).ToList();
        if (_pairs.Count == 0) throw new ArgumentException($"{root}: no image/mask pairs found");
    }

    public int Count => _pairs.Count;

    public string Root => Path.GetDirectoryName(Path.GetDirectoryName(_pairs[0].Image)!)!;

    /// <summary>The pair, resized to Size² (masks thresholded after the resize), mirrored half the time.</summary>
    public TrainingSample Load(int index, Random rng)
    {
        var (imagePath, maskPath) = _pairs[index];
        var image = Decode(imagePath);
        var maskImage = Decode(maskPath);
        bool flip = rng.NextDouble() < 0.5;
        // The authors resize with OpenCV's INTER_LINEAR (albumentations), as the product does at inference.
        var resized = OpenCvLinearResize.Resize(image, _size, _size);
        var maskResized = OpenCvLinearResize.Resize(maskImage, _size, _size);
        if (flip)
        {
            resized = MirrorHorizontally(resized);
            maskResized = MirrorHorizontally(maskResized);
        }
        var mask = new byte[_size * _size];
        for (int i = 0; i < mask.Length; i++)
        {
            int v = Math.Max(maskResized.Pixels[3 * i], Math.Max(maskResized.Pixels[3 * i + 1], maskResized.Pixels[3 * i + 2]));
            mask[i] = v >= 128 ? (byte)1 : (byte)0;
        }
        return new TrainingSample(resized, mask, ManipulationKind.Labelled);
    }

    private static RgbImage Decode(string path) => ImageDecoder.Decode(path).Image;

    private static RgbImage MirrorHorizontally(RgbImage image)
    {
        var px = new byte[image.Pixels.Length];
        int w = image.Width;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    px[(y * w + x) * 3 + c] = image.Pixels[(y * w + (w - 1 - x)) * 3 + c];
        return new RgbImage(w, image.Height, px);
    }

    private static List<string> List(string dir) => Directory.EnumerateFiles(dir)
        .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
        .OrderBy(f => f, StringComparer.Ordinal).ToList();

    private static string NormalizedStem(string maskPath)
    {
        string stem = Path.GetFileNameWithoutExtension(maskPath).ToLowerInvariant();
        foreach (var suffix in new[] { "_gt", "_mask", "-gt", "-mask" })
            if (stem.EndsWith(suffix, StringComparison.Ordinal)) return stem[..^suffix.Length];
        return stem;
    }
}
