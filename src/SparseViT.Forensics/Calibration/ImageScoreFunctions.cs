using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Calibration;

/// <summary>Evaluates and names <see cref="ImageScoreFunction"/>s.</summary>
public static class ImageScoreFunctions
{
    public static IReadOnlyList<ImageScoreFunction> All { get; } = Enum.GetValues<ImageScoreFunction>();

    public static double Evaluate(this ImageScoreFunction function, MaskScores scores) => function switch
    {
        ImageScoreFunction.Max => scores.Max,
        ImageScoreFunction.P99 => scores.P99,
        ImageScoreFunction.TopMean => scores.TopMean,
        ImageScoreFunction.ManipulatedFraction => scores.ManipulatedFraction,
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    /// <summary>The kebab-case name used in files and on command lines ("top-mean").</summary>
    public static string Name(this ImageScoreFunction function) => function switch
    {
        ImageScoreFunction.Max => "max",
        ImageScoreFunction.P99 => "p99",
        ImageScoreFunction.TopMean => "top-mean",
        ImageScoreFunction.ManipulatedFraction => "manipulated-fraction",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    /// <summary>Words for a reason: "the mean of the highest 1 % of the map".</summary>
    public static string Describe(this ImageScoreFunction function) => function switch
    {
        ImageScoreFunction.Max => "the map's maximum",
        ImageScoreFunction.P99 => "the map's 99th percentile",
        ImageScoreFunction.TopMean => "the mean of the highest 1% of the map",
        ImageScoreFunction.ManipulatedFraction => "the share of the map at or above the pixel threshold",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    public static bool TryParse(string? text, out ImageScoreFunction function)
    {
        foreach (var candidate in All)
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase) || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                function = candidate;
                return true;
            }
        function = default;
        return false;
    }
}
