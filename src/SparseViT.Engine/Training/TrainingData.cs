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

    /// <summary>
    /// Samples start, start + 1, … made by <paramref name="workers"/> background threads, yielded in index order, each
    /// worker a few samples ahead of the consumer. Worker k makes the indices ≡ k (mod workers) and the consumer takes
    /// them round-robin, so the stream is the same whatever the number of workers (a GPU needs many to keep up).
    /// </summary>
    public IEnumerable<TrainingSample> Stream(long start, CancellationToken cancel, int workers = 1, int lookahead = 4)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "at least one sample worker");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var queues = new BlockingCollection<TrainingSample>[workers];
        var failures = new Exception?[workers];
        var threads = new Thread[workers];
        for (int k = 0; k < workers; k++)
        {
            int worker = k;
            queues[k] = new BlockingCollection<TrainingSample>(Math.Max(1, lookahead));
            threads[k] = new Thread(() =>
            {
                try
                {
                    for (long i = start + worker; !stop.IsCancellationRequested; i += workers) queues[worker].Add(Get(i), stop.Token);
                }
                catch (OperationCanceledException) { }
                catch (Exception e) { failures[worker] = e; }
                finally { queues[worker].CompleteAdding(); }
            }) { IsBackground = true, Name = $"sparsevit-samples-{worker}", Priority = ThreadPriority.BelowNormal };
            threads[k].Start();
        }
        try
        {
            for (long n = 0; ; n++)
            {
                int k = (int)(n % workers);
                if (!queues[k].TryTake(out var sample, Timeout.Infinite))
                {
                    // A worker only stops early when it failed or the run was cancelled.
                    if (failures[k] is { } failure)
                        throw new InvalidOperationException($"sample generation failed at sample {start + n}: {failure.Message}", failure);
                    yield break;
                }
                yield return sample;
            }
        }
        finally
        {
            // The consumer may stop early (end of run, exception): every worker must be done before its queue is disposed.
            stop.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var q in queues) q.Dispose();
        }
    }
}

/// <summary>Turns samples into the tensors the model and loss take.</summary>
public static class TrainingTensors
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// (B, 3, S, S) normalised with the ImageNet statistics the authors use, and (B, 1, S, S) masks in {0, 1}, on
    /// <paramref name="device"/> (default CPU). Bytes travel to the device and are normalised there as
    /// x · 1/(255·std) − mean/std in float32, the same two roundings on every device.
    /// </summary>
    public static (Tensor Images, Tensor Masks) Batch(IReadOnlyList<TrainingSample> samples, Device? device = null)
    {
        int b = samples.Count, s = samples[0].Size, plane = s * s;
        var pixels = new byte[b * 3 * plane];
        var masks = new byte[b * plane];
        for (int k = 0; k < b; k++)
        {
            if (samples[k].Size != s) throw new ArgumentException($"sample {k} is {samples[k].Size}², the batch is {s}²");
            samples[k].Image.Pixels.CopyTo(pixels, k * 3 * plane);
            samples[k].Mask.CopyTo(masks, k * plane);
        }
        using var scope = NewDisposeScope();
        var target = device ?? CPU;
        var scale = new float[3];
        var shift = new float[3];
        for (int c = 0; c < 3; c++)
        {
            scale[c] = 1f / (255f * Std[c]);
            shift[c] = Mean[c] / Std[c];
        }
        var hwc = tensor(pixels, [b, s, s, 3]).to(target);
        var images = hwc.permute(0, 3, 1, 2).to(ScalarType.Float32)
            .mul(tensor(scale, [1, 3, 1, 1]).to(target)).sub(tensor(shift, [1, 3, 1, 1]).to(target)).contiguous();
        var m = tensor(masks, [b, 1, s, s]).to(target).to(ScalarType.Float32);
        return (images.MoveToOuterDisposeScope(), m.MoveToOuterDisposeScope());
    }
}
