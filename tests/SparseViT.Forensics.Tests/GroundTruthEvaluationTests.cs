using SparseViT.Engine.Inference;
using SparseViT.Forensics.Metrics;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests;

public class GroundTruthEvaluationTests
{
    [Fact]
    public void MasksAreFoundByStemWithTheDatasetsSuffixes()
    {
        var samples = new GroundTruthFolder(RepoPaths.Shared("samples", "ground-truth"));
        Assert.Equal(Path.GetFullPath(RepoPaths.GroundTruth("sample_1.png")), samples.FindMask(RepoPaths.Sample("sample_1.jpg")));
        Assert.Equal(Path.GetFullPath(RepoPaths.GroundTruth("sample_3.jpg")), samples.FindMask(RepoPaths.Sample("sample_3.jpg")));
        Assert.Null(samples.FindMask("/elsewhere/not_in_the_folder.jpg"));

        string folder = Directory.CreateTempSubdirectory("svit-gt-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "Tp_0001_gt.png"), [0]);
            Assert.Equal(Path.Combine(folder, "Tp_0001_gt.png"), new GroundTruthFolder(folder).FindMask("/data/Tp/Tp_0001.jpg"));
        }
        finally { Directory.Delete(folder, recursive: true); }
        Assert.Throws<DirectoryNotFoundException>(() => new GroundTruthFolder(Path.Combine(folder, "gone")));
    }

    [Fact]
    public void AnImageMeasuredAgainstItsMaskAndAWrongMaskIsRefused()
    {
        using var predictor = SparseViTPredictor.Load(RepoPaths.Shared("fixtures", "sparsevit-tiny", "checkpoint.pth"), new PredictorOptions { Device = "cpu" });
        var evaluation = ImageEvaluation.Measure(predictor, RepoPaths.Sample("sample_1.jpg"), RepoPaths.GroundTruth("sample_1.png"), 0.5);
        Assert.True(evaluation.IsManipulated);
        Assert.NotNull(evaluation.Pixel);
        Assert.Equal(384L * 256, evaluation.Pixel!.TruePositives + evaluation.Pixel.FalsePositives + evaluation.Pixel.FalseNegatives + evaluation.Pixel.TrueNegatives);
        Assert.InRange(evaluation.Score, 0, 1);

        var unlabelled = ImageEvaluation.Measure(predictor, RepoPaths.Sample("sample_1.jpg"), null, 0.5);
        Assert.False(unlabelled.IsManipulated);
        Assert.Equal(evaluation.Score, unlabelled.Score);

        // sample_3's mask is 1024×768; sample_1 is 384×256.
        var e = Assert.Throws<GroundTruthSizeMismatchException>(() =>
            ImageEvaluation.Measure(predictor, RepoPaths.Sample("sample_1.jpg"), RepoPaths.GroundTruth("sample_3.jpg"), 0.5));
        Assert.Contains("1024x768", e.Message);
    }
}
