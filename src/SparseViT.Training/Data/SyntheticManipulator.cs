using SkiaSharp;
using SparseViT.Engine.Imaging;

namespace SparseViT.Training.Data;

/// <summary>
/// Makes manipulated images from authentic photos on the fly: a random crop/scale of a photo, an edit inside a
/// random shape (splicing, copy-move, blur, noise, sharpening, resampling, smoothing inpainting), then an optional
/// JPEG recompression of the whole image. The mask is exactly the region whose pixels came from the edit.
/// Everything is drawn from the <see cref="Random"/> passed in, so a seed reproduces a sample bit for bit.
/// </summary>
public sealed class SyntheticManipulator
{
    private static readonly (ManipulationKind Kind, double Weight)[] DefaultMix =
    [
        (ManipulationKind.Splice, 0.28), (ManipulationKind.CopyMove, 0.14), (ManipulationKind.Blur, 0.13),
        (ManipulationKind.Noise, 0.12), (ManipulationKind.Sharpen, 0.08), (ManipulationKind.Resample, 0.10),
        (ManipulationKind.Inpaint, 0.10), (ManipulationKind.Authentic, 0.05),
    ];

    /// <summary>The share of unedited samples in <see cref="DefaultMix"/>.</summary>
    public const double DefaultAuthenticShare = 0.05;

    private readonly PhotoLibrary _photos;
    private readonly (ManipulationKind Kind, double Weight)[] _mix;
    private readonly double _fullFrameShare;

