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
/// itself runs to the end (its other callers still need it), with <see cref="CancellationToken.None"/>.
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
        var pending = new Pending(item);
        while (true)
        {
            var lane = lanes.GetOrAdd(key, static _ => new Lane());
            bool start;
            lock (lane)
            {
                if (lane.Retired)
                {
                    continue; // Removed from the dictionary a moment ago: take (or add) the current lane.
                }

                lane.Waiting.Add(pending);
                start = !lane.Running;
                lane.Running = true;
            }

            if (start)
            {
                _ = DrainAsync(key, lane);
            }

            return pending.Completion.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task DrainAsync(TKey key, Lane lane)
    {
        // Leave the caller's stack first: the batch runs on the thread pool, not inside the request that happened to start it.
        await Task.Yield();
        while (true)
        {
            List<Pending> batch;
            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.Running = false;
                    lane.Retired = true;
                    lanes.TryRemove(new KeyValuePair<TKey, Lane>(key, lane));
                    return;
                }

                var take = Math.Min(lane.Waiting.Count, maxBatchSize);
                batch = lane.Waiting.GetRange(0, take);
                lane.Waiting.RemoveRange(0, take);
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
        public readonly List<Pending> Waiting = [];
        public bool Running;
        public bool Retired;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
