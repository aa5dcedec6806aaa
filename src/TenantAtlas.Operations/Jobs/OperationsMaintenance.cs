using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Jobs;

/// <summary>
/// Recurring upkeep that keeps run status truthful: runs whose worker died are completed as failed (worker_lost), queued
/// runs whose Hangfire job is gone get a new job once and then fail (job_lost), and queued runs left without a job are
/// enqueued exactly once.
/// </summary>
internal sealed class OperationsMaintenance(
    RunStore store,
    OperationDispatcher dispatcher,
    JobStorage jobStorage,
    IOptions<OperationsOptions> options,
    RunsInThisProcess runsHere,
    TimeProvider clock,
    ILogger<OperationsMaintenance> logger)
{
    public const string RecurringJobId = "operations-maintenance";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await CompleteStaleRunsAsync(cancellationToken);
        await dispatcher.ReconcileAsync(cancellationToken);
        // Last: it asks Hangfire's storage about many jobs, and a failure there must not hold up the repairs above.
        await RepairLostJobsAsync(cancellationToken);
    }

    /// <summary>
    /// Looks at the Hangfire job of every run queued for longer than <see cref="OperationsOptions.QueuedJobCheckAfter"/>.
    /// A job that will never claim its run — missing, deleted, failed (operation jobs are not retried), succeeded while
    /// the run is still queued, or Processing for longer than <see cref="OperationsOptions.StaleAfter"/> without claiming
    /// (its worker died; Hangfire would hand it out again only after its 30-minute invisibility timeout) — is replaced
    /// once; the next time the run is completed as failed (job_lost), which also frees its dedupe identity. Both changes
    /// are conditional on the run still being queued with that job, so a job claiming it meanwhile wins, and a late
    /// delivery of the old job finds the run claimed or completed and exits. Returns the ids repaired by this process.
    /// </summary>
    public async Task<IReadOnlyList<long>> RepairLostJobsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var queuedBefore = now - options.Value.QueuedJobCheckAfter;
        var takenBefore = (now - options.Value.StaleAfter).UtcDateTime;
        var jobLost = RunCompletion.Failed("job_lost", "job_lost",
            "The background job of this run was lost before it started (deleted or failed in the job queue); start it again.");
        var repaired = new List<long>();
        using var hangfire = jobStorage.GetConnection();
        for (long after = 0; ;)
        {
            var batch = await store.FindQueuedWithJobAsync(after, queuedBefore, take: 500, cancellationToken);
            if (batch.Count == 0)
            {
                return repaired;
            }

            after = batch[^1].Id;
            foreach (var (runId, jobId, redispatches) in batch)
            {
                if (LostJobState(hangfire, jobId, takenBefore) is not { } state)
                {
                    continue;
                }

                if (redispatches == 0)
                {
                    if (await store.ReleaseLostJobAsync(runId, jobId, cancellationToken))
                    {
                        logger.LogWarning("Run {RunId} was queued with job {JobId}, which is {State} and will not run it; enqueueing it again", runId, jobId, state);
                        await dispatcher.DispatchAsync(runId, cancellationToken);
                        repaired.Add(runId);
                    }
                }
                else if (await store.CompleteAsync(runId, [OperationRunStatus.Queued], jobLost, cancellationToken, whileJobId: jobId))
                {
                    logger.LogWarning("Run {RunId} lost its job a second time (job {JobId} is {State}); completed as failed", runId, jobId, state);
                    repaired.Add(runId);
                }
            }
        }
    }

    /// <summary>The state of a job that will never claim its run, or null while it still may (enqueued, scheduled, just taken).</summary>
    private static string? LostJobState(IStorageConnection hangfire, string jobId, DateTime takenBefore)
    {
        string? state;
        try
        {
            state = hangfire.GetJobData(jobId)?.State;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            // Not an id the storage ever handed out (the column was edited by hand): no such job will run the run. Left
            // unhandled, this one row would stop the upkeep for every run after it.
            state = null;
        }

        if (state is null)
        {
            return "missing"; // expired, removed, or its creation never completed
        }

        if (state == DeletedState.StateName || state == FailedState.StateName || state == SucceededState.StateName)
        {
            return state;
        }

        if (state != ProcessingState.StateName)
        {
            return null;
        }

        var data = hangfire.GetStateData(jobId)?.Data;
        var startedAt = data is not null && data.TryGetValue("StartedAt", out var started) ? JobHelper.DeserializeNullableDateTime(started) : null;
        return startedAt is null || startedAt < takenBefore ? "taken by a worker that never claimed the run" : null;
    }

    /// <summary>
    /// Completes running runs whose heartbeat is older than <see cref="OperationsOptions.StaleAfter"/>, except those whose
    /// job runs in this process and whose heartbeat loop is still trying (the database was away, not the worker). Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<long>> CompleteStaleRunsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var threshold = now - options.Value.StaleAfter;
        var aliveHere = runsHere.AliveSince(threshold);
        var minutes = (int)Math.Round(options.Value.StaleAfter.TotalMinutes);
        var workerLost = RunCompletion.Failed("worker_lost", "worker_lost",
            $"The worker running this run stopped sending heartbeats for more than {Math.Max(1, minutes)} minute(s) (process crash or restart). Start it again.");
        var ids = await store.CompleteStaleAsync(threshold, aliveHere, workerLost, cancellationToken);
        foreach (var id in ids)
        {
            logger.LogWarning("Run {RunId} lost its worker (no heartbeat since {Threshold:O}); completed as failed", id, threshold);
        }

        return ids;
    }
}
