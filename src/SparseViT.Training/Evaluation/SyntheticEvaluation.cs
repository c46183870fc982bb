using SparseViT.Engine.Imaging;
using SparseViT.Engine.Metrics;
using SparseViT.Engine.Model;
using SparseViT.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Training.Evaluation;

/// <summary>
/// A fixed set of synthetic manipulations of held-out photos (same seed → same images), and the pixel-level scores
/// of a model on it: per-image F1 at threshold 0.5, averaged over images (the IMDL-BenCo convention; an image whose
/// prediction has no true positive scores 0). Authentic samples are kept apart (<see cref="Authentic"/>): they have no
/// pixel F1 worth averaging, and serve image-level measurement (calibration, false-positive rates) when written out.
/// </summary>
public sealed class SyntheticEvaluation
{
    /// <param name="authenticCount">Unedited samples of the same photos, half of them through the scan's own resize.</param>
    public SyntheticEvaluation(PhotoLibrary heldOut, int count, int seed, int size = 512, int authenticCount = 0)
    {
        var manipulator = new SyntheticManipulator(heldOut, size);
        var samples = new TrainingSample[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var rng = new Random(SampleSeed.Of(seed, i, 0xE7A1));
            var kinds = Enum.GetValues<ManipulationKind>().Where(k => k is not (ManipulationKind.Authentic or ManipulationKind.Labelled)).ToArray();
            // Kinds in rotation so every edit type is measured on the same number of images.
            samples[i] = manipulator.Generate(rng, kinds[i % kinds.Length]);
        });
        Samples = samples;
        var plain = new SyntheticManipulator(heldOut, size, fullFrameShare: 0.5);
        var authentic = new TrainingSample[authenticCount];
        Parallel.For(0, authenticCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            authentic[i] = plain.Generate(new Random(SampleSeed.Of(seed, i, 0xA07E)), ManipulationKind.Authentic);
        });
        Authentic = authentic;
    }

    /// <summary>The edits, which <see cref="Evaluate"/> scores.</summary>
    public IReadOnlyList<TrainingSample> Samples { get; }

    /// <summary>Unedited samples (all-zero masks), written after the edits by <see cref="WriteFolder"/>.</summary>
    public IReadOnlyList<TrainingSample> Authentic { get; }

    /// <summary>
    /// The set as the authors' layout: <c>Tp/NNNN-kind.png</c> and <c>Gt/NNNN-kind.png</c> (white = edited; all black for
    /// the authentic samples, numbered after the edits). PNG keeps the pixels exact.
    /// </summary>
    public void WriteFolder(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "Tp"));
        Directory.CreateDirectory(Path.Combine(root, "Gt"));
        var all = Samples.Concat(Authentic).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            var s = all[i];
            string name = $"{i:D4}-{s.Kind.ToString().ToLowerInvariant()}.png";
            var mask = new byte[s.Mask.Length * 3];
            for (int p = 0; p < s.Mask.Length; p++) mask[3 * p] = mask[3 * p + 1] = mask[3 * p + 2] = s.Mask[p] != 0 ? (byte)255 : (byte)0;
            SavePng(s.Image, Path.Combine(root, "Tp", name));
            SavePng(new RgbImage(s.Size, s.Size, mask), Path.Combine(root, "Gt", name));
        }
    }

    private static void SavePng(RgbImage image, string path)
    {
        using var bitmap = ImageOps.ToBitmap(image);
        using var file = File.Create(path);
        bitmap.Encode(file, SkiaSharp.SKEncodedImageFormat.Png, 100);
    }

    /// <summary>Scores <paramref name="model"/>, which must already be on <paramref name="device"/> (default CPU).</summary>
    public SyntheticEvaluationResult Evaluate(SparseViTModel model, int batchSize = 4, Device? device = null)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var f1 = new double[Samples.Count];
            var iou = new double[Samples.Count];
            double lossSum = 0;
            for (int start = 0; start < Samples.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = Samples.Skip(start).Take(batchSize).ToList();
                var (images, masks) = TrainingTensors.Batch(batch, device);
                var logits = model.UpsampledLogits(images);
                lossSum += nn.functional.binary_cross_entropy_with_logits(logits, masks).item<float>() * batch.Count;
                using var zero = 0.0.ToScalar(); // explicit, so it outlives the call (see NativeScalars)
                var predicted = logits.gt(zero).to(ScalarType.Byte).cpu().data<byte>().ToArray(); // sigmoid(x) > 0.5 ⇔ x > 0
                int plane = batch[0].Size * batch[0].Size;
                for (int k = 0; k < batch.Count; k++)
                    (f1[start + k], iou[start + k]) = PixelScores(predicted.AsSpan(k * plane, plane), batch[k].Mask);
            }
            var byKind = Samples.Select((s, i) => (s.Kind, F1: f1[i])).GroupBy(x => x.Kind)
                .ToDictionary(g => g.Key, g => (g.Count(), g.Average(x => x.F1)));
            return new SyntheticEvaluationResult(Samples.Count, f1.Average(), iou.Average(), lossSum / Samples.Count, byKind);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>F1 and IoU of a binary prediction against a binary mask; 0 when there is nothing to find and nothing found.</summary>
    public static (double F1, double IoU) PixelScores(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> truth)
    {
        var counts = PixelConfusion.Count(predicted, truth);
        return (counts.F1(EmptyMaskScore.Zero), counts.IoU(EmptyMaskScore.Zero));
    }
}
