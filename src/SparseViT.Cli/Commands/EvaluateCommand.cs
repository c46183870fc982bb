using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SparseViT.Cli.Output;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Metrics;
using SparseViT.Forensics.Scanning;
using Spectre.Console;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit evaluate`: pixel F1/IoU/AUC per image and averaged, image-level AUC from the map maximum. Ground truth
/// is matched by file stem (also CASIA's "_gt" suffix); images without ground truth count as authentic.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "Folder of images.", Required = true };
        var truth = new Option<string>("--ground-truth") { Description = "Folder of ground-truth masks (white = manipulated), matched by file name stem.", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "Pixel and image decision threshold.", DefaultValueFactory = _ => 0.5 };
        var output = CommonOptions.Output("JSON report file (default: stdout).");
        var checkpoint = CommonOptions.Checkpoint();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var command = new Command("evaluate", "Pixel-level F1/IoU/AUC and image-level AUC against ground-truth masks: a table on stderr, JSON on stdout.")
        {
            images, truth, threshold, output, checkpoint, device, precision, threads, quiet,
        };
        command.SetAction(parse =>
        {
            double th = parse.GetValue(threshold);
            string truthDir = parse.GetValue(truth)!;
            if (!Directory.Exists(truthDir)) throw new ArgumentException($"--ground-truth '{truthDir}' is not a folder");
            var masks = new GroundTruthFolder(truthDir);
            var resolved = CheckpointResolver.Resolve(parse.GetValue(checkpoint));
            using var predictor = SparseViTPredictor.Load(resolved.Path, new PredictorOptions
            {
                Device = parse.GetValue(device)!, Precision = PrecisionNames.Parse(parse.GetValue(precision)!), Threads = parse.GetValue(threads),
            });
            var rows = new List<Dictionary<string, object?>>();
            var pixel = new List<PixelMetrics>();
            var imageScores = new List<ImageScore>();
            int failed = 0;
            foreach (var item in FileEnumerator.Enumerate([parse.GetValue(images)!]))
            {
                try
                {
                    if (!item.IsScannable) throw new IOException(item.Problem);
                    var evaluation = ImageEvaluation.Measure(predictor, item.Path, masks.FindMask(item.Path), th);
                    imageScores.Add(evaluation.ToImageScore());
                    var row = new Dictionary<string, object?>
                    {
                        ["image"] = item.Path, ["score"] = Math.Round(evaluation.Score, 6), ["groundTruth"] = evaluation.MaskPath,
                    };
                    if (evaluation.Pixel is { } m)
                    {
                        pixel.Add(m);
                        row["f1"] = m.F1;
                        row["iou"] = m.IoU;
                        row["auc"] = m.Auc;
                    }
                    rows.Add(row);
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or ArgumentException or InvalidDataException or ModelOutputException)
                {
                    failed++;
                    rows.Add(new Dictionary<string, object?> { ["image"] = item.Path, ["error"] = e is ModelOutputException m ? $"{m.Code}: {m.Message}" : e.Message });
                }
            }
            if (rows.Count == 0) throw new ArgumentException($"--images '{parse.GetValue(images)}' holds no images");
            var summary = pixel.Count > 0 ? PixelMetricsSummary.Average(pixel) : null;
            var imageLevel = imageScores.Count > 0 ? ImageLevelMetrics.Compute(imageScores, th) : null;
            var report = new Dictionary<string, object?>
            {
                ["model"] = predictor.Description.Name,
                ["checkpointSha256"] = predictor.Description.CheckpointSha256,
                ["threshold"] = th,
                ["pixel"] = summary,
                ["image"] = imageLevel,
                ["images"] = rows,
            };
            string json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
            string? outputPath = parse.GetValue(output);
            if (string.IsNullOrEmpty(outputPath) || outputPath == "-") Console.Out.WriteLine(json);
            else File.WriteAllText(outputPath, json + "\n");
            if (!parse.GetValue(quiet)) WriteTable(rows, summary, imageLevel);
            return failed > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(List<Dictionary<string, object?>> rows, PixelMetricsSummary? summary, ImageLevelMetrics? image)
    {
        var table = new Table().AddColumns("image", "score", "F1", "IoU", "AUC");
        static string F(object? v) => v switch { null => "-", double d => d.ToString("F3", CultureInfo.InvariantCulture), _ => v.ToString() ?? "-" };
        foreach (var row in rows)
            table.AddRow(Markup.Escape(Path.GetFileName((string)row["image"]!)), F(row.GetValueOrDefault("score")), F(row.GetValueOrDefault("f1")), F(row.GetValueOrDefault("iou")), row.ContainsKey("error") ? Markup.Escape("error: " + row["error"]) : F(row.GetValueOrDefault("auc")));
        if (summary is not null) table.AddRow("[bold]mean[/]", "", F(summary.F1), F(summary.IoU), F(summary.Auc));
        StdErr.Console.Write(table);
        if (image is not null) StdErr.Line($"image level: AUC {F(image.Auc)}, accuracy {F(image.Accuracy)}, F1 {F(image.F1)} ({image.Manipulated} manipulated, {image.Authentic} authentic)");
    }
}
