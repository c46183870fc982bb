using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Engine.Training;

public enum ExportFormat { Pth, Safetensors }

/// <summary>Everything one training run needs; the CLI maps its options onto this.</summary>
public sealed record TrainingOptions
{
    public required SparseViTConfig Config { get; init; }
    public required string OutputDir { get; init; }
    public string? InitCheckpoint { get; init; }
    public IReadOnlyList<string> DataFolders { get; init; } = [];
    public IReadOnlyList<string> PhotoFolders { get; init; } = [];
    public IReadOnlyList<string> EvalPhotoFolders { get; init; } = [];
    public int EvalCount { get; init; } = 200;
    public int EvalEvery { get; init; }
    public int EvalSeed { get; init; } = 20250;
    /// <summary>Optimizer updates (each of BatchSize × Accumulate samples); also the cosine schedule's horizon.</summary>
    public int Steps { get; init; } = 1000;
    public int BatchSize { get; init; } = 4;
    public int Accumulate { get; init; } = 1;
    public double LearningRate { get; init; } = 1e-3;
    public double MinLearningRate { get; init; } = 1e-5;
    public double WeightDecay { get; init; } = 0.05;
    public int WarmupSteps { get; init; } = 100;
    public double ClipGradNorm { get; init; } = 1.0;
    public int SaveEvery { get; init; } = 250;
    public int KeepCheckpoints { get; init; } = 3;
    public int LogEvery { get; init; } = 10;
    public ExportFormat Format { get; init; } = ExportFormat.Pth;
    /// <summary>Store exported checkpoints as fp16 (half the size); the training state itself stays fp32.</summary>
    public bool HalfPrecisionExport { get; init; }
    public bool Resume { get; init; }
    public int Threads { get; init; } = 1;
    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSelector"/>).</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Threads that make samples; 0 = one on the CPU (libtorch has the cores), all but one on a GPU.</summary>
    public int SampleWorkers { get; init; }
    /// <summary>
    /// Wall-clock budget for the whole run (photos, training, saves, evaluation). After a short measurement the schedule's
    /// horizon is fitted to it (never beyond <see cref="Steps"/>), and training stops in time if steps slow down.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>Stop after this many updates in this process (the schedule still spans <see cref="Steps"/>); 0 = no limit.</summary>
    public int MaxStepsThisRun { get; init; }
    /// <summary>Only score the weights (from --init or the saved state) on the held-out set; no training.</summary>
    public bool EvaluateOnly { get; init; }
    /// <summary>Also write the held-out edits as a Tp/ + Gt/ folder (PNG), so other tools can score the same images.</summary>
    public string? WriteEvalSetTo { get; init; }
    /// <summary>Initial layer scale (gamma) of the attention blocks when training from scratch; the authors use 1e-6.</summary>
    public double LayerScaleInit { get; init; } = AuthorsInitialisation.LayerScaleInit;
    /// <summary>
    /// Weight of a soft-Dice term added to the authors' BCE (0 = BCE only, as the authors). Edited pixels are ~10 % of
    /// an image, so BCE alone keeps a young model's probabilities under 0.5 everywhere; Dice rewards overlap directly.
    /// </summary>
    public double DiceWeight { get; init; }
}

/// <summary>What the run did, for the caller and the tests.</summary>
public sealed record TrainingSummary(int StartStep, int EndStep, IReadOnlyList<(int Step, double Loss)> Losses, string? LastCheckpoint, EvaluationResult? LastEvaluation);