    /// <param name="authenticShare">Share of unedited samples (all-zero masks); the edits keep their relative weights.</param>
    /// <param name="fullFrameShare">
    /// Share of samples whose base is the whole photo (a mild crop of any aspect) brought to Size² by the product's own
    /// OpenCV-linear resize, as a scan sees a file, instead of a square crop. 0 draws nothing extra from the RNG, so the
    /// fixed held-out sets stay bit-identical.
    /// </param>
    public SyntheticManipulator(PhotoLibrary photos, int size = 512, IReadOnlyList<(ManipulationKind, double)>? mix = null,
        double authenticShare = DefaultAuthenticShare, double fullFrameShare = 0)
    {
        if (authenticShare is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(authenticShare), $"the authentic share must be in [0, 1) (got {authenticShare})");
        if (fullFrameShare is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fullFrameShare), $"the full-frame share must be in [0, 1] (got {fullFrameShare})");
        _photos = photos;
        Size = size;
        _mix = (mix ?? WithAuthenticShare(DefaultMix, authenticShare)).ToArray();
        _fullFrameShare = fullFrameShare;
    }

    public int Size { get; }

    private static (ManipulationKind Kind, double Weight)[] WithAuthenticShare((ManipulationKind Kind, double Weight)[] mix, double share)
    {
        double edits = mix.Where(m => m.Kind != ManipulationKind.Authentic).Sum(m => m.Weight);
        return mix.Select(m => m.Kind == ManipulationKind.Authentic ? (m.Kind, share) : (m.Kind, m.Weight / edits * (1 - share))).ToArray();
    }

    /// <summary>A sample whose RNG is derived from (seed, index): the same pair always gives the same sample.</summary>
    public TrainingSample Generate(int seed, long index) => Generate(new Random(SampleSeed.Of(seed, index, 0x5EED)));

    public TrainingSample Generate(Random rng, ManipulationKind? forced = null)
    {
        if (forced == ManipulationKind.Labelled) throw new ArgumentException("labelled samples come from a Tp/Gt folder, not from the generator");
        var kind = forced ?? PickKind(rng);
        var photoIndex = rng.Next(_photos.Count);
        RgbImage baseImage;
        if (_fullFrameShare > 0 && rng.NextDouble() < _fullFrameShare) baseImage = FullFrame(_photos.Photos[photoIndex], rng);
        else
        {
            baseImage = RandomCrop(_photos.Photos[photoIndex], rng);
            // Half the photos carry an earlier JPEG save, so that splices can disagree with their host's compression history.
            if (rng.NextDouble() < 0.5) baseImage = ImageOps.Jpeg(baseImage, rng.Next(60, 96));
        }
        int n = Size * Size;

        byte[] mask;
        RgbImage result;
        if (kind == ManipulationKind.Authentic)
        {
            mask = new byte[n];
            result = baseImage;
        }
        else
        {
            var (alpha, path) = EditRegion.Random(Size, rng);
            var baseF = ImageOps.ToFloat(baseImage);
            var layer = MakeLayer(kind, baseImage, baseF, alpha, path, photoIndex, rng);
            path.Dispose();
            result = ImageOps.FromFloat(ImageOps.Composite(baseF, layer, alpha), Size, Size);
            mask = new byte[n];
            for (int i = 0; i < n; i++) mask[i] = alpha[i] >= 0.5f ? (byte)1 : (byte)0;
        }
        if (rng.NextDouble() < 0.75) result = ImageOps.Jpeg(result, rng.Next(70, 99));
        return new TrainingSample(result, mask, kind);
    }

    private ManipulationKind PickKind(Random rng)
    {
        double total = _mix.Sum(m => m.Weight), r = rng.NextDouble() * total;
        foreach (var (kind, weight) in _mix)
        {
            if (r < weight) return kind;
            r -= weight;
        }
        return _mix[^1].Kind;
    }

    /// <summary>A random square crop (35–100 % of the short side, at least 256 px), scaled to Size² and maybe mirrored.</summary>
    private RgbImage RandomCrop(RgbImage photo, Random rng)
    {
        int shortSide = Math.Min(photo.Width, photo.Height);
        double minSide = Math.Min(shortSide, Math.Max(256, 0.35 * shortSide));
        double side = minSide + rng.NextDouble() * (shortSide - minSide);
        double x0 = rng.NextDouble() * (photo.Width - side), y0 = rng.NextDouble() * (photo.Height - side);
        float scale = (float)(Size / side);
        var m = SKMatrix.CreateTranslation((float)-x0, (float)-y0).PostConcat(SKMatrix.CreateScale(scale, scale));
        if (rng.NextDouble() < 0.5) m = m.PostConcat(SKMatrix.CreateScale(-1, 1, Size / 2f, 0));
        return ImageOps.Warp(photo, Size, Size, m);
    }

    /// <summary>
    /// The photo as a scan sees a file: maybe saved as JPEG at its own size first (a camera's or editor's save), a crop
    /// of 70–100 % of each side (any aspect), then the product's OpenCV-linear resize to Size², aliasing included.
    /// </summary>
    private RgbImage FullFrame(RgbImage photo, Random rng)
    {
        if (rng.NextDouble() < 0.6) photo = ImageOps.Jpeg(photo, rng.Next(70, 99));
        int w = Math.Max(1, (int)(photo.Width * (0.7 + 0.3 * rng.NextDouble()))), h = Math.Max(1, (int)(photo.Height * (0.7 + 0.3 * rng.NextDouble())));
        int x0 = rng.Next(photo.Width - w + 1), y0 = rng.Next(photo.Height - h + 1);
        var crop = new byte[w * h * 3];
        for (int y = 0; y < h; y++) Buffer.BlockCopy(photo.Pixels, ((y0 + y) * photo.Width + x0) * 3, crop, y * w * 3, w * 3);
        var resized = OpenCvLinearResize.Resize(new RgbImage(w, h, crop), Size, Size);
        if (rng.NextDouble() < 0.5)
        {
            var p = resized.Pixels;
            for (int y = 0; y < Size; y++)
            for (int a = y * Size * 3, b = a + (Size - 1) * 3; a < b; a += 3, b -= 3)
            for (int c = 0; c < 3; c++) (p[a + c], p[b + c]) = (p[b + c], p[a + c]);
        }
        return resized;
    }

    private float[] MakeLayer(ManipulationKind kind, RgbImage image, float[] f, float[] alpha, SKPath region, int photoIndex, Random rng)
    {
        var bounds = region.Bounds;
        float cx = bounds.MidX, cy = bounds.MidY;
        switch (kind)
        {
            case ManipulationKind.Splice:
            {
                int donorIndex = _photos.Count > 1 ? (photoIndex + 1 + rng.Next(_photos.Count - 1)) % _photos.Count : photoIndex;
                var donor = RandomCrop(_photos.Photos[donorIndex], rng);
                if (rng.NextDouble() < 0.5) donor = ImageOps.Jpeg(donor, rng.Next(40, 91));
                var d = ImageOps.ToFloat(donor);
                if (rng.NextDouble() < 0.2) d = ImageOps.GaussianBlur(d, Size, Size, 3, 0.6f + 0.9f * rng.NextSingle());
                if (rng.NextDouble() < 0.3) AddNoise(d, 2 + 6 * rng.NextSingle(), rng, luminanceOnly: false);
                if (rng.NextDouble() < 0.3)
                {
                    float gain = 0.85f + 0.3f * rng.NextSingle(), offset = -15 + 30 * rng.NextSingle();
                    for (int i = 0; i < d.Length; i++) d[i] = d[i] * gain + offset;
                }
                return d;
            }
            case ManipulationKind.CopyMove:
            {
                // Source = destination − shift, so the layer is the image moved by the shift (plus a mild rotation/scale).
                float angle = -15 + 30 * rng.NextSingle(), s = 0.85f + 0.3f * rng.NextSingle();
                float dist = 40 + rng.NextSingle() * Size * 0.4f, theta = rng.NextSingle() * MathF.Tau;
                float dx = dist * MathF.Cos(theta), dy = dist * MathF.Sin(theta);
                var m = SKMatrix.CreateRotationDegrees(angle, cx - dx, cy - dy)
                    .PostConcat(SKMatrix.CreateScale(s, s, cx - dx, cy - dy))
                    .PostConcat(SKMatrix.CreateTranslation(dx, dy));
                return ImageOps.ToFloat(ImageOps.Warp(image, Size, Size, m));
            }
            case ManipulationKind.Blur:
                return ImageOps.GaussianBlur(f, Size, Size, 3, 1.2f + 2.8f * rng.NextSingle());
            case ManipulationKind.Noise:
            {
                var noisy = (float[])f.Clone();
                AddNoise(noisy, 4 + 11 * rng.NextSingle(), rng, luminanceOnly: rng.NextDouble() < 0.3);
                return noisy;
            }
            case ManipulationKind.Sharpen:
            {
                var blurred = ImageOps.GaussianBlur(f, Size, Size, 3, 1 + 1.5f * rng.NextSingle());
                float k = 1 + 2 * rng.NextSingle();
                var sharp = new float[f.Length];
                for (int i = 0; i < f.Length; i++) sharp[i] = f[i] + k * (f[i] - blurred[i]);
                return sharp;
            }
            case ManipulationKind.Resample:
            {
                if (rng.NextDouble() < 0.5)
                {
                    float s = 1.25f + 0.75f * rng.NextSingle();
                    return ImageOps.ToFloat(ImageOps.Warp(image, Size, Size, SKMatrix.CreateScale(s, s, cx, cy), cubic: rng.NextDouble() < 0.5));
                }
                int small = (int)(Size * (0.3 + 0.3 * rng.NextDouble()));
                return ImageOps.ToFloat(ImageOps.Resize(ImageOps.Resize(image, small, small), Size, Size));
            }
            case ManipulationKind.Inpaint:
                return SmoothFill(f, alpha, Math.Max(bounds.Width, bounds.Height));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>
    /// Smoothing-based inpainting: the region is rebuilt from its surroundings by normalized convolution
    /// (blur of the known pixels divided by blur of the known-pixel indicator), widening the kernel until every
    /// pixel has support. It is what simple "remove object" tools produce: plausible color, no texture, no noise.
    /// </summary>
    private float[] SmoothFill(float[] f, float[] alpha, float extent)
    {
        int n = Size * Size;
        var known = new float[n];
        var weighted = new float[f.Length];
        for (int p = 0; p < n; p++)
        {
            known[p] = alpha[p] > 0.01f ? 0 : 1;
            for (int c = 0; c < 3; c++) weighted[3 * p + c] = f[3 * p + c] * known[p];
        }
        var result = (float[])f.Clone();
        var done = new bool[n];
        for (int p = 0; p < n; p++) done[p] = known[p] > 0;
        float sigma = Math.Max(4, extent / 6);
        for (int level = 0; level < 5; level++, sigma *= 2)
        {
            var num = ImageOps.GaussianBlur(weighted, Size, Size, 3, sigma);
            var den = ImageOps.GaussianBlur(known, Size, Size, 1, sigma);
            bool remaining = false;
            for (int p = 0; p < n; p++)
            {
                if (done[p]) continue;
                if (den[p] > 0.02f || level == 4)
                {
                    float inv = 1f / Math.Max(den[p], 1e-6f);
                    for (int c = 0; c < 3; c++) result[3 * p + c] = num[3 * p + c] * inv;
                    done[p] = true;
                }
                else remaining = true;
            }
            if (!remaining) break;
        }
        return result;
    }

    private static void AddNoise(float[] f, float sigma, Random rng, bool luminanceOnly)
    {
        for (int p = 0; p < f.Length / 3; p++)
        {
            if (luminanceOnly)
            {
                float g = sigma * Gaussian(rng);
                for (int c = 0; c < 3; c++) f[3 * p + c] += g;
            }
            else
            {
                for (int c = 0; c < 3; c++) f[3 * p + c] += sigma * Gaussian(rng);
            }
        }
    }

    private static float Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
