using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Model;
using SparseViT.Training.Data;

namespace SparseViT.Training;

/// <summary>Everything one training run needs, as values (the CLI maps its flags onto this).</summary>
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
    public CheckpointFileFormat Format { get; init; } = CheckpointFileFormat.Pth;
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
    /// <summary>Only score the weights (from <see cref="InitCheckpoint"/> or the saved state) on the held-out set; no training.</summary>
    public bool EvaluateOnly { get; init; }
    /// <summary>Also write the held-out edits as a Tp/ + Gt/ folder (PNG), so other tools can score the same images.</summary>
    public string? WriteEvalSetTo { get; init; }
    /// <summary>With <see cref="WriteEvalSetTo"/>: also write this many unedited samples of the held-out photos (all-zero masks).</summary>
    public int EvalAuthenticCount { get; init; }
    /// <summary>Initial layer scale (gamma) of the attention blocks when training from scratch; the authors use 1e-6.</summary>
    public double LayerScaleInit { get; init; } = AuthorsInitialization.LayerScaleInit;
    /// <summary>
    /// Weight of a soft-Dice term added to the authors' BCE (0 = BCE only, as the authors). Edited pixels are ~10 % of
    /// an image, so BCE alone keeps a young model's probabilities under 0.5 everywhere; Dice rewards overlap directly.
    /// </summary>
    public double DiceWeight { get; init; }
    /// <summary>Share of synthetic samples left unedited (all-zero masks), with the same crops, rescales and JPEG saves as edits.</summary>
    public double AuthenticShare { get; init; } = SyntheticManipulator.DefaultAuthenticShare;
    /// <summary>Share of synthetic samples made from the whole photo through the product's resize (see <see cref="SyntheticManipulator"/>).</summary>
    public double FullFrameShare { get; init; }

    /// <summary>Every value the trainer relies on, checked up front; throws naming the value and what it was.</summary>
    public void Validate()
    {
        if (Steps <= 0) throw new ArgumentException($"steps must be positive (got {Steps})");
        if (BatchSize <= 0) throw new ArgumentException($"batch size must be positive (got {BatchSize})");
        if (Accumulate <= 0) throw new ArgumentException($"gradient accumulation must be positive (got {Accumulate})");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning rate must be positive (got {LearningRate})");
        if (SampleWorkers < 0) throw new ArgumentException($"sample workers must be 0 (automatic) or positive (got {SampleWorkers})");
        if (AuthenticShare is < 0 or >= 1) throw new ArgumentException($"the authentic share must be in [0, 1) (got {AuthenticShare})");
        if (FullFrameShare is < 0 or > 1) throw new ArgumentException($"the full-frame share must be in [0, 1] (got {FullFrameShare})");
        if (TimeBudget is { } budget && budget <= TimeSpan.Zero) throw new ArgumentException($"the time budget must be positive (got {budget})");
    }
}
