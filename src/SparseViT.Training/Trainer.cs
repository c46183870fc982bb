using System.Diagnostics;
using System.Globalization;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Model;
using SparseViT.Engine.Native;
using SparseViT.Training.Data;
using SparseViT.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Training;

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
    private readonly TrainingState _state;
    private readonly TrainingCheckpoints _checkpoints;

    public Trainer(TrainingOptions options, TextWriter? log = null)
    {
        options.Validate();
        _o = options;
        _log = log ?? TextWriter.Null;
        _state = new TrainingState(options.OutputDir);
        _checkpoints = new TrainingCheckpoints(options, _log);
    }

    public string StateDir => _state.Directory;

    /// <summary>Builds the sample stream and evaluation set from the options' folders, then trains.</summary>
    public TrainingSummary Run(CancellationToken cancel = default)
    {
        TorchRuntime.EnsureInitialized();

        SyntheticEvaluation? evaluation = null;
        if (_o.EvalPhotoFolders.Count > 0 && _o.EvalCount > 0)
        {
            // Without training folders to compare with (evaluation only), the held-out split is the only safe choice.
            var heldOut = PhotoLibrary.Load(_o.EvalPhotoFolders, SameFolders() || _o.EvaluateOnly ? PhotoSplit.HeldOut : PhotoSplit.All);
            evaluation = new SyntheticEvaluation(heldOut, _o.EvalCount, _o.EvalSeed, _o.Config.ImageSize, _o.WriteEvalSetTo is null ? 0 : _o.EvalAuthenticCount);
            _log.WriteLine($"train: evaluation on {_o.EvalCount} edits of {heldOut.Count} held-out photos (seed {_o.EvalSeed})");
            if (_o.WriteEvalSetTo is not null)
            {
                evaluation.WriteFolder(_o.WriteEvalSetTo);
                _log.WriteLine($"train: wrote the held-out edits{(evaluation.Authentic.Count > 0 ? $" and {evaluation.Authentic.Count} unedited samples" : "")} to {_o.WriteEvalSetTo} (Tp/, Gt/)");
            }
        }
        if (_o.EvaluateOnly) return EvaluateOnly(evaluation);

        var folders = _o.DataFolders.Select(d => new FolderDataset(d, _o.Config.ImageSize)).ToList();
        SyntheticManipulator? synthetic = null;
        if (_o.PhotoFolders.Count > 0)
        {
            var photos = PhotoLibrary.Load(_o.PhotoFolders, _o.EvalPhotoFolders.Count > 0 && SameFolders() ? PhotoSplit.Train : PhotoSplit.All);
            _log.WriteLine($"train: {photos.Count} photos for synthetic edits from {string.Join(", ", _o.PhotoFolders)}");
            synthetic = new SyntheticManipulator(photos, _o.Config.ImageSize, authenticShare: _o.AuthenticShare, fullFrameShare: _o.FullFrameShare);
        }
        foreach (var f in folders) _log.WriteLine($"train: {f.Count} labelled pairs in {f.Root}");
        var source = new SampleSource(folders, synthetic, _o.Seed);
        return Run(source, evaluation, cancel);
    }

    /// <summary>Trains on <paramref name="source"/>, scoring on <paramref name="evaluation"/> when given.</summary>
    public TrainingSummary Run(SampleSource source, SyntheticEvaluation? evaluation = null, CancellationToken cancel = default)
    {
        TorchRuntime.EnsureInitialized();
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
        bool resumed = false;
        if (_o.Resume && !_state.Exists) _log.WriteLine($"train: nothing to resume in {StateDir}, starting fresh");
        if (_o.Resume && _state.Exists)
        {
            step = _state.LoadWeights(model, _o.Config);
            resumed = true;
            _log.WriteLine($"train: resumed at step {step} from {StateDir}");
        }
        else if (_o.InitCheckpoint is not null)
        {
            LoadInitialWeights(model);
            _log.WriteLine($"train: initialized from {_o.InitCheckpoint}");
        }
        else
        {
            AuthorsInitialization.Apply(model, _o.LayerScaleInit);
            _log.WriteLine($"train: initialized from scratch (trunc-normal 0.02 linears as the authors; layer scale {_o.LayerScaleInit:G3}, theirs 1e-6)");
        }
        model.to(device);
        // The optimizer allocates its moments beside the parameters, so it is made after the move.
        var (decay, noDecay) = AdamWOptimizer.SplitForWeightDecay(model);
        using var optimizer = new AdamWOptimizer([(decay, _o.WeightDecay), (noDecay, 0.0)], _o.LearningRate);
        if (resumed) optimizer.Load(_state.OptimizerFile);

        int workers = _o.SampleWorkers > 0 ? _o.SampleWorkers : cuda ? Math.Max(1, Environment.ProcessorCount - 1) : 1;
        _log.WriteLine($"train: {_o.Config} ({model.ParameterCount:N0} parameters), {_o.Steps} steps × {_o.BatchSize}×{_o.Accumulate} samples, lr {_o.LearningRate:G3}, " +
                       $"device {DeviceSelector.Describe(device)}{(cuda ? " (TF32)" : "")}, threads {torch.get_num_threads()}, sample workers {workers}");
        File.WriteAllText(Path.Combine(_o.OutputDir, "config.json"), _o.Config.ToJson());

        model.train();
        var losses = new List<(int, double)>();
        string? lastCheckpoint = null;
        SyntheticEvaluationResult? lastEval = null;
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
            double lr = LearningRateSchedule.At(step, horizon, _o.WarmupSteps, _o.LearningRate, _o.MinLearningRate);
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
                var loss = SegmentationLoss.Compute(model.UpsampledLogits(images), masks, _o.DiceWeight);
                if (_o.Accumulate == 1) loss.backward();
                else
                {
                    using var parts = ((double)_o.Accumulate).ToScalar();
                    loss.div(parts).backward();
                }
                stepLoss += loss.item<float>() / _o.Accumulate;
            }
            if (double.IsNaN(stepLoss)) throw new InvalidOperationException($"loss became NaN at step {step} (learning rate {lr:G3}); lower the learning rate");
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
                _state.Save(model, optimizer, step, _o);
                lastCheckpoint = _checkpoints.Export(model, step);
            }
            if (evaluation is not null && (step % evalEvery == 0 || step == stopAt))
                lastEval = Evaluate(evaluation, model, device, step, budget);
        }
        if (step > startStep && lastCheckpoint is null)
        {
            _state.Save(model, optimizer, step, _o);
            lastCheckpoint = _checkpoints.Export(model, step);
        }
        return new TrainingSummary(startStep, step, losses, lastCheckpoint, lastEval);
    }

    /// <summary>Scores the model, tells the budget what that cost, and records the result (log, eval.tsv, best).</summary>
    private SyntheticEvaluationResult Evaluate(SyntheticEvaluation evaluation, SparseViTModel model, Device device, int step, TrainingTimeBudget? budget)
    {
        var clock = Stopwatch.StartNew();
        var result = evaluation.Evaluate(model, _o.BatchSize, device);
        budget?.Spent(clock.Elapsed);
        _log.WriteLine($"train: eval at step {step}: {result}");
        File.AppendAllText(Path.Combine(_o.OutputDir, "eval.tsv"),
            string.Create(CultureInfo.InvariantCulture, $"{step}\t{result.MeanF1:F5}\t{result.MeanIoU:F5}\t{result.MeanLoss:F5}\t{result}\n"));
        _checkpoints.TrackBest(model, step, result);
        return result;
    }

    private TrainingSummary EvaluateOnly(SyntheticEvaluation? evaluation)
    {
        if (evaluation is null) throw new ArgumentException("evaluation only needs held-out photo folders");
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        var device = DeviceSelector.Resolve(_o.Device);
        using var model = new SparseViTModel(_o.Config);
        int step = 0;
        if (_o.InitCheckpoint is not null) LoadInitialWeights(model);
        else if (_state.Exists) step = _state.LoadWeights(model, _o.Config);
        else throw new ArgumentException($"evaluation only needs an initial checkpoint or a saved state in {_o.OutputDir}");
        model.to(device);
        var result = evaluation.Evaluate(model, _o.BatchSize, device);
        _log.WriteLine($"train: eval: {result}");
        return new TrainingSummary(step, step, [], _o.InitCheckpoint, result);
    }

    /// <summary>The initial checkpoint, read and checked against the configuration by the loader, copied in by the copier.</summary>
    private void LoadInitialWeights(SparseViTModel model)
    {
        var checkpoint = CheckpointLoader.Load(_o.InitCheckpoint!, _o.Config);
        StateDictCopier.CopyInto(model, checkpoint.StateDict, _o.InitCheckpoint!);
    }

    private bool SameFolders() =>
        _o.EvalPhotoFolders.Select(Path.GetFullPath).Intersect(_o.PhotoFolders.Select(Path.GetFullPath)).Any();
}
