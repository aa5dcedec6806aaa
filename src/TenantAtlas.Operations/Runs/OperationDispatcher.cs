using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantAtlas.Operations.Jobs;

namespace TenantAtlas.Operations.Runs;

internal sealed class OperationsOptions
{
    /// <summary>How often a running job writes its heartbeat (and looks for a cancel request).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A running run without a heartbeat for this long is completed as failed (worker_lost). At most 5 minutes.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>A queued run whose dispatch was claimed this long ago without a Hangfire job is claimed again by the reconciler.</summary>
    public TimeSpan DispatchClaimTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A queued run whose Hangfire job was enqueued this long ago has the upkeep look at the job: one that was deleted,
    /// failed, finished without claiming the run, or was taken by a worker that then stopped, is replaced once, and the
    /// run fails as job_lost the next time. Set it above the time a healthy queue takes to start a job.
    /// </summary>
    public TimeSpan QueuedJobCheckAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Cached data whose last successful sync is older than this is flagged as possibly out of date on its pages.</summary>
    public TimeSpan SyncWarningAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many Hangfire enqueues a scheduler tick keeps in flight (each is its own commit).</summary>
    public int DispatchParallelism { get; set; } = 8;

    /// <summary>How many runs a tick enqueues before recording their job ids in one statement.</summary>
    public int DispatchChunk { get; set; } = 500;

    /// <summary>
    /// Whether a burst of the same start by the same user is answered by one decision (ADR 0004,
    /// <see cref="CoalescingOperationRuns"/>). Read once at start-up. Off, every start decides alone; the rules hold either way.
    /// </summary>
    public bool CoalesceStarts { get; set; } = true;

    /// <summary>
    /// How often a run may be handed back by a worker shutting down; interrupted once more, it is completed as failed
    /// (handed_back_too_often) instead of being queued again, so a run that itself brings its worker down cannot cycle.
    /// </summary>
    public int MaxHandBacks { get; set; } = 3;

    /// <summary>
    /// How long a worker shutting down keeps trying to hand back an interrupted run (the write and the new job). It must
    /// fit in Hangfire's shutdown timeout (Platform/ShutdownTimeouts.cs), which fits in the host's.
    /// </summary>
    public TimeSpan HandBackTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Cron (Hangfire, seconds allowed) of the reconciler and the stale-run detector.</summary>
    public string MaintenanceCron { get; set; } = "* * * * *";
}

/// <summary>
/// Create and enqueue without distributed transactions: the run row is the outbox. The starter inserts the row already
/// claimed for dispatch, then enqueues and records the Hangfire job id; the reconciler re-claims rows whose claim expired
/// without a job id (a crash between the two) with a conditional update, so exactly one process enqueues them.
/// </summary>
internal sealed class OperationDispatcher(
    RunStore store,
    IBackgroundJobClient jobs,
    IOptions<OperationsOptions> options,
    TimeProvider clock,
    ILogger<OperationDispatcher> logger)
{
    /// <summary>Enqueues the run's job and records its id; returns the job id, or null when enqueueing failed (the reconciler retries).</summary>
    public async Task<string?> DispatchAsync(long runId, CancellationToken cancellationToken)
    {
        string jobId;
        try
        {
            jobId = jobs.Enqueue<OperationJobRunner>(runner => runner.RunAsync(runId, CancellationToken.None));
        }
        catch (Exception e)
        {
            // The run stays queued with its claim; the reconciler enqueues it once the claim expires.
            logger.LogError(e, "Could not enqueue run {RunId}; the reconciler will retry", runId);
            return null;
        }

        await store.RecordJobIdAsync(runId, jobId, CancellationToken.None);
        return jobId;
    }

    /// <summary>
    /// Enqueues many runs (a scheduler tick): chunks of <see cref="OperationsOptions.DispatchChunk"/>, each enqueued with
    /// <see cref="OperationsOptions.DispatchParallelism"/> Hangfire commits in flight and its job ids recorded in one
    /// statement. A run whose enqueue failed keeps its claim; the reconciler enqueues it when the claim expires.
    /// </summary>
    public async Task DispatchManyAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken)
    {
        foreach (var chunk in runIds.Chunk(Math.Max(1, options.Value.DispatchChunk)))
        {
            var enqueued = new System.Collections.Concurrent.ConcurrentBag<(long RunId, string JobId)>();
            await Parallel.ForEachAsync(chunk, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.DispatchParallelism), CancellationToken = cancellationToken },
                (runId, _) =>
                {
                    try
                    {
                        enqueued.Add((runId, jobs.Enqueue<OperationJobRunner>(runner => runner.RunAsync(runId, CancellationToken.None))));
                    }
                    catch (Exception e)
                    {
                        logger.LogError(e, "Could not enqueue run {RunId}; the reconciler will retry", runId);
                    }

                    return ValueTask.CompletedTask;
                });
            if (enqueued.IsEmpty)
            {
                continue;
            }

            await store.RecordJobIdsAsync([.. enqueued], CancellationToken.None);
        }
    }

    /// <summary>Enqueues queued runs left without a job. Returns the ids this process claimed and enqueued.</summary>
    public async Task<IReadOnlyList<long>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var expired = clock.GetUtcNow() - options.Value.DispatchClaimTimeout;
        var candidates = await store.FindUndispatchedAsync(expired, take: 500, cancellationToken);
        var claimed = new List<long>();
        foreach (var candidate in candidates)
        {
            // Conditional claim: only the process whose update still sees the old claim wins.
            if (!await store.ClaimForDispatchAsync(candidate.Id, candidate.ClaimedAt, cancellationToken))
            {
                continue;
            }

            logger.LogWarning("Run {RunId} was queued without a job; enqueueing it now", candidate.Id);
            await DispatchAsync(candidate.Id, cancellationToken);
            claimed.Add(candidate.Id);
        }

        return claimed;
    }
}