/// <summary>
/// Trains or fine-tunes SparseViT as the authors do: BCE on the logits upsampled to the input size, AdamW (no weight
/// decay on biases, norms and per-channel scales), linear warm-up then half-cycle cosine, gradient accumulation.
/// The resumable state (weights, optimizer moments, step) lives in <c>&lt;output&gt;/train-state/</c>; exported
/// checkpoints are the authors' .pth layout or safetensors.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingOptions _o;
    private readonly TextWriter _log;
    private readonly Stopwatch _budgetClock = Stopwatch.StartNew();

    public Trainer(TrainingOptions options, TextWriter? log = null)
    {
        _o = options;
        _log = log ?? Console.Error;
        if (options.Steps <= 0 || options.BatchSize <= 0 || options.Accumulate <= 0) throw new ArgumentException("--steps, --batch-size and --accumulate must be positive");
        if (options.LearningRate <= 0) throw new ArgumentException("--lr must be positive");
        if (options.SampleWorkers < 0) throw new ArgumentException("--workers must be 0 (automatic) or positive");
        if (options.TimeBudget is { } budget && budget <= TimeSpan.Zero) throw new ArgumentException("--time-budget must be positive");
    }

    public string StateDir => Path.Combine(_o.OutputDir, "train-state");

    /// <summary>Half-cycle cosine from the peak to the floor after a linear warm-up (the authors' lr_sched, per update).</summary>
    public static double LearningRateAt(int step, int totalSteps, int warmup, double peak, double floor)
    {
        if (step < warmup) return peak * (step + 1) / warmup;
        double progress = Math.Min(1.0, (double)(step - warmup) / Math.Max(1, totalSteps - warmup));
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Builds the sample stream and evaluation set from the options' folders, then trains.</summary>
    public TrainingSummary Run(CancellationToken cancel = default)
    {
        TorchRuntime.EnsureInitialised();

        SyntheticEvaluation? evaluation = null;
        if (_o.EvalPhotoFolders.Count > 0 && _o.EvalCount > 0)
        {
            // Without training folders to compare with (--eval-only), the held-out split is the only safe choice.
            var heldOut = PhotoLibrary.Load(_o.EvalPhotoFolders, SameFolders() || _o.EvaluateOnly ? PhotoSplit.HeldOut : PhotoSplit.All);
            evaluation = new SyntheticEvaluation(heldOut, _o.EvalCount, _o.EvalSeed, _o.Config.ImageSize);
            _log.WriteLine($"train: evaluation on {_o.EvalCount} edits of {heldOut.Count} held-out photos (seed {_o.EvalSeed})");
            if (_o.WriteEvalSetTo is not null)
            {
                evaluation.WriteFolder(_o.WriteEvalSetTo);
                _log.WriteLine($"train: wrote the held-out edits to {_o.WriteEvalSetTo} (Tp/, Gt/)");
            }
        }
        if (_o.EvaluateOnly) return EvaluateOnly(evaluation);

        var folders = _o.DataFolders.Select(d => new FolderDataset(d, _o.Config.ImageSize)).ToList();
        SyntheticManipulator? synthetic = null;
        if (_o.PhotoFolders.Count > 0)
        {
            var photos = PhotoLibrary.Load(_o.PhotoFolders, _o.EvalPhotoFolders.Count > 0 && SameFolders() ? PhotoSplit.Train : PhotoSplit.All);
            _log.WriteLine($"train: {photos.Count} photos for synthetic edits from {string.Join(", ", _o.PhotoFolders)}");
            synthetic = new SyntheticManipulator(photos, _o.Config.ImageSize);
        }
        foreach (var f in folders) _log.WriteLine($"train: {f.Count} labelled pairs in {f.Root}");
        var source = new SampleSource(folders, synthetic, _o.Seed);
        return Run(source, evaluation, cancel);
    }

    /// <summary>Trains on <paramref name="source"/>, scoring on <paramref name="evaluation"/> when given.</summary>
    public TrainingSummary Run(SampleSource source, SyntheticEvaluation? evaluation = null, CancellationToken cancel = default)
    {
        TorchRuntime.EnsureInitialised();
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        var device = DeviceSelector.Resolve(_o.Device);
        bool cuda = device.type == DeviceType.CUDA;
        if (cuda)
        {
            // TF32 tensor cores for fp32 matmuls and convolutions: PyTorch's AMP-free speed setting; the weights stay fp32.
            torch.backends.cuda.matmul.allow_tf32 = true;
            torch.backends.cudnn.allow_tf32 = true;
        }
        torch.manual_seed(_o.Seed);
        Directory.CreateDirectory(_o.OutputDir);
        using var model = new SparseViTModel(_o.Config);

        int step = 0;
        var state = LoadStateWeights(model);
        if (state is not null)
        {
            step = state.Step;
            _log.WriteLine($"train: resumed at step {step} from {StateDir}");
        }
        else if (_o.InitCheckpoint is not null)
        {
            ModelState.Import(model, CheckpointFiles.Read(_o.InitCheckpoint, _o.Config));
            _log.WriteLine($"train: initialised from {_o.InitCheckpoint}");
        }
        else
        {
            AuthorsInitialisation.Apply(model, _o.LayerScaleInit);
            _log.WriteLine($"train: initialised from scratch (trunc-normal 0.02 linears as the authors; layer scale {_o.LayerScaleInit:G3}, theirs 1e-6)");
        }
        model.to(device);
        // The optimizer allocates its moments beside the parameters, so it is made after the move.
        var (decay, noDecay) = SplitForWeightDecay(model);
        using var optimizer = new AdamWOptimizer([(decay, _o.WeightDecay), (noDecay, 0.0)], _o.LearningRate);
        if (state is not null) optimizer.Load(Path.Combine(StateDir, "optimizer.bin"));

        int workers = _o.SampleWorkers > 0 ? _o.SampleWorkers : cuda ? Math.Max(1, Environment.ProcessorCount - 1) : 1;
        _log.WriteLine($"train: {_o.Config} ({model.ParameterCount:N0} parameters), {_o.Steps} steps × {_o.BatchSize}×{_o.Accumulate} samples, lr {_o.LearningRate:G3}, " +
                       $"device {DeviceSelector.Describe(device)}{(cuda ? " (TF32)" : "")}, threads {torch.get_num_threads()}, sample workers {workers}");
        File.WriteAllText(Path.Combine(_o.OutputDir, "config.json"), ModelState.ConfigJson(_o.Config));

        model.train();
        var losses = new List<(int, double)>();
        string? lastCheckpoint = null;
        EvaluationResult? lastEval = null;
        int samplesPerStep = _o.BatchSize * _o.Accumulate;
        int horizon = _o.Steps;
        int lastStepThisRun = _o.MaxStepsThisRun > 0 ? Math.Min(_o.Steps, step + _o.MaxStepsThisRun) : _o.Steps;
        int stopAt = lastStepThisRun;
        int startStep = step;
        int evalEvery = _o.EvalEvery > 0 ? _o.EvalEvery : _o.SaveEvery;
        var budget = _o.TimeBudget is { } b ? new TrainingTimeBudget(b, startStep, evaluation is null ? 0 : evalEvery) : null;
        if (budget is not null && evaluation is not null)
        {
            // Under a budget the first evaluation comes first: it gives the starting score and what the final one will cost.
            lastEval = Evaluate(evaluation, model, device, step, budget);
        }
        var clock = Stopwatch.StartNew();
        double windowLoss = 0;
        int windowCount = 0;
        using var stream = source.Stream((long)step * samplesPerStep, cancel, workers).GetEnumerator();

        while (step < stopAt && !cancel.IsCancellationRequested)
        {
            double lr = LearningRateAt(step, horizon, _o.WarmupSteps, _o.LearningRate, _o.MinLearningRate);
            optimizer.LearningRate = lr;
            optimizer.ZeroGrad();
            double stepLoss = 0;
            for (int micro = 0; micro < _o.Accumulate; micro++)
            {
                using var scope = NewDisposeScope();
                var batch = new List<TrainingSample>(_o.BatchSize);
                while (batch.Count < _o.BatchSize && stream.MoveNext()) batch.Add(stream.Current);
                if (batch.Count < _o.BatchSize) throw new OperationCanceledException();
                var (images, masks) = TrainingTensors.Batch(batch, device);
                var loss = Loss(model.UpsampledLogits(images), masks, _o.DiceWeight);
                if (_o.Accumulate == 1) loss.backward();
                else
                {
                    using var parts = ((double)_o.Accumulate).ToScalar();
                    loss.div(parts).backward();
                }
                stepLoss += loss.item<float>() / _o.Accumulate;
            }
            if (double.IsNaN(stepLoss)) throw new InvalidOperationException($"loss became NaN at step {step}; lower --lr");
            if (_o.ClipGradNorm > 0) nn.utils.clip_grad_norm_(model.parameters(), _o.ClipGradNorm);
            optimizer.Step();
            step++;
            losses.Add((step, stepLoss));
            windowLoss += stepLoss;
            windowCount++;

            if (budget is not null)
            {
                if (budget.Fit(step, _budgetClock.Elapsed, _o.Steps) is { } fitted)
                {
                    horizon = fitted;
                    stopAt = Math.Min(lastStepThisRun, fitted);
                    _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"train: {budget.SecondsPerStep:F3} s/step measured; schedule fitted to {horizon} steps to end within the {_o.TimeBudget:c} budget"));
                }
                else if (budget.OutOfTime(_budgetClock.Elapsed) && step < stopAt)
                {
                    _log.WriteLine($"train: time budget nearly spent at step {step} (schedule {horizon}); stopping here");
                    stopAt = step;
                }
            }

            if (step % _o.LogEvery == 0 || step == stopAt)
            {
                double seconds = clock.Elapsed.TotalSeconds / Math.Max(1, step - startStep);
                string line = string.Create(CultureInfo.InvariantCulture, $"step {step}/{horizon} loss {windowLoss / windowCount:F4} lr {lr:E2} {seconds:F2} s/step");
                _log.WriteLine("train: " + line);
                File.AppendAllText(Path.Combine(_o.OutputDir, "log.tsv"),
                    string.Create(CultureInfo.InvariantCulture, $"{step}\t{windowLoss / windowCount:F5}\t{lr:E3}\t{seconds:F3}\t{DateTime.UtcNow:O}\n"));
                windowLoss = 0;
                windowCount = 0;
            }
            bool save = step % _o.SaveEvery == 0 || step == stopAt;
            if (save)
            {
                SaveState(model, optimizer, step);
                lastCheckpoint = Export(model, step);
            }
            if (evaluation is not null && (step % evalEvery == 0 || step == stopAt))
                lastEval = Evaluate(evaluation, model, device, step, budget);
        }
        if (step > startStep && lastCheckpoint is null)
        {
            SaveState(model, optimizer, step);
            lastCheckpoint = Export(model, step);
        }
        return new TrainingSummary(startStep, step, losses, lastCheckpoint, lastEval);
    }

    /// <summary>Scores the model, tells the budget what that cost, and records the result (log, eval.tsv, best).</summary>
    private EvaluationResult Evaluate(SyntheticEvaluation evaluation, SparseViTModel model, Device device, int step, TrainingTimeBudget? budget)
    {
        var clock = Stopwatch.StartNew();
        var result = evaluation.Evaluate(model, _o.BatchSize, device);
        budget?.Spent(clock.Elapsed);
        _log.WriteLine($"train: eval at step {step}: {result}");
        File.AppendAllText(Path.Combine(_o.OutputDir, "eval.tsv"),
            string.Create(CultureInfo.InvariantCulture, $"{step}\t{result.MeanF1:F5}\t{result.MeanIoU:F5}\t{result.MeanLoss:F5}\t{result}\n"));
        TrackBest(model, step, result);
        return result;
    }

    /// <summary>BCE on the upsampled logits (the authors' loss) plus <paramref name="diceWeight"/> × soft Dice per image.</summary>
    public static Tensor Loss(Tensor logits, Tensor masks, double diceWeight)
    {
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, masks);
        if (diceWeight <= 0) return bce;
        // Explicit scalars that outlive the calls reading them (see NativeScalars for why implicit ones are unsafe).
        using var one = 1.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var weight = diceWeight.ToScalar();
        var p = logits.sigmoid().flatten(1);
        var t = masks.flatten(1);
        // +1 smoothing: an authentic image (empty mask) predicted empty scores a Dice loss of ~0, not 0/0.
        var overlap = (p * t).sum(1).mul(two).Plus(one);
        var dice = (overlap / p.sum(1).Plus(t.sum(1)).Plus(one)).neg().Plus(one);
        return bce.Plus(dice.mean().mul(weight));
    }

    private TrainingSummary EvaluateOnly(SyntheticEvaluation? evaluation)
    {
        if (evaluation is null) throw new ArgumentException("--eval-only needs --eval-photos");
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        var device = DeviceSelector.Resolve(_o.Device);
        using var model = new SparseViTModel(_o.Config);
        int step = 0;
        if (_o.InitCheckpoint is not null) ModelState.Import(model, CheckpointFiles.Read(_o.InitCheckpoint, _o.Config));
        else if (File.Exists(Path.Combine(StateDir, "state.json")))
        {
            model.load(Path.Combine(StateDir, "model.bin"));
            step = JsonSerializer.Deserialize<TrainState>(File.ReadAllText(Path.Combine(StateDir, "state.json")))!.Step;
        }
        else throw new ArgumentException("--eval-only needs --init <checkpoint> or a saved state in --output");
        model.to(device);
        var result = evaluation.Evaluate(model, _o.BatchSize, device);
        _log.WriteLine($"train: eval: {result}");
        return new TrainingSummary(step, step, [], _o.InitCheckpoint, result);
    }

    private bool SameFolders() =>
        _o.EvalPhotoFolders.Select(Path.GetFullPath).Intersect(_o.PhotoFolders.Select(Path.GetFullPath)).Any();

    private static (List<Parameter> Decay, List<Parameter> NoDecay) SplitForWeightDecay(nn.Module model)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        // As timm's optimizer factory does for the authors: 1-D tensors (biases, norm affine, gamma scales) are not decayed.
        foreach (var (_, p) in model.named_parameters())
            (p.dim() <= 1 ? noDecay : decay).Add(p);
        return (decay, noDecay);
    }

    private string Extension => _o.Format == ExportFormat.Safetensors ? ".safetensors" : ".pth";

    private string Export(nn.Module model, int step)
    {
        var tensors = ModelState.Export(model, _o.HalfPrecisionExport);
        string path = Path.Combine(_o.OutputDir, $"checkpoint-{step:D6}{Extension}");
        CheckpointFiles.Write(path, tensors, _o.Format, step, _o.Config);
        File.Copy(path, Path.Combine(_o.OutputDir, "latest" + Extension), overwrite: true);
        var old = Directory.GetFiles(_o.OutputDir, "checkpoint-*" + Extension).OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var f in old.Take(Math.Max(0, old.Count - _o.KeepCheckpoints))) File.Delete(f);
        _log.WriteLine($"train: wrote {path}");
        return path;
    }

    private void TrackBest(nn.Module model, int step, EvaluationResult result)
    {
        string bestJson = Path.Combine(_o.OutputDir, "best.json");
        double best = -1;
        if (File.Exists(bestJson)) best = JsonDocument.Parse(File.ReadAllText(bestJson)).RootElement.GetProperty("f1").GetDouble();
        if (result.MeanF1 <= best) return;
        string path = Path.Combine(_o.OutputDir, "best" + Extension);
        CheckpointFiles.Write(path, ModelState.Export(model, _o.HalfPrecisionExport), _o.Format, step, _o.Config);
        // A half-precision copy is what ships as the default model: half the size, same decisions at threshold 0.5.
        CheckpointFiles.Write(Path.Combine(_o.OutputDir, "best-fp16.safetensors"), ModelState.Export(model, half: true), ExportFormat.Safetensors, step, _o.Config);
        File.WriteAllText(bestJson, JsonSerializer.Serialize(new { step, f1 = result.MeanF1, iou = result.MeanIoU, loss = result.MeanLoss, count = result.Count, summary = result.ToString() }));
        _log.WriteLine($"train: new best pixel-F1 {result.MeanF1:F4} → {path}");
    }

    private sealed record TrainState(int Step, string Config, int Seed, int BatchSize, int Accumulate);

    private void SaveState(nn.Module model, AdamWOptimizer optimizer, int step)
    {
        Directory.CreateDirectory(StateDir);
        // Written under temporary names and renamed, so an interrupted save leaves the previous state intact.
        string modelTmp = Path.Combine(StateDir, "model.bin.tmp"), optTmp = Path.Combine(StateDir, "optimizer.bin.tmp");
        model.save(modelTmp);
        optimizer.Save(optTmp);
        var json = JsonSerializer.Serialize(new TrainState(step, ModelState.ConfigJson(_o.Config), _o.Seed, _o.BatchSize, _o.Accumulate));
        File.WriteAllText(Path.Combine(StateDir, "state.json.tmp"), json);
        File.Move(modelTmp, Path.Combine(StateDir, "model.bin"), true);
        File.Move(optTmp, Path.Combine(StateDir, "optimizer.bin"), true);
        File.Move(Path.Combine(StateDir, "state.json.tmp"), Path.Combine(StateDir, "state.json"), true);
    }

    /// <summary>The saved step and weights when resuming (the optimizer's moments are loaded once it exists on the device).</summary>
    private TrainState? LoadStateWeights(nn.Module model)
    {
        string json = Path.Combine(StateDir, "state.json");
        if (!_o.Resume) return null;
        if (!File.Exists(json))
        {
            _log.WriteLine($"train: --resume: no state in {StateDir}, starting fresh");
            return null;
        }
        var state = JsonSerializer.Deserialize<TrainState>(File.ReadAllText(json)) ?? throw new InvalidDataException("unreadable " + json);
        var saved = JsonSerializer.Deserialize<SparseViTConfig>(state.Config)!;
        if (!saved.Equals(_o.Config)) throw new ArgumentException($"--resume: the saved run uses {saved}, not {_o.Config}");
        model.load(Path.Combine(StateDir, "model.bin"));
        return state;
    }
}
