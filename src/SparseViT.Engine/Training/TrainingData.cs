using System.Collections.Concurrent;
using SparseViT.Engine.Imaging;
using static TorchSharp.torch;

namespace SparseViT.Engine.Training;

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
            throw new ArgumentException($"--data {root}: expected sub-folders Tp/ (images) and Gt/ (masks)");
        var images = List(tp);
        var masks = List(gt);
        var byStem = masks.GroupBy(m => NormalisedStem(m)).ToDictionary(g => g.Key, g => g.First());
        _pairs = [];
        foreach (var image in images)
            if (byStem.TryGetValue(Path.GetFileNameWithoutExtension(image).ToLowerInvariant(), out var mask)) _pairs.Add((image, mask));
        if (_pairs.Count == 0 && images.Count == masks.Count)
            _pairs = images.Zip(masks).Select(p => (p.First, p.Second)).ToList();
        if (_pairs.Count == 0) throw new ArgumentException($"--data {root}: no image/mask pairs found");
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

    private static string NormalisedStem(string maskPath)
    {
        string stem = Path.GetFileNameWithoutExtension(maskPath).ToLowerInvariant();
        foreach (var suffix in new[] { "_gt", "_mask", "-gt", "-mask" })
            if (stem.EndsWith(suffix, StringComparison.Ordinal)) return stem[..^suffix.Length];
        return stem;
    }
}

/// <summary>
/// The endless, reproducible stream of training samples: sample <c>i</c> is drawn from its own RNG seeded by
/// (seed, i), so a resumed run continues with exactly the samples it would have seen. Folder data and synthetic
/// edits are mixed by <see cref="SyntheticFraction"/>.
/// </summary>
public sealed class SampleSource
{
    private readonly IReadOnlyList<FolderDataset> _folders;
    private readonly SyntheticManipulator? _synthetic;
    private readonly int _seed;

    public SampleSource(IReadOnlyList<FolderDataset> folders, SyntheticManipulator? synthetic, int seed, double syntheticFraction = 0.5)
    {
        if (folders.Count == 0 && synthetic is null) throw new ArgumentException("training needs --data and/or --photos");
        _folders = folders;
        _synthetic = synthetic;
        _seed = seed;
        SyntheticFraction = synthetic is null ? 0 : folders.Count == 0 ? 1 : syntheticFraction;
    }

    public double SyntheticFraction { get; }

    public TrainingSample Get(long index)
    {
        var rng = new Random(SampleSeed.Of(_seed, index, 0x7A11));
        if (_synthetic is not null && rng.NextDouble() < SyntheticFraction) return _synthetic.Generate(rng);
        var folder = _folders[rng.Next(_folders.Count)];
        return folder.Load(rng.Next(folder.Count), rng);
    }

    /// <summary>Samples [start, start + count) made on a background thread, in order, a few batches ahead of the consumer.</summary>
    public IEnumerable<TrainingSample> Stream(long start, CancellationToken cancel, int lookahead = 16)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var queue = new BlockingCollection<TrainingSample>(lookahead);
        Exception? failure = null;
        var producer = new Thread(() =>
        {
            try
            {
                for (long i = start; !stop.IsCancellationRequested; i++) queue.Add(Get(i), stop.Token);
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { failure = e; }
            finally { queue.CompleteAdding(); }
        }) { IsBackground = true, Name = "sparsevit-samples", Priority = ThreadPriority.BelowNormal };
        producer.Start();
        try
        {
            foreach (var sample in queue.GetConsumingEnumerable(CancellationToken.None))
                yield return sample;
            if (failure is not null) throw new InvalidOperationException("sample generation failed: " + failure.Message, failure);
        }
        finally
        {
            // The consumer may stop early (end of run, exception): the producer must be done before the queue is disposed.
            stop.Cancel();
            producer.Join();
        }
    }
}

/// <summary>Turns samples into the tensors the model and loss take.</summary>
public static class TrainingTensors
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>(B, 3, S, S) normalised with the ImageNet statistics the authors use, and (B, 1, S, S) masks in {0, 1}.</summary>
    public static (Tensor Images, Tensor Masks) Batch(IReadOnlyList<TrainingSample> samples)
    {
        int b = samples.Count, s = samples[0].Size, plane = s * s;
        var images = new float[b * 3 * plane];
        var masks = new float[b * plane];
        for (int k = 0; k < b; k++)
        {
            var px = samples[k].Image.Pixels;
            int o = k * 3 * plane;
            for (int c = 0; c < 3; c++)
            {
                float scale = 1f / (255f * Std[c]), shift = Mean[c] / Std[c];
                for (int p = 0; p < plane; p++) images[o + c * plane + p] = px[3 * p + c] * scale - shift;
            }
            var m = samples[k].Mask;
            for (int p = 0; p < plane; p++) masks[k * plane + p] = m[p];
        }
        return (tensor(images, [b, 3, s, s]), tensor(masks, [b, 1, s, s]));
    }
}
