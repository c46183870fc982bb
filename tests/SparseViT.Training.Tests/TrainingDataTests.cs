using SparseViT.Engine.Imaging;
using SparseViT.Training.Data;

namespace SparseViT.Training.Tests;

/// <summary>Samples, photo libraries, folder datasets and the sample stream.</summary>
public sealed partial class TrainingTests
{
    [Fact]
    public void SyntheticSamplesAreReproducibleAndMasked()
    {
        var photos = GeneratedPhotos(3, 600);
        var m = new SyntheticManipulator(photos);
        foreach (var kind in Enum.GetValues<ManipulationKind>().Where(k => k != ManipulationKind.Labelled))
        {
            var s1 = m.Generate(new Random(11), kind);
            var s2 = m.Generate(new Random(11), kind);
            Assert.Equal(s1.Image.Pixels, s2.Image.Pixels);
            Assert.Equal(s1.Mask, s2.Mask);
            Assert.Equal(512, s1.Image.Width);
            double area = s1.Mask.Count(v => v != 0) / (double)s1.Mask.Length;
            if (kind == ManipulationKind.Authentic) Assert.Equal(0, area);
            else Assert.InRange(area, 0.005, 0.45);
        }
    }

    [Fact]
    public void AuthenticShareAndFullFrameViewsAreDrawnAsAsked()
    {
        var photos = GeneratedPhotos(3, 300);
        var quiet = new SyntheticManipulator(photos, 64, authenticShare: 0.4, fullFrameShare: 0.5);
        var kinds = Enumerable.Range(0, 600).Select(i => quiet.Generate(21, i).Kind).ToList();
        double authentic = kinds.Count(k => k == ManipulationKind.Authentic) / 600.0;
        Assert.InRange(authentic, 0.34, 0.46); // 0.4 ± 3 standard errors
        // The edits keep their relative weights: splice stays twice copy-move.
        double splice = kinds.Count(k => k == ManipulationKind.Splice), copyMove = kinds.Count(k => k == ManipulationKind.CopyMove);
        Assert.InRange(splice / copyMove, 1.4, 2.8);

        // With a full-frame share of 0 nothing extra is drawn from the RNG: the stream (and so every fixed held-out set)
        // is the old one, bit for bit.
        var plain = new SyntheticManipulator(photos, 64);
        var zeroShare = new SyntheticManipulator(photos, 64, fullFrameShare: 0);
        for (int i = 0; i < 20; i++) Assert.Equal(plain.Generate(3, i).Image.Pixels, zeroShare.Generate(3, i).Image.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticManipulator(photos, 64, authenticShare: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticManipulator(photos, 64, fullFrameShare: 1.5));
    }

    [Fact]
    public void EvaluationSetsCarryUneditedSamplesWithBlackMasks()
    {
        var photos = GeneratedPhotos(2, 300);
        var set = new Evaluation.SyntheticEvaluation(photos, count: 7, seed: 5, size: 64, authenticCount: 3);
        Assert.Equal(7, set.Samples.Count);
        Assert.All(set.Samples, s => Assert.NotEqual(ManipulationKind.Authentic, s.Kind));
        Assert.Equal(3, set.Authentic.Count);
        Assert.All(set.Authentic, s => Assert.All(s.Mask, v => Assert.Equal(0, v)));
        string root = Directory.CreateTempSubdirectory("evalset-").FullName;
        try
        {
            set.WriteFolder(root);
            Assert.Equal(10, Directory.GetFiles(Path.Combine(root, "Tp")).Length);
            Assert.Equal(3, Directory.GetFiles(Path.Combine(root, "Gt"), "*-authentic.png").Length);
            // The edits are the same images with or without unedited samples beside them.
            var without = new Evaluation.SyntheticEvaluation(photos, count: 7, seed: 5, size: 64);
            for (int i = 0; i < 7; i++) Assert.Equal(without.Samples[i].Image.Pixels, set.Samples[i].Image.Pixels);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void SampleSeedsAreTheSameInEveryProcess()
    {
        // Expected values from an independent SplitMix64 written in Python; HashCode.Combine (per-process random) would
        // give a different held-out set in every run.
        Assert.Equal(1484626960, SampleSeed.Of(20250, 0, 0xE7A1));
        Assert.Equal(1067381987, SampleSeed.Of(1, -1, 0x5EED));
        Assert.Equal(1686820324, SampleSeed.Of(3, 123456789012, 0x7A11));
    }

    [Fact]
    public void WallpaperResolutionsShareOneIdentityAndSplit()
    {
        string a = Path.Combine("/usr/share/wallpapers/Altai/contents/images/1920x1080.jpg");
        string b = Path.Combine("/usr/share/wallpapers/Altai/contents/images_dark/5120x2880.png");
        Assert.Equal("altai", PhotoLibrary.IdentityOf(a));
        Assert.Equal(PhotoLibrary.IdentityOf(a), PhotoLibrary.IdentityOf(b));
        Assert.Equal("kleiber_by_lukas_baubkus", PhotoLibrary.IdentityOf("/x/Kleiber_by_Lukas_Baubkus.jpg"));
        Assert.Equal(PhotoSplit.HeldOut, PhotoLibrary.SplitOf("kleiber_by_lukas_baubkus"));
    }

    [Fact]
    public void FolderDatasetPairsImagesWithMasksByStem()
    {
        string root = NewDatasetFolder("ds");
        var image = GeneratedPhotos(1, 300).Photos[0];
        var maskPixels = new byte[300 * 300 * 3];
        for (int y = 0; y < 300; y++)
            for (int x = 150; x < 300; x++)
                maskPixels[(y * 300 + x) * 3] = maskPixels[(y * 300 + x) * 3 + 1] = maskPixels[(y * 300 + x) * 3 + 2] = 255;
        Save(image, Path.Combine(root, "Tp", "a.png"));
        Save(new RgbImage(300, 300, maskPixels), Path.Combine(root, "Gt", "a_gt.png"));

        var dataset = new FolderDataset(root);
        Assert.Equal(1, dataset.Count);
        var sample = dataset.Load(0, new Random(1));
        Assert.Equal(512, sample.Image.Width);
        double area = sample.Mask.Count(v => v != 0) / (double)sample.Mask.Length;
        Assert.InRange(area, 0.48, 0.52);
    }

    [Fact]
    public void StreamIsTheSameSequenceWhateverTheNumberOfWorkers()
    {
        var photos = GeneratedPhotos(2, 320);
        var source = new SampleSource([], new SyntheticManipulator(photos, 128), seed: 7);
        var expected = Enumerable.Range(0, 7).Select(i => source.Get(40 + i)).ToList();
        foreach (int workers in new[] { 1, 3 })
        {
            var streamed = source.Stream(40, CancellationToken.None, workers).Take(7).ToList();
            Assert.Equal(expected.Count, streamed.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Kind, streamed[i].Kind);
                Assert.Equal(expected[i].Image.Pixels, streamed[i].Image.Pixels);
                Assert.Equal(expected[i].Mask, streamed[i].Mask);
            }
        }
    }

    [Fact]
    public void StreamReportsAFailingWorkerWithTheSampleIndex()
    {
        // A labelled pair deleted after the dataset was listed: the worker's decode fails, and the consumer must hear why.
        string root = NewDatasetFolder("vanishing");
        var image = GeneratedPhotos(1, 64).Photos[0];
        Save(image, Path.Combine(root, "Tp", "a.png"));
        Save(image, Path.Combine(root, "Gt", "a.png"));
        var source = new SampleSource([new FolderDataset(root, 64)], null, seed: 1);
        File.Delete(Path.Combine(root, "Tp", "a.png"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => source.Stream(0, CancellationToken.None, workers: 2).Take(3).ToList());
        Assert.Contains("sample generation failed at sample 0", error.Message);
    }

    [Fact]
    public void BatchNormalizesExactlyAsTheAuthorsOperationOrder()
    {
        var photos = GeneratedPhotos(2, 300);
        var manipulator = new SyntheticManipulator(photos, 64);
        var samples = Enumerable.Range(0, 3).Select(i => manipulator.Generate(5, i)).ToList();
        var (images, masks) = TrainingTensors.Batch(samples);
        Assert.Equal(new long[] { 3, 3, 64, 64 }, images.shape);
        Assert.Equal(new long[] { 3, 1, 64, 64 }, masks.shape);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var got = images.data<float>().ToArray();
        var gotMasks = masks.data<float>().ToArray();
        int plane = 64 * 64;
        for (int k = 0; k < 3; k++)
            for (int c = 0; c < 3; c++)
            {
                // The per-pixel float arithmetic of the CPU loop this replaced: x · (1 / (255·std)) − mean/std.
                float scale = 1f / (255f * std[c]), shift = mean[c] / std[c];
                for (int p = 0; p < plane; p++)
                {
                    float expected = samples[k].Image.Pixels[3 * p + c] * scale - shift;
                    Assert.Equal(expected, got[(k * 3 + c) * plane + p]);
                }
            }
        for (int k = 0; k < 3; k++)
            for (int p = 0; p < plane; p++)
                Assert.Equal(samples[k].Mask[p], (byte)gotMasks[k * plane + p]);
    }

    [Fact]
    public void ExportedPhotosReloadWithTheSameIdentitiesAndSplit()
    {
        var photos = GeneratedPhotos(3, 400);
        string folder = Path.Combine(_dir, "pack");
        long bytes = photos.Export(folder, quality: 95);
        Assert.True(bytes > 0);
        Assert.Equal(photos.Identities.OrderBy(i => i, StringComparer.Ordinal), PhotoLibrary.Discover([folder]).Select(d => d.Identity));
        var reloaded = PhotoLibrary.Load([folder], PhotoSplit.All);
        Assert.Equal(photos.Count, reloaded.Count);
        for (int i = 0; i < photos.Count; i++)
        {
            int j = reloaded.Identities.ToList().IndexOf(photos.Identities[i]);
            var a = photos.Photos[i].Pixels;
            var b = reloaded.Photos[j].Pixels;
            Assert.Equal(a.Length, b.Length);
            double meanAbs = a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
            Assert.True(meanAbs < 2.0, $"JPEG q95 copy differs by {meanAbs:F2} on average");
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }
}
