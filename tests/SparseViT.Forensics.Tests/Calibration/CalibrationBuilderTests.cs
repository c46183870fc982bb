using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Tests.Calibration;

public class CalibrationBuilderTests
{
    /// <summary>Scores with a given max and top-1 % mean (the p99 between them).</summary>
    internal static MaskScores Map(double max, double topMean, double fraction = 0.01) => new(max, topMean / 2, (max + topMean) / 2, topMean, fraction, 0.5, 512, []);

    internal static readonly CalibratedCheckpoint Checkpoint = new("model.safetensors", new string('c', 64));

    private static CalibrationData Data(int authentic, int manipulated) => new(["/a"], ["/m"], authentic, manipulated, 0);

    [Fact]
    public void Wilson_interval_matches_the_textbook_values()
    {
        // 50 of 100: the classic example, 0.4038–0.5962; 0 of n: the upper bound is z²/(n + z²).
        var half = BinomialInterval.Wilson(50, 100);
        Assert.Equal(0.40383, half.Low, 5);
        Assert.Equal(0.59617, half.High, 5);
        var none = BinomialInterval.Wilson(0, 400);
        Assert.Equal(0, none.Low);
        Assert.Equal(3.8414588 / (400 + 3.8414588), none.High, 6);
        Assert.Equal(1, BinomialInterval.Wilson(7, 7).High);
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Wilson(5, 4));
    }

    [Fact]
    public void Threshold_is_the_lowest_with_the_target_rate_and_rates_are_counted()
    {
        // Authentic scores 0.000, 0.005, …, 0.995 (200): at 1 % two may be above, so the threshold is the third highest.
        var authentic = Enumerable.Range(0, 200).Select(i => Map(i / 200.0, i / 200.0)).ToList();
        var manipulated = Enumerable.Range(0, 100).Select(i => Map(0.9 + i / 1000.0, 0.9 + i / 1000.0)).ToList();
        var c = CalibrationBuilder.Build(authentic, manipulated, Checkpoint, Data(200, 100), new CalibrationTargets { ScoreFunction = ImageScoreFunction.Max });
        Assert.Equal(0.985, c.Manipulated.Threshold, 12);
        Assert.Equal(2, c.Manipulated.FalsePositives);
        Assert.Equal(0.01, c.Manipulated.FalsePositiveRate!.Value, 12);
        Assert.Equal(0.945, c.Suspicious.Threshold, 12);
        Assert.Equal(10, c.Suspicious.FalsePositives); // 0.95 … 0.995 are strictly above the 11th highest
        Assert.Equal(14, c.Manipulated.TruePositives); // 0.986 … 0.999
        Assert.Equal(200, c.AuthenticScores.Count);
        Assert.Equal(0.995, c.AuthenticScores[0]);
        Assert.Equal(3, c.AuthenticAtOrAbove(0.985));
        Assert.Equal(0, c.AuthenticAtOrAbove(0.999));
        Assert.Equal(200, c.AuthenticAtOrAbove(-1));
    }

    [Fact]
    public void The_score_that_separates_best_is_chosen()
    {
        // The maximum is noise in both classes; the mean of the top 1 % separates them.
        var rng = new Random(11);
        var authentic = Enumerable.Range(0, 300).Select(_ => Map(rng.NextDouble(), 0.5 * rng.NextDouble())).ToList();
        var manipulated = Enumerable.Range(0, 100).Select(_ => Map(rng.NextDouble(), 0.4 + 0.6 * rng.NextDouble())).ToList();
        var c = CalibrationBuilder.Build(authentic, manipulated, Checkpoint, Data(300, 100));
        Assert.Equal(ImageScoreFunction.TopMean, c.ScoreFunction);
        var byFunction = c.Candidates.ToDictionary(x => x.Function, x => x.Auc);
        Assert.InRange(byFunction[ImageScoreFunction.Max], 0.35, 0.65);
        Assert.True(byFunction[ImageScoreFunction.TopMean] > 0.9);
        Assert.Equal(byFunction[ImageScoreFunction.TopMean], c.Auc);
    }

    [Fact]
    public void A_known_false_positive_rate_comes_back_within_its_interval()
    {
        // Authentic scores uniform on [0, 1]: a threshold t has a true false-positive rate of exactly 1 − t. Over many
        // independent calibrations of 400 images, the 95 % interval should hold the true rate about 95 % of the time.
        int runs = 400, covered = 0;
        for (int run = 0; run < runs; run++)
        {
            var rng = new Random(1000 + run);
            var authentic = Enumerable.Range(0, 400).Select(_ => rng.NextDouble()).Select(s => Map(s, s)).ToList();
            var manipulated = Enumerable.Range(0, 50).Select(_ => 0.9 + 0.1 * rng.NextDouble()).Select(s => Map(s, s)).ToList();
            var c = CalibrationBuilder.Build(authentic, manipulated, Checkpoint, Data(400, 50), new CalibrationTargets { ScoreFunction = ImageScoreFunction.Max });
            Assert.True(c.Manipulated.FalsePositiveRate <= 0.01);
            if (c.Manipulated.FalsePositiveInterval!.Value.Contains(1 - c.Manipulated.Threshold)) covered++;
        }
        Assert.InRange((double)covered / runs, 0.88, 0.99);
    }

    [Fact]
    public void Too_little_data_and_inconsistent_targets_are_refused()
    {
        var few = Enumerable.Range(0, 10).Select(i => Map(i / 10.0, i / 10.0)).ToList();
        var e = Assert.Throws<ArgumentException>(() => CalibrationBuilder.Build(few, few, Checkpoint, Data(10, 10)));
        Assert.Contains("at least 20 authentic", e.Message);
        var enough = Enumerable.Range(0, 40).Select(i => Map(i / 40.0, i / 40.0)).ToList();
        Assert.Throws<ArgumentException>(() => CalibrationBuilder.Build(enough, [], Checkpoint, Data(40, 0)));
        Assert.Throws<ArgumentException>(() => CalibrationBuilder.Build(enough, enough, Checkpoint, Data(40, 40),
            new CalibrationTargets { ManipulatedFalsePositiveRate = 0.1, SuspiciousFalsePositiveRate = 0.05 }));
    }
}
