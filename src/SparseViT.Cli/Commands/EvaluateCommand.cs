using System.CommandLine;
using System.Globalization;
using SparseViT.Cli.Output;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Metrics;
using SparseViT.Forensics.Models;
using SparseViT.Forensics.Scanning;
using SparseViT.Forensics.Writers;
using Spectre.Console;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit evaluate`: pixel F1/IoU/AUC per manipulated image and averaged; image-level AUC, FPR, TPR and balanced
/// accuracy from the image score (the calibration's, or the map maximum). Ground truth is matched by file stem (also
/// CASIA's "_gt" suffix); images without ground truth, with an all-black mask, or under --authentic are authentic.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create(CliConsole console)
    {
        var images = new Option<string>("--images") { Description = "Folder of images.", Required = true };
        var truth = new Option<string>("--ground-truth") { Description = "Folder of ground-truth masks (white = manipulated), matched by file name stem.", Required = true };
        truth.Validators.Add(result =>
        {
            string folder = result.GetValueOrDefault<string>() ?? "";
            if (!Directory.Exists(folder)) result.AddError($"--ground-truth '{folder}' is not a folder");
        });
        var authentic = new Option<string[]>("--authentic") { Description = "Folder of untouched images without masks (searched recursively), scored as authentic. Repeatable." };
        authentic.Validators.Add(result =>
        {
            foreach (var folder in result.GetValueOrDefault<string[]>() ?? [])
                if (!Directory.Exists(folder)) result.AddError($"--authentic '{folder}' is not a folder");
        });
        var threshold = CommonOptions.Threshold("Pixel threshold; also the image-level threshold on the map maximum for an uncalibrated model.");
        var calibration = CommonOptions.Calibration();
        var output = CommonOptions.Output("JSON report file (default: stdout).");
        var checkpoint = CommonOptions.Checkpoint();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var command = new Command("evaluate", "Pixel-level F1/IoU/AUC on manipulated images and image-level AUC, FPR, TPR and balanced accuracy over manipulated and authentic images: a table on stderr, JSON on stdout.")
        {
            images, truth, authentic, threshold, calibration, output, checkpoint, device, precision, backend, threads, quiet,
        };
        command.SetAction(parse =>
        {
            double th = parse.GetValue(threshold);
            var masks = new GroundTruthFolder(parse.GetValue(truth)!);
            var resolved = CheckpointResolver.Resolve(parse.GetValue(checkpoint), environment: console.Environment);
            using var predictor = SparseViTPredictor.Load(resolved.Path, new PredictorOptions
            {
                Device = parse.GetValue(device)!, Precision = parse.GetValue(precision), Backend = parse.GetValue(backend), Threads = console.Threads(parse.GetValue(threads)),
            });
            var calibrated = CalibrationFile.ForCheckpoint(predictor.Description.CheckpointPath, predictor.Description.CheckpointSha256, parse.GetValue(calibration));
            if (!parse.GetValue(quiet)) console.Line($"sparsevit: {CalibrationText.Describe(calibrated)}");
            var builder = new EvaluationReportBuilder(predictor.Description, th, calibrated);
            int seen = 0;
            var labelled = FileEnumerator.Enumerate([parse.GetValue(images)!]).Select(i => (Item: i, Labelled: true));
            var unlabelled = FileEnumerator.Enumerate(parse.GetValue(authentic) ?? [], new ScanEnumerationOptions { Recurse = true }).Select(i => (Item: i, Labelled: false));
            foreach (var (item, isLabelled) in labelled.Concat(unlabelled))
            {
                seen++;
                try
                {
                    if (!item.IsScannable) throw new IOException(item.Problem);
                    builder.Add(ImageEvaluation.Measure(predictor, item.Path, isLabelled ? masks.FindMask(item.Path) : null, th));
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or ArgumentException or InvalidDataException or ModelOutputException)
                {
                    builder.AddFailure(item.Path, e is ModelOutputException m ? $"{m.Code}: {m.Message}" : e.Message);
                }
            }
            if (seen == 0) throw new ArgumentException($"--images '{parse.GetValue(images)}' holds no images");
            var report = builder.Build();
            string json = report.ToJson();
            string? outputPath = parse.GetValue(output);
            if (string.IsNullOrEmpty(outputPath) || outputPath == "-") console.Out.WriteLine(json);
            else AtomicFile.WriteAllBytes(outputPath, System.Text.Encoding.UTF8.GetBytes(json + "\n"));
            if (!parse.GetValue(quiet)) WriteTable(console, report);
            return report.Failed > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(CliConsole console, EvaluationReport report)
    {
        var table = new Table().AddColumns("image", "score", "F1", "IoU", "AUC");
        static string F(double? v) => v is { } d ? d.ToString("F3", CultureInfo.InvariantCulture) : "-";
        foreach (var row in report.Images)
            table.AddRow(Markup.Escape(Path.GetFileName(row.Image)), F(row.Score), F(row.F1), F(row.IoU), row.Error is not null ? Markup.Escape("error: " + row.Error) : F(row.Auc));
        if (report.Pixel is { } pixel) table.AddRow("[bold]mean[/]", "", F(pixel.F1), F(pixel.IoU), F(pixel.Auc));
        console.Ansi.Write(table);
        if (report.Image is { } image)
        {
            console.Line($"image level ({image.ScoreFunction} > {F(image.Threshold)}): AUC {F(image.Auc)}, FPR {F(image.FalsePositiveRate)}, TPR {F(image.TruePositiveRate)}, " +
                         $"balanced accuracy {F(image.BalancedAccuracy)}, F1 {F(image.F1)} ({image.Manipulated} manipulated, {image.Authentic} authentic)");
            foreach (var p in image.OperatingPoints)
                console.Line($"  threshold {F(p.Threshold)} (target FPR {F(p.TargetFalsePositiveRate)}): FPR {p.FalsePositives}/{p.Authentic} = {F(p.FalsePositiveRate)} " +
                             $"({CalibrationText.Interval(p.FalsePositiveInterval)}), TPR {p.TruePositives}/{p.Manipulated} = {F(p.TruePositiveRate)} ({CalibrationText.Interval(p.TruePositiveInterval)})");
            if (image.Candidates.Count > 0)
                console.Line("  AUC by image score: " + string.Join(", ", image.Candidates.Select(c => $"{c.Function.Name()} {F(c.Auc)}")));
        }
    }
}
