using System.Collections.Concurrent;

namespace SparseViT.Training.Data;

/// <summary>
/// The endless, reproducible stream of training samples: sample <c>i</c> is drawn from its own RNG seeded by
/// (seed, i), so a resumed run continues with exactly the samples it would have seen. Folder data and synthetic
/// edits are mixed by <see cref="SyntheticFraction"/>.
/// </summary>
public sealed class SampleSource
{
    private readonly IReadOnlyList<FolderDataset> _folders;
    private readonly SyntheticManipulator? _synthetic;
    private readonly int _seed;

    public SampleSource(IReadOnlyList<FolderDataset> folders, SyntheticManipulator? synthetic, int seed, double syntheticFraction = 0.5)
    {
        if (folders.Count == 0 && synthetic is null) throw new ArgumentException("training needs labelled folders and/or photos for synthetic edits");
        _folders = folders;
        _synthetic = synthetic;
        _seed = seed;
        SyntheticFraction = synthetic is null ? 0 : folders.Count == 0 ? 1 : syntheticFraction;
    }

    public double SyntheticFraction { get; }

    public TrainingSample Get(long index)
    {
        var rng = new Random(SampleSeed.Of(_seed, index, 0x7A11));
        if (_synthetic is not null && rng.NextDouble() < SyntheticFraction) return _synthetic.Generate(rng);
        var folder = _folders[rng.Next(_folders.Count)];
        return folder.Load(rng.Next(folder.Count), rng);
    }

    /// <summary>
    /// Samples start, start + 1, … made by <paramref name="workers"/> background threads, yielded in index order, each
    /// worker a few samples ahead of the consumer. Worker k makes the indices ≡ k (mod workers) and the consumer takes
    /// them round-robin, so the stream is the same whatever the number of workers (a GPU needs many to keep up).
    /// </summary>
    public IEnumerable<TrainingSample> Stream(long start, CancellationToken cancel, int workers = 1, int lookahead = 4)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "at least one sample worker");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var queues = new BlockingCollection<TrainingSample>[workers];
        var failures = new Exception?[workers];
        var threads = new Thread[workers];
        for (int k = 0; k < workers; k++)
        {
            int worker = k;
            queues[k] = new BlockingCollection<TrainingSample>(Math.Max(1, lookahead));
            threads[k] = new Thread(() =>
            {
                try
                {
                    for (long i = start + worker; !stop.IsCancellationRequested; i += workers) queues[worker].Add(Get(i), stop.Token);
                }
                catch (OperationCanceledException) { }
                catch (Exception e) { failures[worker] = e; }
                finally { queues[worker].CompleteAdding(); }
            }) { IsBackground = true, Name = $"sparsevit-samples-{worker}", Priority = ThreadPriority.BelowNormal };
            threads[k].Start();
        }
        try
        {
            for (long n = 0; ; n++)
            {
                int k = (int)(n % workers);
                if (!queues[k].TryTake(out var sample, Timeout.Infinite))
                {
                    // A worker only stops early when it failed or the run was cancelled.
                    if (failures[k] is { } failure)
                        throw new InvalidOperationException($"sample generation failed at sample {start + n}: {failure.Message}", failure);
                    yield break;
                }
                yield return sample;
            }
        }
        finally
        {
            // The consumer may stop early (end of run, exception): every worker must be done before its queue is disposed.
            stop.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var q in queues) q.Dispose();
        }
    }
}
