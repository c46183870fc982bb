using System.Globalization;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Scoring;

namespace SparseViT.Forensics.Verdicts;

/// <summary>
/// Combines the model's scores with the evidence indicators (T = <see cref="VerdictThresholds"/>, C = the checkpoint's
/// <see cref="ScoreCalibration"/>).
/// <para>With a calibration the model's image score is C's score function; it <em>fires</em> at <c>manipulated</c> strength
/// above C's manipulated threshold and at <c>suspicious</c> strength above C's suspicious threshold, and every reason
/// says how many authentic calibration images reached the same score.</para>
/// <para>Without one (an uncalibrated checkpoint) a score means nothing known about false alarms: the image score is the
/// map's maximum, it fires at <c>suspicious</c> strength only when at least T.MinManipulatedFraction of the map is at or
/// above the pixel threshold and the maximum is at least T.SuspiciousScore, and it never fires at <c>manipulated</c>
/// strength.</para>
/// Then, in order: <c>manipulated</c> when the model fires at manipulated strength; <c>manipulated</c> when it fires at
/// suspicious strength and an indicator has severity ≥ T.CorroboratingSeverity (two independent sources agree);
/// <c>suspicious</c> when it fires at all; <c>suspicious</c> when an indicator has severity ≥ T.SuspiciousSeverity;
/// otherwise <c>no-evidence</c>. Every indicator appears in the reasons whatever the verdict.
/// <para>C2PA provenance: a valid capture manifest whose hard binding still matches (<c>c2pa-valid-camera-capture</c>)
/// lowers an uncorroborated model finding by one step (manipulated to suspicious, suspicious to none); the other C2PA
/// indicators act through their severity (an AI-generated declaration, medium, makes the image suspicious whatever the map
/// says; a broken signature or hash, high, corroborates the map).</para>
/// </summary>
public sealed class VerdictPolicy(VerdictThresholds? thresholds = null, ScoreCalibration? calibration = null)
{
    private enum Strength { None, Suspicious, Manipulated }

    public VerdictThresholds Thresholds { get; } = thresholds ?? new VerdictThresholds();

    /// <summary>Null for an uncalibrated checkpoint (or a metadata-only scan).</summary>
    public ScoreCalibration? Calibration { get; } = calibration;

    /// <summary>The image score a record reports: the calibration's function, or the map's maximum without one.</summary>
    public double ImageScore(MaskScores scores) => Calibration?.Score(scores) ?? scores.Max;

    /// <param name="scores">Null when no model ran (metadata-only scan).</param>
    public VerdictResult Decide(MaskScores? scores, IReadOnlyList<EvidenceIndicator> indicators)
    {
        var t = Thresholds;
        var reasons = new List<string>();
        var strength = Strength.None;
        if (scores is not null) strength = Calibration is { } c ? Calibrated(scores, c, reasons) : Uncalibrated(scores, reasons);
        foreach (var indicator in indicators) reasons.Add($"{indicator.Id} ({indicator.Severity.ToString().ToLowerInvariant()}): {indicator.Message}");

        bool corroborated = indicators.Any(i => i.Severity >= t.CorroboratingSeverity);
        if (!corroborated && strength != Strength.None && indicators.Any(i => i.Id == IndicatorIds.C2paValidCameraCapture))
        {
            // Signed capture provenance over these exact bytes is cryptographic evidence; the map's is statistical.
            strength = strength == Strength.Manipulated ? Strength.Suspicious : Strength.None;
            reasons.Add("A valid C2PA capture manifest covers these exact bytes, which outweighs the model's finding" +
                        (strength == Strength.None ? "; the map alone does not make this image suspicious." : "; it is held at suspicious for review."));
        }
        Verdict verdict;
        if (strength == Strength.Manipulated) verdict = Verdict.Manipulated;
        else if (strength == Strength.Suspicious && corroborated)
        {
            verdict = Verdict.Manipulated;
            reasons.Add("The model's finding is corroborated by the file's own evidence.");
        }
        else if (strength == Strength.Suspicious) verdict = Verdict.Suspicious;
        else if (indicators.Any(i => i.Severity >= t.SuspiciousSeverity)) verdict = Verdict.Suspicious;
        else verdict = Verdict.NoEvidence;

        if (verdict == Verdict.NoEvidence) reasons.Add("No evidence of manipulation was found; this does not establish that the image is authentic.");
        return new VerdictResult(verdict, reasons);
    }

