using System.Collections.Concurrent;

namespace TenantAtlas.Operations.Jobs;

/// <summary>
/// The runs whose job executes in this process, with when each one's heartbeat loop last tried to write. The stale-run
/// upkeep of this process leaves a run alone while its loop keeps trying: a heartbeat that failed because the database was
/// away says nothing about the worker, and the next successful beat repairs the timestamp. Other processes only see the
/// heartbeat's age, which is why the loop retries until the database answers again.
/// </summary>
internal sealed class RunsInThisProcess(TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> heartbeatAttempts = new();

    public void HeartbeatAttempted(long runId) => heartbeatAttempts[runId] = clock.GetUtcNow();

    /// <summary>The job of a run held here is still trying to complete it; a run not held here is left out.</summary>
    public void StillCompleting(long runId)
    {
        if (heartbeatAttempts.TryGetValue(runId, out var seen))
        {
            heartbeatAttempts.TryUpdate(runId, clock.GetUtcNow(), seen);
        }
    }

    public void Released(long runId) => heartbeatAttempts.TryRemove(runId, out _);

    /// <summary>Runs held here whose heartbeat loop tried to write at or after <paramref name="since"/> (a hung loop is not alive).</summary>
    public long[] AliveSince(DateTimeOffset since) =>
        heartbeatAttempts.Where(p => p.Value >= since).Select(p => p.Key).ToArray();
}
