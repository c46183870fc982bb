using System.Threading.Channels;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// The ordered, bounded decode → batch → infer → finish pipeline, independent of what is decoded and built so it
/// can be tested without a model. Items leave in the order they entered: each stage passes tasks, not results,
/// through bounded channels, and the consumer awaits them in sequence. A failing item never stops the others.
/// </summary>
/// <typeparam name="TIn">What enumeration gives.</typeparam>
/// <typeparam name="TPrepared">The result of reading and decoding one item.</typeparam>
/// <typeparam name="TMap">The model's output for one item.</typeparam>
/// <typeparam name="TOut">The finished result (a record).</typeparam>
public sealed class BatchPipeline<TIn, TPrepared, TMap, TOut>
{
    public required Func<TIn, TPrepared> Prepare { get; init; }

    /// <summary>False for items that need no inference (errors, skipped files).</summary>
    public required Func<TPrepared, bool> NeedsInference { get; init; }

    /// <summary>Runs on one thread at a time; returns one map per prepared item, in order.</summary>
    public required Func<IReadOnlyList<TPrepared>, IReadOnlyList<TMap>> Infer { get; init; }

    /// <summary>Builds the result; the map is default and the exception set when inference failed for this item.</summary>
    public required Func<TPrepared, TMap?, Exception?, TOut> Finish { get; init; }

    /// <summary>For an item whose Prepare threw (Prepare should catch its own errors; this is the last guard).</summary>
    public required Func<TIn, Exception, TOut> Fail { get; init; }

    public PipelineLimits Limits { get; init; } = new();

    public IEnumerable<TOut> Run(IEnumerable<TIn> inputs, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cts.Token;
        var prepared = Channel.CreateBounded<(TIn Input, Task<TPrepared> Work)>(new BoundedChannelOptions(Limits.EffectivePrepareQueue) { SingleReader = true, SingleWriter = true });
        var finished = Channel.CreateBounded<Task<TOut>>(new BoundedChannelOptions(Limits.EffectiveFinishQueue) { SingleReader = true, SingleWriter = true });
        var prepareGate = new SemaphoreSlim(Math.Max(1, Limits.PrepareWorkers));
        var finishGate = new SemaphoreSlim(Math.Max(1, Limits.FinishWorkers));

        var producer = Task.Run(async () =>
        {
            try
            {
                // Enumeration itself can be slow (stdin, network folders): it runs here, not on the consumer.
                foreach (var input in inputs)
                {
                    token.ThrowIfCancellationRequested();
                    await prepareGate.WaitAsync(token).ConfigureAwait(false);
                    var work = Task.Run(() =>
                    {
                        try { return Prepare(input); }
                        finally { prepareGate.Release(); }
                    });
                    await prepared.Writer.WriteAsync((input, work), token).ConfigureAwait(false);
                }
                prepared.Writer.TryComplete();
            }
            catch (Exception e)
            {
                prepared.Writer.TryComplete(e);
            }
        });

        var inference = Task.Run(async () =>
        {
            var batch = new List<(TIn Input, TPrepared Item)>();
            try
            {
                var reader = prepared.Reader;
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var next))
                    {
                        TPrepared item;
                        try
                        {
                            item = await next.Work.ConfigureAwait(false);
                        }
                        catch (Exception e)
                        {
                            await FlushAsync(batch).ConfigureAwait(false);
                            var input = next.Input;
                            await finished.Writer.WriteAsync(Task.FromResult(Fail(input, e)), token).ConfigureAwait(false);
                            continue;
                        }
                        if (!NeedsInference(item))
                        {
                            // Order is kept: the pending batch goes first.
                            await FlushAsync(batch).ConfigureAwait(false);
                            await finished.Writer.WriteAsync(StartFinish(item, default, null), token).ConfigureAwait(false);
                            continue;
                        }
                        batch.Add((next.Input, item));
                        if (batch.Count >= Math.Max(1, Limits.BatchSize)) await FlushAsync(batch).ConfigureAwait(false);
                    }
                    // Nothing decoded is waiting: run a partial batch rather than let the model idle.
                    if (batch.Count > 0 && !IsNextReady(reader)) await FlushAsync(batch).ConfigureAwait(false);
                }
                await FlushAsync(batch).ConfigureAwait(false);
                finished.Writer.TryComplete();
            }
            catch (Exception e)
            {
                finished.Writer.TryComplete(e);
            }
        });

        try
        {
            var output = finished.Reader;
            while (true)
            {
                Task<TOut>? next;
                if (!output.TryRead(out next))
                {
                    if (!output.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult()) break;
                    continue;
                }
                yield return next.GetAwaiter().GetResult();
            }
            // Surfaces an exception a stage completed the channel with (enumeration failures, cancellation).
            output.Completion.GetAwaiter().GetResult();
        }
        finally
        {
            cts.Cancel();
            try { Task.WaitAll([producer, inference], TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        }

        async Task FlushAsync(List<(TIn Input, TPrepared Item)> items)
        {
            if (items.Count == 0) return;
            var snapshot = items.ToArray();
            items.Clear();
            foreach (var task in RunBatch(snapshot))
                await finished.Writer.WriteAsync(task, token).ConfigureAwait(false);
        }

        IEnumerable<Task<TOut>> RunBatch((TIn Input, TPrepared Item)[] items)
        {
            IReadOnlyList<TMap>? maps = null;
            Exception? failure = null;
            try
            {
                maps = Infer(items.Select(i => i.Item).ToArray());
                if (maps.Count != items.Length) throw new InvalidOperationException($"inference returned {maps.Count} maps for {items.Length} inputs");
            }
            catch (Exception e)
            {
                failure = e;
            }
            if (failure is not null && items.Length > 1)
            {
                // One bad input must not fail its batch-mates: retry them one by one.
                var results = new List<Task<TOut>>(items.Length);
                foreach (var single in items) results.AddRange(RunBatch([single]));
                return results;
            }
            return items.Select((it, i) => StartFinish(it.Item, failure is null ? maps![i] : default, failure)).ToList();
        }

        Task<TOut> StartFinish(TPrepared item, TMap? map, Exception? failure)
        {
            finishGate.Wait(token);
            return Task.Run(() =>
            {
                try { return Finish(item, map, failure); }
                finally { finishGate.Release(); }
            });
        }
    }

    private static bool IsNextReady(ChannelReader<(TIn Input, Task<TPrepared> Work)> reader) =>
        reader.TryPeek(out var next) && next.Work.IsCompleted;
}
