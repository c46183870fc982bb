using SparseViT.Engine.Inference;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Scoring;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Tests;

public class ScoringAndVerdictTests
{
    private static ProbabilityMap MapWithBlocks(int originalWidth, int originalHeight, float value, params (int X, int Y, int W, int H)[] blocks)
    {
        var values = new float[512 * 512];
        Array.Fill(values, 0.01f);
        foreach (var (x, y, w, h) in blocks)
            for (int row = y; row < y + h; row++)
                for (int col = x; col < x + w; col++) values[row * 512 + col] = value;
        return new ProbabilityMap(values, 512, originalWidth, originalHeight);
    }

    [Fact]
    public void Scores_and_regions_are_computed_at_model_resolution_with_boxes_in_original_pixels()
    {
        var map = MapWithBlocks(1024, 768, 0.9f, (100, 200, 50, 40), (400, 10, 5, 5), (0, 0, 2, 2));
        var scores = MaskScorer.Score(map);

        Assert.Equal(512, scores.Resolution);
        Assert.Equal(0.5, scores.Threshold);
        Assert.Equal(0.9, scores.Max, 6);
        int marked = 50 * 40 + 25 + 4;
        Assert.Equal((double)marked / (512 * 512), scores.ManipulatedFraction, 9);
        Assert.Equal((marked * 0.9 + (512 * 512 - marked) * 0.01) / (512 * 512), scores.Mean, 6);
        // Two regions: the 2×2 speck is under MinRegionPixels.
        Assert.Equal(2, scores.Regions.Count);
        var largest = scores.Regions[0];
        Assert.Equal(2000, largest.AreaPixels);
        Assert.Equal(new RegionBox(200, 300, 100, 60), largest.Box);
        Assert.Equal(0.9, largest.MeanScore, 6);
        Assert.Equal(new RegionBox(800, 15, 10, 8), scores.Regions[1].Box);
    }

    [Fact]
    public void Percentile_interpolates_like_numpy()
    {
        var values = Enumerable.Range(0, 100).Select(i => i / 100f).ToArray();
        Assert.Equal(0.9801, MaskScorer.Percentile(values, 0.99), 4);
        Assert.Equal(0.9801, MaskScorer.Score(values, 10, 10, 10).P99, 4);
    }

    [Fact]
    public void Diagonal_pixels_join_one_region()
    {
        var values = new float[16 * 16];
        for (int i = 0; i < 8; i++) values[i * 16 + i] = 1f;
        var scores = MaskScorer.Score(values, 16, 16, 16, new MaskScoringOptions { MinRegionPixels = 1 });
        var region = Assert.Single(scores.Regions);
        Assert.Equal(8, region.AreaPixels);
        Assert.Equal(new RegionBox(0, 0, 8, 8), region.Box);
    }

    private static EvidenceIndicator Indicator(Severity severity, string id = "test") =>
        new(id, severity, "message", new Dictionary<string, object?>());

    private static MaskScores Scores(double max, double fraction) => new(max, 0.1, max, max, fraction, 0.5, 512, []);

    [Fact]
    public void Verdict_rules_of_an_uncalibrated_model()
    {
        var policy = new VerdictPolicy();
        // However confident, the map alone of an uncalibrated model is at most suspicious, and the reason says why.
        var confident = policy.Decide(Scores(0.999, 0.3), []);
        Assert.Equal(Verdict.Suspicious, confident.Verdict);
        Assert.Contains(confident.Reasons, r => r.Contains("uncalibrated") && r.Contains("at most suspicious"));
        Assert.Equal(Verdict.Suspicious, policy.Decide(Scores(0.7, 0.05), []).Verdict);
        Assert.Equal(Verdict.Manipulated, policy.Decide(Scores(0.7, 0.05), [Indicator(Severity.Medium)]).Verdict);
        Assert.Equal(Verdict.Suspicious, policy.Decide(Scores(0.7, 0.05), [Indicator(Severity.Low)]).Verdict);
        Assert.Equal(Verdict.Suspicious, policy.Decide(Scores(0.1, 0), [Indicator(Severity.High)]).Verdict);
        Assert.Equal(Verdict.Suspicious, policy.Decide(null, [Indicator(Severity.Medium)]).Verdict);
        Assert.Equal(Verdict.NoEvidence, policy.Decide(Scores(0.1, 0), [Indicator(Severity.Low)]).Verdict);
        // A confident speck is noise.
        Assert.Equal(Verdict.NoEvidence, policy.Decide(Scores(0.99, 0.0001), []).Verdict);
    }

    [Fact]
    public void Verdict_lists_every_indicator_and_never_claims_authenticity()
    {
        var result = new VerdictPolicy().Decide(Scores(0.2, 0), [Indicator(Severity.Low, "no-camera-metadata")]);
        Assert.Equal(Verdict.NoEvidence, result.Verdict);
        Assert.Contains(result.Reasons, r => r.StartsWith("no-camera-metadata (low)"));
        Assert.Contains(result.Reasons, r => r.Contains("does not establish that the image is authentic"));
    }

    [Fact]
    public void Verdict_thresholds_are_configurable()
    {
        var strict = new VerdictPolicy(new VerdictThresholds { SuspiciousScore = 0.99, SuspiciousSeverity = Severity.High, CorroboratingSeverity = Severity.High });
        Assert.Equal(Verdict.Suspicious, strict.Decide(Scores(0.995, 0.05), [Indicator(Severity.Medium)]).Verdict);
        Assert.Equal(Verdict.NoEvidence, strict.Decide(Scores(0.95, 0.05), []).Verdict);
        Assert.Equal(Verdict.NoEvidence, strict.Decide(null, [Indicator(Severity.Medium)]).Verdict);
    }
}
