using System.Globalization;
using SparseViT.Forensics.Calibration;

namespace SparseViT.Cli.Commands;

/// <summary>How the CLI names a calibration (or its absence) on stderr.</summary>
internal static class CalibrationText
{
    public static string Describe(ScoreCalibration? c) => c is null
        ? "uncalibrated (no calibration file beside the checkpoint): the map alone makes an image at most suspicious; see 'sparsevit calibrate --help'"
        : $"calibration {c.FilePath}: image score {c.ScoreFunction.Name()} (AUC {F(c.Auc)}), manipulated above {F(c.Manipulated.Threshold)} " +
          $"(FPR {P(c.Manipulated.FalsePositiveRate)}, {c.Manipulated.FalsePositives}/{c.Manipulated.Authentic}), suspicious above {F(c.Suspicious.Threshold)} " +
          $"(FPR {P(c.Suspicious.FalsePositiveRate)}, {c.Suspicious.FalsePositives}/{c.Suspicious.Authentic})";

    public static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
    public static string P(double? fraction) => fraction is { } f ? (f * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Interval(Forensics.Calibration.BinomialInterval? i) => i is { } v ? $"{P(v.Low)}–{P(v.High)}" : "n/a";
}
