using System.Collections.Concurrent;

namespace TenantAtlas.BuildingBlocks.Concurrency;

/// <summary>
/// Turns a burst of identical work into few executions: per key at most one batch runs at a time, and the calls that
/// arrive while it runs wait and form the next batch, which starts when the running one ends. A batch therefore always
/// starts <em>after</em> every one of its calls arrived — a read done by a batch is never older than the call it answers,
/// so coalescing never serves a stale answer (unlike a cache). Used for group commits (the audit log) and for bursts of
/// the same request (token checks, deduplicated starts).
/// </summary>
/// <remarks>
/// The batch function gets the items in arrival order and returns one result per item, in the same order. If it throws,
/// every call of that batch gets the exception. A caller's cancellation token only ends that caller's wait: the batch
/// itself runs to the end (its other callers still need it), with <see cref="CancellationToken.None"/>. An idle key's
/// lane is dropped; in the rare race where a call joins the dropped lane while another creates a new one, two batches of
/// that key can run at once — coalescing is an optimisation, the rules (unique indexes, checks) never depend on it.
/// </remarks>
public sealed class KeyedBatcher<TKey, TItem, TResult>(
    Func<TKey, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> execute,
    int maxBatchSize = 1000)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lane> lanes = new();

    /// <summary>Number of batches executed so far (all keys), for tests and diagnostics.</summary>
    public long BatchesExecuted => Interlocked.Read(ref batches);

    private long batches;

    public Task<TResult> RunAsync(TKey key, TItem item, CancellationToken cancellationToken = default)
    {
        // Lock-free: a burst of hundreds of calls on two cores must not convoy on a lock just to join a batch.
        var pending = new Pending(item);
        var lane = lanes.GetOrAdd(key, static _ => new Lane());
        lane.Waiting.Enqueue(pending);
        if (Interlocked.CompareExchange(ref lane.Running, 1, 0) == 0)
        {
            _ = DrainAsync(key, lane);
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync(TKey key, Lane lane)
    {
        // Leave the caller's stack first: the batch runs on the thread pool, not inside the request that happened to start it.
        await Task.Yield();
        while (true)
        {
            // The calls waiting now, all of which arrived before this batch starts.
            var batch = new List<Pending>(Math.Min(lane.Waiting.Count, maxBatchSize));
            while (batch.Count < maxBatchSize && lane.Waiting.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref lane.Running, 0);
                // A call that enqueued while we were finding the queue empty saw Running = 1 and left its item to us: take
                // the lane back if so; otherwise that call (or a later one) starts the next drain itself.
                if (lane.Waiting.IsEmpty || Interlocked.CompareExchange(ref lane.Running, 1, 0) != 0)
                {
                    // Drop the idle lane. A call that got it from the dictionary just before still drains it itself.
                    if (lane.Waiting.IsEmpty)
                    {
                        lanes.TryRemove(new KeyValuePair<TKey, Lane>(key, lane));
                    }

                    return;
                }

                continue;
            }

            Interlocked.Increment(ref batches);
            try
            {
                var results = await execute(key, [.. batch.Select(p => p.Item)]);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"The batch returned {results.Count} results for {batch.Count} items.");
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch)
                {
                    p.Completion.TrySetException(e);
                }
            }
        }
    }

    private sealed class Lane
    {
        public readonly ConcurrentQueue<Pending> Waiting = new();
        public int Running;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
