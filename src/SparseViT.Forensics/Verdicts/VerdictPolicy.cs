using System.Globalization;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Verdicts;

/// <summary>
/// Combines the model's scores with the evidence indicators. The rules, applied in order (T = <see cref="VerdictThresholds"/>):
/// <list type="number">
/// <item>The model <em>counts</em> when at least T.MinManipulatedFraction of the pixels are at or above the pixel threshold.
///   Otherwise its score is reported as a reason but ignored.</item>
/// <item><c>manipulated</c> when the model counts and its image score (mask max) ≥ T.ManipulatedScore.</item>
/// <item><c>manipulated</c> when the model counts, its score ≥ T.SuspiciousScore, and at least one indicator has severity
///   ≥ T.CorroboratingSeverity: two independent sources agree.</item>
/// <item><c>suspicious</c> when the model counts and its score ≥ T.SuspiciousScore.</item>
/// <item><c>suspicious</c> when any indicator has severity ≥ T.SuspiciousSeverity (the model may be absent).</item>
/// <item><c>no-evidence</c> otherwise; lower-severity indicators are still listed as reasons.</item>
/// </list>
/// Every indicator appears in the reasons whatever the verdict, so the outcome can always be explained.
/// </summary>
public sealed class VerdictPolicy(VerdictThresholds? thresholds = null)
{
    public VerdictThresholds Thresholds { get; } = thresholds ?? new VerdictThresholds();

    /// <param name="scores">Null when no model ran (metadata-only scan).</param>
    public VerdictResult Decide(MaskScores? scores, IReadOnlyList<EvidenceIndicator> indicators)
    {
        var t = Thresholds;
        var reasons = new List<string>();
        bool modelCounts = false;
        double score = 0;
        if (scores is not null)
        {
            score = scores.Max;
            modelCounts = scores.ManipulatedFraction >= t.MinManipulatedFraction;
            string marked = $"the model marks {Percent(scores.ManipulatedFraction)} of the image at ≥ {F(scores.Threshold)} (image score {F(scores.Max)}, {scores.Regions.Count} region(s))";
            if (!modelCounts && score >= t.SuspiciousScore)
                reasons.Add($"{Capitalize(marked)}: below the {Percent(t.MinManipulatedFraction)} needed to count.");
            else if (score >= t.ManipulatedScore) reasons.Add($"{Capitalize(marked)}: at or above the manipulated score {F(t.ManipulatedScore)}.");
            else if (score >= t.SuspiciousScore) reasons.Add($"{Capitalize(marked)}: at or above the suspicious score {F(t.SuspiciousScore)}.");
            else reasons.Add($"The model's image score {F(score)} is below the suspicious score {F(t.SuspiciousScore)}.");
        }
        foreach (var indicator in indicators) reasons.Add($"{indicator.Id} ({indicator.Severity.ToString().ToLowerInvariant()}): {indicator.Message}");

        bool corroborated = indicators.Any(i => i.Severity >= t.CorroboratingSeverity);
        Verdict verdict;
        if (modelCounts && score >= t.ManipulatedScore) verdict = Verdict.Manipulated;
        else if (modelCounts && score >= t.SuspiciousScore && corroborated)
        {
            verdict = Verdict.Manipulated;
            reasons.Add("The model's finding is corroborated by the file's own evidence.");
        }
        else if (modelCounts && score >= t.SuspiciousScore) verdict = Verdict.Suspicious;
        else if (indicators.Any(i => i.Severity >= t.SuspiciousSeverity)) verdict = Verdict.Suspicious;
        else verdict = Verdict.NoEvidence;

        if (verdict == Verdict.NoEvidence) reasons.Add("No evidence of manipulation was found; this does not establish that the image is authentic.");
        return new VerdictResult(verdict, reasons);
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
