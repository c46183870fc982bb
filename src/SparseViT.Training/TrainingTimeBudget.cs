namespace SparseViT.Training;

/// <summary>
/// Fits a run's schedule to a wall-clock budget (a leased GPU, a nightly window). The cosine only ends at its floor if
/// its horizon is known in advance, so the horizon is set from the measured time per update instead of cutting the
/// run short at a high learning rate: after <see cref="SkipSteps"/> warm-up updates (CUDA start-up, allocator growth)
/// it times <see cref="MeasureSteps"/> more, and refits whenever an evaluation shows what evaluations cost.
/// If updates slow down anyway, <see cref="OutOfTime"/> stops the run while the final save and evaluation still fit.
/// </summary>
public sealed class TrainingTimeBudget
{
    public const int SkipSteps = 5;
    public const int MeasureSteps = 20;

    private readonly TimeSpan _budget;
    private readonly int _startStep;
    private readonly int _evalEvery;
    private TimeSpan _measureFrom;
    private TimeSpan _evalTotal;
    private TimeSpan _evalAtMeasureFrom;
    private TimeSpan? _lastEval;
    private bool _refit;

    /// <param name="budget">Time for the whole run, measured from the same clock the callers pass in.</param>
    /// <param name="startStep">The step this process starts at (after a resume, not 0).</param>
    /// <param name="evalEvery">Updates between evaluations; 0 when the run does not evaluate.</param>
    public TrainingTimeBudget(TimeSpan budget, int startStep, int evalEvery)
    {
        if (budget <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(budget), "the time budget must be positive");
        _budget = budget;
        _startStep = startStep;
        _evalEvery = Math.Max(0, evalEvery);
    }

    /// <summary>Seconds per update (evaluations excluded) once measured; NaN before.</summary>
    public double SecondsPerStep { get; private set; } = double.NaN;

    /// <summary>
    /// Called after every update. Returns the horizon (total updates, at most <paramref name="maxSteps"/>, at least
    /// <paramref name="step"/>) when it is first measured or needs refitting; otherwise null.
    /// </summary>
    public int? Fit(int step, TimeSpan elapsed, int maxSteps)
    {
        if (step == _startStep + SkipSteps)
        {
            _measureFrom = elapsed;
            _evalAtMeasureFrom = _evalTotal;
        }
        if (step == _startStep + SkipSteps + MeasureSteps)
        {
            SecondsPerStep = (elapsed - _measureFrom - (_evalTotal - _evalAtMeasureFrom)).TotalSeconds / MeasureSteps;
            _refit = true;
        }
        if (!_refit || double.IsNaN(SecondsPerStep)) return null;
        _refit = false;
        double perStep = SecondsPerStep + (_evalEvery > 0 && _lastEval is { } e ? e.TotalSeconds / _evalEvery : 0);
        double remaining = (_budget - elapsed - FinalReserve).TotalSeconds;
        long more = remaining <= 0 ? 0 : (long)Math.Floor(remaining / Math.Max(perStep, 1e-6));
        return (int)Math.Clamp(step + more, step, Math.Max(step, maxSteps));
    }

    /// <summary>Records the duration of an evaluation; the next <see cref="Fit"/> refits with its cost included.</summary>
    public void Spent(TimeSpan evaluation)
    {
        _evalTotal += evaluation;
        _lastEval = evaluation;
        _refit = true;
    }

    /// <summary>True when one more update would leave too little time for the final save and evaluation.</summary>
    public bool OutOfTime(TimeSpan elapsed)
    {
        double next = double.IsNaN(SecondsPerStep) ? 0 : SecondsPerStep;
        return elapsed + TimeSpan.FromSeconds(next) + FinalReserve >= _budget;
    }

    /// <summary>The last evaluation's cost (the final one will cost about as much) plus a margin for saving and exiting.</summary>
    private TimeSpan FinalReserve =>
        (_lastEval ?? TimeSpan.Zero) + TimeSpan.FromSeconds(Math.Max(10, 0.03 * _budget.TotalSeconds));
}
