using System.CommandLine;
using SparseViT.Cli.Output;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;
using SparseViT.Training;
using SparseViT.Training.Data;

namespace SparseViT.Cli.Commands;

/// <summary><c>sparsevit train</c>: trains or fine-tunes a SparseViT configuration on labelled folders and/or synthetic edits of photos.</summary>
public static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var config = new Option<SparseViTConfig>("--config")
        {
            Description = "base, compact, tiny, a JSON file or inline JSON of the configuration.",
            DefaultValueFactory = _ => SparseViTConfig.Compact,
            CustomParser = result => CommonOptions.Parsed(result, ParseConfig),
        };
        var init = new Option<string?>("--init") { Description = "Start from this checkpoint's weights (fine-tuning); ignored when --resume finds a saved state." };
        var data = new Option<string[]>("--data") { Description = "Folder with Tp/ (images) and Gt/ (masks), the authors' layout. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var photos = new Option<string[]>("--photos") { Description = "Folder of authentic photos for synthetic manipulations (see checkpoints/training/install-photos.sh). Repeatable." };
        var evalPhotos = new Option<string[]>("--eval-photos") { Description = "Photos for the held-out synthetic evaluation; when the same folder is given to --photos, photos are split by a stable hash." };
        var evalCount = new Option<int>("--eval-count") { Description = "Held-out synthetic edits to score.", DefaultValueFactory = _ => 200 }.AtLeast(0);
        var evalSeed = new Option<int>("--eval-seed") { Description = "Seed of the held-out edits (the default gives the fixed set the model card reports; another seed draws a fresh set of the same photos).", DefaultValueFactory = _ => 20250 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate every N steps (default: with each save)." }.AtLeast(0);
        var steps = new Option<int>("--steps") { Description = "Optimizer updates in the whole schedule.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var maxSteps = new Option<int>("--max-steps-this-run") { Description = "Stop this process after N updates (the schedule still spans --steps); 0 = no limit." }.AtLeast(0);
        var batch = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var accumulate = new Option<int>("--accumulate") { Description = "Forward passes per optimizer update (gradient accumulation).", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => 1e-3 }.Positive();
        var minLr = new Option<double>("--min-lr") { Description = "Learning rate at the end of the cosine.", DefaultValueFactory = _ => 1e-5 }.NotNegative();
        var wd = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not applied to biases, norms, scales).", DefaultValueFactory = _ => 0.05 }.NotNegative();
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up updates.", DefaultValueFactory = _ => 100 }.AtLeast(0);
        var clip = new Option<double>("--clip-grad") { Description = "Gradient norm clip; 0 = off.", DefaultValueFactory = _ => 1.0 }.NotNegative();
        var saveEvery = new Option<int>("--save-every") { Description = "Save the training state and a checkpoint every N updates.", DefaultValueFactory = _ => 250 }.AtLeast(1);
        var logEvery = new Option<int>("--log-every") { Description = "Log loss and learning rate every N updates.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var output = new Option<string>("--output", "-o") { Description = "Folder for checkpoints, logs and the resumable state.", Required = true };
        var format = new Option<string>("--format") { Description = "Checkpoint format: pth (the authors' layout) or safetensors.", DefaultValueFactory = _ => "pth" };
        format.AcceptOnlyFromAmong("pth", "safetensors");
        var half = new Option<bool>("--fp16") { Description = "Store exported checkpoints as fp16 (half the size)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from <output>/train-state when it exists." };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var workers = new Option<int>("--workers") { Description = "Threads making samples; 0 = automatic (1 on the CPU, all cores but one with a GPU)." }.AtLeast(0);
        var timeBudget = new Option<TimeSpan?>("--time-budget")
        {
            Description = "Fit the schedule into this wall-clock time (e.g. 90s, 7m, 1h30m, 01:30:00); --steps becomes the upper bound.",
            CustomParser = result => CommonOptions.Parsed<TimeSpan?>(result, text => Durations.Parse(text, "--time-budget")),
        };
        var evalOnly = new Option<bool>("--eval-only") { Description = "Only score --init (or the saved state in --output) on edits of the held-out split of --eval-photos; no training." };
        var writeEval = new Option<string?>("--write-eval-set") { Description = "Also write the held-out edits to this folder as Tp/ + Gt/ PNGs (for sparsevit evaluate)." };
        var evalAuthentic = new Option<int>("--eval-authentic") { Description = "With --write-eval-set: also write N unedited samples of the held-out photos (half through the scan's own resize; all-black masks), for calibration and false-positive rates." }.AtLeast(0);
        var layerScale = new Option<double>("--layer-scale-init") { Description = "Initial gamma of the attention blocks when training from scratch (the authors' 1e-6 assumes a pretrained backbone).", DefaultValueFactory = _ => AuthorsInitialization.LayerScaleInit }.Within(double.Epsilon, 1);
        var dice = new Option<double>("--dice-weight") { Description = "Add this weight × soft Dice to the BCE loss; 0 = BCE only, as the authors.", DefaultValueFactory = _ => 0.0 }.NotNegative();
        var exportPhotos = new Option<string?>("--export-photos") { Description = "Only write the photos of --photos and --eval-photos, reduced to the size training uses, to this folder as <identity>.jpg (same split when loaded), then exit: a portable photo set for a GPU host." };
        var authentic = new Option<double>("--authentic-share") { Description = "Share of synthetic samples left unedited (all-zero masks, same crops, rescales and JPEG saves as the edits).", DefaultValueFactory = _ => SyntheticManipulator.DefaultAuthenticShare }.Within(0, 0.95);
        var fullFrame = new Option<double>("--full-frame-share") { Description = "Share of synthetic samples made from the whole photo through the scan's own resize (as a scanned file is seen) instead of a square crop.", DefaultValueFactory = _ => 0.0 }.Within(0, 1);
        var seed = new Option<int>("--seed") { Description = "Seed for initialization and the sample stream.", DefaultValueFactory = _ => 1 };

        var command = new Command("train", "Train or fine-tune SparseViT (BCE on upsampled logits, AdamW, warm-up + cosine) on Tp/Gt folders and/or synthetic edits of photos.");
        foreach (var o in new Option[] { config, init, data, photos, evalPhotos, evalCount, evalSeed, evalEvery, steps, maxSteps, batch, accumulate, lr, minLr, wd, warmup, clip, saveEvery, logEvery, output, format, half, resume, threads, device, workers, timeBudget, evalOnly, writeEval, evalAuthentic, exportPhotos, layerScale, dice, authentic, fullFrame, seed })
            command.Options.Add(o);

        command.Validators.Add(result =>
        {
            bool evalOnlyRun = result.GetValue(evalOnly), exporting = result.GetValue(exportPhotos) is not null;
            bool anyPhotos = (result.GetValue(photos)?.Length ?? 0) > 0, anyEvalPhotos = (result.GetValue(evalPhotos)?.Length ?? 0) > 0;
            if (exporting && !anyPhotos && !anyEvalPhotos) result.AddError("--export-photos needs --photos and/or --eval-photos");
            else if (!exporting && !evalOnlyRun && (result.GetValue(data)?.Length ?? 0) == 0 && !anyPhotos)
                result.AddError("give --data <folder with Tp/ and Gt/> and/or --photos <folder of photos>");
            else if (evalOnlyRun && !anyEvalPhotos) result.AddError("--eval-only needs --eval-photos");
            else if (result.GetValue(evalAuthentic) > 0 && result.GetValue(writeEval) is null) result.AddError("--eval-authentic needs --write-eval-set (the unedited samples are only written, never scored in training)");
        });
        command.SetAction((parse, cancel) =>
        {
            if (parse.GetValue(exportPhotos) is { } exportDir)
            {
                var folders = (parse.GetValue(photos) ?? []).Concat(parse.GetValue(evalPhotos) ?? []).Distinct().ToList();
                var library = PhotoLibrary.Load(folders, PhotoSplit.All);
                long bytes = library.Export(exportDir);
                int heldOut = library.Identities.Count(id => PhotoLibrary.SplitOf(id) == PhotoSplit.HeldOut);
                console.Line($"train: wrote {library.Count} photos ({library.Count - heldOut} training, {heldOut} held out; {bytes / 1e6:F1} MB) to {exportDir}");
                return Task.FromResult(0);
            }
            var options = new TrainingOptions
            {
                Config = parse.GetValue(config)!,
                InitCheckpoint = parse.GetValue(init),
                DataFolders = parse.GetValue(data) ?? [],
                PhotoFolders = parse.GetValue(photos) ?? [],
                EvalPhotoFolders = parse.GetValue(evalPhotos) ?? [],
                EvalCount = parse.GetValue(evalCount),
                EvalEvery = parse.GetValue(evalEvery),
                EvalSeed = parse.GetValue(evalSeed),
                Steps = parse.GetValue(steps),
                MaxStepsThisRun = parse.GetValue(maxSteps),
                BatchSize = parse.GetValue(batch),
                Accumulate = parse.GetValue(accumulate),
                LearningRate = parse.GetValue(lr),
                MinLearningRate = parse.GetValue(minLr),
                WeightDecay = parse.GetValue(wd),
                WarmupSteps = parse.GetValue(warmup),
                ClipGradNorm = parse.GetValue(clip),
                SaveEvery = parse.GetValue(saveEvery),
                LogEvery = parse.GetValue(logEvery),
                OutputDir = parse.GetValue(output)!,
                Format = parse.GetValue(format) == "safetensors" ? CheckpointFileFormat.Safetensors : CheckpointFileFormat.Pth,
                HalfPrecisionExport = parse.GetValue(half),
                Resume = parse.GetValue(resume),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                AuthenticShare = parse.GetValue(authentic),
                EvalAuthenticCount = parse.GetValue(evalAuthentic),
                FullFrameShare = parse.GetValue(fullFrame),
                SampleWorkers = parse.GetValue(workers),
                TimeBudget = parse.GetValue(timeBudget),
                Seed = parse.GetValue(seed),
                EvaluateOnly = parse.GetValue(evalOnly),
                WriteEvalSetTo = parse.GetValue(writeEval),
                LayerScaleInit = parse.GetValue(layerScale),
                DiceWeight = parse.GetValue(dice),
            };
            var summary = new Trainer(options, console.Error).Run(cancel);
            console.Line($"train: steps {summary.StartStep} → {summary.EndStep}; last checkpoint {summary.LastCheckpoint ?? "(none)"}");
            if (summary.LastEvaluation is not null) console.Line($"train: held-out {summary.LastEvaluation}");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>A variant name, a JSON file, or inline JSON.</summary>
    private static SparseViTConfig ParseConfig(string value)
    {
        if (SparseViTConfig.Variants.TryGetValue(value.Trim(), out var named)) return named;
        if (File.Exists(value)) return SparseViTConfig.FromJson(File.ReadAllText(value));
        if (value.TrimStart().StartsWith('{')) return SparseViTConfig.FromJson(value);
        throw new ArgumentException($"not {string.Join("|", SparseViTConfig.Variants.Keys)}, a JSON file or JSON");
    }
}
