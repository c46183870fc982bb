using System.CommandLine;
using SparseViT.Cli.Output;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Models;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Reports;
using SparseViT.Forensics.Scanning;
using Spectre.Console;

namespace SparseViT.Cli.Commands;

/// <summary>`sparsevit scan`: the batch front end of <see cref="ImageScanner"/>.</summary>
public static class ScanCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Files, folders, globs, or - to read paths (one per line) from stdin.", Arity = ArgumentArity.OneOrMore };
        var recurse = new Option<bool>("--recurse", "-r") { Description = "Descend into sub-folders." };
        var formats = CommonOptions.Formats();
        var c2paTrust = CommonOptions.C2paTrust();
        var format = CommonOptions.Format("jsonl", "json", "jsonl", "csv", "html", "sarif", "junit");
        var output = CommonOptions.Output("Record file (default: stdout).");
        var masks = new Option<string?>("--masks") { Description = "Write each probability map as an 8-bit grey PNG at the original size into this folder." };
        var overlays = new Option<string?>("--overlays") { Description = "Write each image with the thresholded mask overlaid in red into this folder." };
        var threshold = CommonOptions.Threshold("Pixel probability counted as manipulated (0..1).");
        var checkpoint = CommonOptions.Checkpoint();
        var calibration = CommonOptions.Calibration();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var backend = CommonOptions.Backend();
        var batch = new Option<int>("--batch-size", "-b") { Description = "Images per forward pass.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var threads = CommonOptions.Threads();
        var decodeWorkers = new Option<int?>("--decode-workers") { Description = "Threads decoding ahead of the model (default: from the core count)." }.AtLeast(1);
        var failOn = new Option<FailOn>("--fail-on")
        {
            Description = "Exit 1 when a record reaches this level: manipulated, suspicious, error (only failed files count, exit 3), never.",
            DefaultValueFactory = _ => FailOn.Manipulated,
            CustomParser = result => CommonOptions.Parsed(result, FailOnPolicy.Parse),
        };
        failOn.AcceptOnlyFromAmong(FailOnPolicy.Names);
        var resume = new Option<bool>("--resume") { Description = "With --format jsonl --output FILE: skip files FILE already records (same path and size) and append." };
        var shard = new Option<ShardSelector?>("--shard")
        {
            Description = "i/N: scan only shard i (from 0) of N, by a stable hash of the path relative to the scan root.",
            CustomParser = result => CommonOptions.Parsed(result, ShardSelector.Parse),
        };
        var shardCount = new Option<int?>("--shard-count") { Description = "N, with the index i taken from JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID." }.AtLeast(1);
        var quiet = CommonOptions.Quiet();
        var skipMetadata = new Option<bool>("--skip-metadata") { Description = "Model evidence only: no EXIF/XMP reading and no metadata indicators." };

        var command = new Command("scan", "Scan images for manipulated regions and write one forensic record per file.\n" + ExitCodes.HelpText)
        {
            inputs, recurse, formats, format, output, masks, overlays, threshold, checkpoint, calibration, device, precision, backend, batch, threads, decodeWorkers, failOn, resume, shard, shardCount, quiet, skipMetadata, c2paTrust,
        };
        command.Validators.Add(result =>
        {
            string? target = result.GetValue(output);
            if (result.GetValue(resume) && (result.GetValue(format) != "jsonl" || string.IsNullOrEmpty(target) || target == "-"))
                result.AddError("--resume needs --format jsonl and --output FILE (the file earlier runs wrote)");
            if (result.GetValue(format) == "html" && (string.IsNullOrEmpty(target) || target == "-"))
                result.AddError("--format html needs --output FILE (a report with pictures is a file, not a stream)");
            // A --shard that did not parse has its own error already; reading it here would throw.
            ShardSelector? given;
            try { given = result.GetValue(shard); }
            catch (InvalidOperationException) { return; }
            if (given is not null && result.GetValue(shardCount) is { } count && count != given.Count)
                result.AddError($"--shard {given} disagrees with --shard-count {count}");
        });
        command.SetAction(parse =>
        {
            string fmt = parse.GetValue(format)!;
            string? outputPath = parse.GetValue(output);
            bool isResume = parse.GetValue(resume);
            int batchSize = parse.GetValue(batch);
            double th = parse.GetValue(threshold);
            var level = parse.GetValue(failOn);
            var shards = parse.GetValue(shard) ?? ShardSelector.FromEnvironment(parse.GetValue(shardCount), console.Environment);
            var options = new PredictorOptions
            {
                Device = parse.GetValue(device)!,
                Precision = parse.GetValue(precision), Backend = parse.GetValue(backend),
                Threads = console.Threads(parse.GetValue(threads)),
            };
            bool isQuiet = parse.GetValue(quiet);
            var started = DateTimeOffset.UtcNow;

            var resolved = CheckpointResolver.Resolve(parse.GetValue(checkpoint), environment: console.Environment);
            ResumeIndex? index = null;
            if (isResume)
            {
                index = ResumeIndex.Load(outputPath!);
                index.TruncateTail(outputPath!);
                if (!isQuiet) console.Line($"sparsevit: resuming: {index.Count} file(s) already recorded in {outputPath}" + (index.DiscardedLines > 0 ? $", {index.DiscardedLines} partial line(s) dropped" : ""));
            }
            using var predictor = SparseViTPredictor.Load(resolved.Path, options);
            if (!isQuiet) console.Line($"sparsevit: model {predictor.Description.Name} from {resolved.Describe()} on {predictor.Description.Device}, {predictor.Description.Precision}, {predictor.Description.Backend} backend");
            var calibrated = CalibrationFile.ForCheckpoint(predictor.Description.CheckpointPath, predictor.Description.CheckpointSha256, parse.GetValue(calibration));
            if (!isQuiet) console.Line($"sparsevit: {CalibrationText.Describe(calibrated)}");

            var scanner = new ImageScanner(predictor, new ScanOptions
            {
                Recurse = parse.GetValue(recurse),
                Formats = parse.GetValue(formats),
                C2paTrust = parse.GetValue(c2paTrust),
                BatchSize = batchSize,
                DecodeWorkers = parse.GetValue(decodeWorkers),
                Threshold = th,
                MasksDirectory = parse.GetValue(masks) ?? (fmt == "html" ? ReportMasksFolder(outputPath!) : null),
                OverlaysDirectory = parse.GetValue(overlays),
                Shard = shards,
                Resume = index,
                SkipMetadata = parse.GetValue(skipMetadata),
                Calibration = calibrated,
            });
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                var run = new ReportRun
                {
                    ToolVersion = VersionReport.ProductVersion(), StartedAt = started, FailOn = level.ToString().ToLowerInvariant(),
                    ScanRoot = parse.GetValue(inputs)!.FirstOrDefault(Directory.Exists),
                };
                using var sink = RecordSink.Open(fmt, outputPath, append: isResume, console.StandardOutput, run);
                var records = scanner.Scan(parse.GetValue(inputs)!, console.In, cancel.Token);
                if (!isQuiet && console.IsErrorTerminal) RunWithProgress(console, records, sink, scanner.Statistics);
                else
                    foreach (var record in records)
                    {
                        sink.Write(record);
                        if (record.Status == RecordStatus.Error) console.Line(FailureLine(record));
                    }
                sink.Complete();
            }
            catch (OperationCanceledException)
            {
                console.Warn("interrupted; records written so far are complete (rerun with --resume to continue a jsonl scan)");
                return 130;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            var s = scanner.Statistics;
            if (!isQuiet)
                console.Line($"sparsevit: {s.Recorded} recorded ({s.Ok} ok, {s.Failed} failed; {s.Manipulated} manipulated, {s.Suspicious} suspicious)" +
                            (s.SkippedAlreadyRecorded > 0 ? $", {s.SkippedAlreadyRecorded} already recorded" : "") +
                            (shards.IsAll ? "" : $", shard {shards}: {s.SkippedOtherShard} in other shards"));
            return FailOnPolicy.ExitCode(level, s.Manipulated, s.Suspicious, s.Failed);
        });
        return command;
    }

    /// <summary>Each failed file named on stderr as it happens (also with --quiet: errors are not chatter); the record holds the same.</summary>
    /// <summary>The probability maps an HTML report draws its heat maps from, kept beside it ("&lt;report&gt;_files/masks").</summary>
    private static string ReportMasksFolder(string output) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output) + "_files", "masks");

    private static string FailureLine(ForensicRecord record) => $"sparsevit: {record.Path}: {record.Error?.Code}: {record.Error?.Message}";

    private static void RunWithProgress(CliConsole console, IEnumerable<ForensicRecord> records, RecordSink sink, ScanStatistics stats)
    {
        console.Ansi.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("scanning", autoStart: true, maxValue: 1).IsIndeterminate();
                foreach (var record in records)
                {
                    sink.Write(record);
                    if (record.Status == RecordStatus.Error) console.Ansi.WriteLine(FailureLine(record));
                    task.Description = $"{stats.Recorded} scanned, {stats.Failed} failed, {stats.Manipulated} manipulated, {stats.Suspicious} suspicious — {Markup.Escape(Path.GetFileName(record.Path))}";
                }
            });
    }
}