    private static Strength Calibrated(MaskScores scores, ScoreCalibration c, List<string> reasons)
    {
        double score = c.Score(scores);
        int n = c.AuthenticScores.Count, reached = c.AuthenticAtOrAbove(score);
        string name = c.FilePath is null ? "the calibration" : $"calibration {Path.GetFileName(c.FilePath)}";
        string head = $"Image score {F5(score)} ({c.ScoreFunction.Describe()})";
        string atScore = $"at this score {reached} of {n} authentic calibration images scored as high or higher";
        if (score > c.Manipulated.Threshold)
        {
            reasons.Add($"{head} is above the manipulated threshold {F5(c.Manipulated.Threshold)} of {name}: {atScore} " +
                        $"(false-positive rate {Percent(c.Manipulated.FalsePositiveRate)} at that threshold, 95% interval {Interval(c.Manipulated.FalsePositiveInterval)}; it flags {Percent(c.Manipulated.TruePositiveRate)} of the {c.Manipulated.Manipulated} calibration edits).");
            return Strength.Manipulated;
        }
        if (score > c.Suspicious.Threshold)
        {
            reasons.Add($"{head} is above the suspicious threshold {F5(c.Suspicious.Threshold)} of {name} but not above its manipulated threshold {F5(c.Manipulated.Threshold)}: {atScore} " +
                        $"(false-positive rate {Percent(c.Suspicious.FalsePositiveRate)} at the suspicious threshold, 95% interval {Interval(c.Suspicious.FalsePositiveInterval)}).");
            return Strength.Suspicious;
        }
        reasons.Add($"{head} is not above the suspicious threshold {F5(c.Suspicious.Threshold)} of {name}: {atScore}.");
        return Strength.None;
    }

    private Strength Uncalibrated(MaskScores scores, List<string> reasons)
    {
        var t = Thresholds;
        string marked = $"the model marks {Percent(scores.ManipulatedFraction)} of the image at ≥ {F(scores.Threshold)} (image score {F(scores.Max)}, the map's maximum; {scores.Regions.Count} region(s))";
        const string uncalibrated = "the model is uncalibrated (no calibration file for this checkpoint), so its map alone can make an image at most suspicious; " +
                                    "calibrate it on known authentic and manipulated images to get verdicts with a known false-positive rate (README, \"Calibration\")";
        bool counts = scores.ManipulatedFraction >= t.MinManipulatedFraction;
        if (!counts && scores.Max >= t.SuspiciousScore)
            reasons.Add($"{Capitalize(marked)}: below the {Percent(t.MinManipulatedFraction)} needed to count.");
        else if (scores.Max >= t.SuspiciousScore)
        {
            reasons.Add($"{Capitalize(marked)}: at or above the suspicious score {F(t.SuspiciousScore)}; {uncalibrated}.");
            return Strength.Suspicious;
        }
        else reasons.Add($"The model's image score {F(scores.Max)} is below the suspicious score {F(t.SuspiciousScore)}; {uncalibrated}.");
        return Strength.None;
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Calibrated thresholds of a confident model sit close to 1: five places keep 0.99931 and 0.99997 apart.</summary>
    private static string F5(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);
    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "n/a";
    private static string Interval(BinomialInterval? i) => i is { } v ? $"{Percent(v.Low)}–{Percent(v.High)}" : "n/a";
    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
