using System.CommandLine;
using SparseViT.Cli.Output;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Models;
using Spectre.Console;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit calibrate`: scores known authentic and known manipulated images with the checkpoint, keeps the image
/// score that separates them best and writes thresholds with measured false-positive rates, bound to the checkpoint.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create(CliConsole console)
    {
        var authentic = new Option<string[]>("--authentic") { Description = "Folder of untouched images (searched recursively). Repeatable.", Required = true };
        var manipulated = new Option<string[]>("--manipulated") { Description = "Folder of known edits: Tp/ + Gt/ (the authors' layout; an all-zero mask counts as authentic) or a plain folder. Repeatable.", Required = true };
        foreach (var folders in new[] { authentic, manipulated })
            folders.Validators.Add(result =>
            {
                foreach (var folder in result.GetValueOrDefault<string[]>() ?? [])
                    if (!Directory.Exists(folder)) result.AddError($"{result.Option.Name} '{folder}' is not a folder");
            });
        var manipulatedFpr = new Option<double>("--manipulated-fpr") { Description = "Target false-positive rate of the manipulated threshold.", DefaultValueFactory = _ => 0.01 }.Within(1e-6, 0.5);
        var suspiciousFpr = new Option<double>("--suspicious-fpr") { Description = "Target false-positive rate of the suspicious threshold (at least --manipulated-fpr).", DefaultValueFactory = _ => 0.05 }.Within(1e-6, 0.5);
        var score = new Option<ImageScoreFunction?>("--score")
        {
            Description = "Image score: auto (the best ROC AUC on this data), max, p99, top-mean or manipulated-fraction.",
            DefaultValueFactory = _ => null,
            CustomParser = result => result.Tokens is [{ Value: "auto" }] ? null : CommonOptions.Parsed<ImageScoreFunction?>(result, text =>
                ImageScoreFunctions.TryParse(text, out var f) ? f : throw new FormatException($"'{text}' is not auto, {string.Join(", ", ImageScoreFunctions.All.Select(x => x.Name()))}")),
        };
        var output = CommonOptions.Output("Calibration file to write (default: <checkpoint name>.calibration.json beside the checkpoint, where scans find it).");
        var checkpoint = CommonOptions.Checkpoint();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var backend = CommonOptions.Backend();
        var batch = new Option<int>("--batch-size", "-b") { Description = "Images per forward pass.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var threads = CommonOptions.Threads();
        var quiet = CommonOptions.Quiet();
        var command = new Command("calibrate",
            "Calibrate a checkpoint's verdicts on known authentic and manipulated images: choose the image score, set the manipulated and suspicious thresholds at target false-positive rates, and write them (with the measured rates and 95% intervals) to a file bound to the checkpoint's SHA-256.")
        {
            authentic, manipulated, manipulatedFpr, suspiciousFpr, score, output, checkpoint, device, precision, backend, batch, threads, quiet,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(suspiciousFpr) < result.GetValue(manipulatedFpr))
                result.AddError("--suspicious-fpr must be at least --manipulated-fpr (suspicious is the lower bar)");
        });
        command.SetAction((parse, cancel) =>
        {
            bool isQuiet = parse.GetValue(quiet);
            var targets = new CalibrationTargets
            {
                ManipulatedFalsePositiveRate = parse.GetValue(manipulatedFpr),
                SuspiciousFalsePositiveRate = parse.GetValue(suspiciousFpr),
                ScoreFunction = parse.GetValue(score),
            };
            var set = new CalibrationSet(parse.GetValue(authentic)!, parse.GetValue(manipulated)!);
            int known = set.Images.Count(i => i.Manipulated);
            if (!isQuiet) console.Line($"sparsevit: calibrating on {set.Images.Count - known} authentic and {known} manipulated image(s)" + (set.Unknown.Count > 0 ? $", {set.Unknown.Count} left out (class unknown)" : ""));
            var resolved = CheckpointResolver.Resolve(parse.GetValue(checkpoint), environment: console.Environment);
            using var predictor = SparseViTPredictor.Load(resolved.Path, new PredictorOptions
            {
                Device = parse.GetValue(device)!, Precision = parse.GetValue(precision), Backend = parse.GetValue(backend), Threads = console.Threads(parse.GetValue(threads)),
            });
            if (!isQuiet) console.Line($"sparsevit: model {predictor.Description.Name} from {resolved.Describe()} on {predictor.Description.Device}, {predictor.Description.Precision}");
            int done = 0;
            var run = new CalibrationRun(predictor, parse.GetValue(batch))
            {
                Scored = (record, _) =>
                {
                    done++;
                    if (record.Error is { } e) console.Line($"sparsevit: {record.Path}: {e.Code}: {e.Message} (left out)");
                    else if (!isQuiet && done % 50 == 0) console.Line($"sparsevit: scored {done} of {set.Images.Count}");
                },
            };
            var calibration = run.Run(set, targets, VersionReport.ToolVersion(), cancel);
            string path = parse.GetValue(output) is { Length: > 0 } o && o != "-" ? o : CalibrationFile.BesidePath(predictor.Description.CheckpointPath);
            CalibrationFile.Save(calibration, path);
            var written = CalibrationFile.Load(path, predictor.Description.CheckpointSha256);
            if (!isQuiet) WriteSummary(console, written);
            console.Line($"sparsevit: wrote {Path.GetFullPath(path)}");
            foreach (var (file, problem) in run.LeftOut.Take(20)) console.Line($"sparsevit: left out {file}: {problem}");
            return Task.FromResult(run.LeftOut.Count > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success);
        });
        return command;
    }

    private static void WriteSummary(CliConsole console, ScoreCalibration c)
    {
        var candidates = new Table().AddColumns("image score", "AUC");
        foreach (var candidate in c.Candidates)
            candidates.AddRow((candidate.Function == c.ScoreFunction ? "* " : "  ") + candidate.Function.Name(), CalibrationText.F(candidate.Auc));
        console.Ansi.Write(candidates);
        var points = new Table().AddColumns("verdict", "threshold", "target FPR", "FPR (95% interval)", "TPR (95% interval)");
        foreach (var (name, p) in new[] { ("manipulated", c.Manipulated), ("suspicious", c.Suspicious) })
            points.AddRow(name, CalibrationText.F(p.Threshold), CalibrationText.P(p.TargetFalsePositiveRate),
                Markup.Escape($"{p.FalsePositives}/{p.Authentic} = {CalibrationText.P(p.FalsePositiveRate)} ({CalibrationText.Interval(p.FalsePositiveInterval)})"),
                Markup.Escape($"{p.TruePositives}/{p.Manipulated} = {CalibrationText.P(p.TruePositiveRate)} ({CalibrationText.Interval(p.TruePositiveInterval)})"));
        console.Ansi.Write(points);
    }
}
