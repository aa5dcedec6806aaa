using Hangfire;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Jobs;

/// <summary>Thrown when a job is handed a run id that does not exist: jobs never create runs.</summary>
internal sealed class OperationRunNotFoundException(long runId)
    : InvalidOperationException($"Operation run {runId} does not exist. Jobs never create runs; the start surface must create it first.");

/// <summary>
/// The job base every operation runs on. Hangfire hands it only a run id. It claims the run (queued → running, conditional:
/// a second delivery loses and exits), heartbeats, forwards cancel requests, runs the type's registered
/// <see cref="IOperationJob"/>, and completes the run — every status change conditional on the run still running, so
/// nothing overwrites a final state (e.g. worker_lost from the stale-run detector).
/// </summary>
internal sealed class OperationJobRunner(
    IServiceScopeFactory scopes,
    RunStore store,
    OperationDispatcher dispatcher,
    IOptions<OperationsOptions> options,
    RunsInThisProcess runsHere,
    TimeProvider clock,
    ILogger<OperationJobRunner> logger)
{
    private static readonly OperationRunStatus[] Running = [OperationRunStatus.Running];

    /// <summary>The first retry after a failed heartbeat or completion; it doubles up to the heartbeat interval.</summary>
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);

    /// <summary>The least time one beat may take before it counts as failed (a busy machine opens connections slowly).</summary>
    private static readonly TimeSpan MinBeatTimeout = TimeSpan.FromSeconds(10);

    // Retrying is a new, linked run where the type allows it — never Hangfire re-running the same run.
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long operationRunId, CancellationToken cancellationToken)
    {
        var run = await store.FindAsync(operationRunId, cancellationToken);

        if (run is null)
        {
            logger.LogError("Job was handed operation run {RunId}, which does not exist; nothing written", operationRunId);
            throw new OperationRunNotFoundException(operationRunId);
        }

        if (run.Status == OperationRunStatus.Completed)
        {
            logger.LogInformation("Run {RunId} is already completed ({Outcome}); nothing to do", run.Id, run.Outcome);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var job = scope.ServiceProvider.GetKeyedService<IOperationJob>(run.Type);
        var definition = scope.ServiceProvider.GetRequiredService<OperationTypeRegistry>().Find(run.Type);
        if (job is null || definition is null)
        {
            await CompleteAsync(run.Id, [OperationRunStatus.Queued, OperationRunStatus.Running],
                RunCompletion.Failed("no_job", "no_job", $"No job is registered for '{run.Type}' in this process.", byWorker: true), CancellationToken.None);
            return;
        }

        if (await store.ClaimAsync(run.Id, cancellationToken) is not { } claim)
        {
            logger.LogInformation("Run {RunId} was claimed by another delivery or completed meanwhile; this delivery exits", run.Id);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var context = new OperationRunContext(run, definition, store, clock, stop);
        using var heartbeatStop = new CancellationTokenSource();
        runsHere.HeartbeatAttempted(run.Id);
        var heartbeat = HeartbeatAsync(context, heartbeatStop.Token);

        // The heartbeat ends before the run is completed: a beat still in flight (say, hanging while the database is away)
        // may hold the pending counts, and if it wrote them after the completion they would be lost (its update is
        // conditional on the run still running).
        async Task StopHeartbeatAsync()
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }

        try
        {
            var result = await job.RunAsync(context, stop.Token);
            await StopHeartbeatAsync();
            var outcome = result switch
            {
                OperationJobResult.Succeeded => OperationRunOutcome.Succeeded,
                OperationJobResult.PartiallySucceeded => OperationRunOutcome.PartiallySucceeded,
                _ => OperationRunOutcome.Failed,
            };
            await CompleteAsync(run.Id, Running, RunCompletion.Finished(outcome), CancellationToken.None, flushFirst: context);
        }
        catch (OperationCanceledException) when (context.CancelRequested)
        {
            await StopHeartbeatAsync();
            await CompleteAsync(run.Id, Running, RunCompletion.Cancelled(), CancellationToken.None, flushFirst: context);
        }
        catch (OperationCanceledException) when (context.Lost)
        {
            logger.LogWarning("Run {RunId} was completed by someone else while its job ran (e.g. worker_lost); the job stopped", run.Id);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is shutting down (a deploy, a scale-in): Hangfire cancelled the job's token and the job stopped at
            // its next safe point — whatever it threw on the way out says nothing about the run.
            logger.LogInformation(e, "Run {RunId} ({Type}) was interrupted by this worker shutting down", run.Id, run.Type);
            await StopHeartbeatAsync();
            await HandBackAsync(run, definition, claim, databaseLost: false);
        }
        catch (Exception e) when (DatabaseFailures.IsTransient(e) && definition.HandBackOnShutdown && !context.Lost && !context.CancelRequested)
        {
            // The job's own writes lost the database (a restart, a failover): nothing is wrong with the run, and its work
            // is safe to repeat — hand it back once the database answers, as a shutdown does, rather than burn it.
            logger.LogWarning(e, "Run {RunId} ({Type}) lost the database mid-run; handing it back to be run again", run.Id, run.Type);
            await StopHeartbeatAsync();
            await HandBackAsync(run, definition, claim, databaseLost: true);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} ({Type}) failed", run.Id, run.Type);
            await StopHeartbeatAsync();
            await CompleteAsync(run.Id, Running, RunCompletion.Failed("exception", ErrorCode(e), e.Message, byWorker: true), CancellationToken.None, flushFirst: context);
        }
        finally
        {
            await StopHeartbeatAsync();
            runsHere.Released(run.Id);
        }
    }

    internal const string WorkerStoppedReason = "worker_stopped";
    internal const string HandedBackTooOftenReason = "handed_back_too_often";

    /// <summary>
    /// A run interrupted by this worker shutting down is handed back — queued again and dispatched to a new job, so
    /// another worker (or this one after its restart) runs it from the start; a scheduled slot keeps its one run. The
    /// interrupted job then returns normally, so Hangfire records it succeeded and never delivers it again (its work,
    /// handing the run back, is done); should it still be delivered again (the process died before Hangfire recorded
    /// that), the delivery finds the run claimed by the new job or claims it first and the new job exits — one runner.
    /// A type that may not repeat its work (<see cref="OperationTypeDefinition.HandBackOnShutdown"/>) and a run
    /// handed back <see cref="OperationsOptions.MaxHandBacks"/> times already are completed as failed with that reason.
    /// </summary>
    private async Task HandBackAsync(OperationRun run, OperationTypeDefinition definition, DateTimeOffset claim, bool databaseLost)
    {
        if (!definition.HandBackOnShutdown)
        {
            await CompleteAsync(run.Id, Running, RunCompletion.Failed(WorkerStoppedReason, WorkerStoppedReason,
                $"The worker process shut down while the run was in progress. A {definition.Label.ToLowerInvariant()} is not repeated automatically because part of it may already have been applied; check the result, then start it again.",
                byWorker: true), CancellationToken.None);
            return;
        }

        var max = options.Value.MaxHandBacks;
        if (run.HandBacks >= max)
        {
            await CompleteAsync(run.Id, Running, RunCompletion.Failed(HandedBackTooOftenReason, HandedBackTooOftenReason,
                $"The run was interrupted {run.HandBacks + 1} times (its worker shut down or lost the database) and is not handed back again. Start it again.",
                byWorker: true), CancellationToken.None);
            return;
        }

        // Within the shutdown budget (or, after losing the database, as long as a completion is retried): a database that
        // does not answer in time leaves the run running without heartbeats, and the stale-run upkeep completes it as worker_lost.
        using var budget = new CancellationTokenSource(databaseLost ? options.Value.StaleAfter : options.Value.HandBackTimeout);
        for (var attempt = 1; ; attempt++)
        {
            // This process still holds the run while it tries: its own upkeep must not call it lost.
            runsHere.StillCompleting(run.Id);
            try
            {
                if (!await store.HandBackAsync(run.Id, claim, budget.Token))
                {
                    break;
                }

                logger.LogWarning("Run {RunId} ({Type}) was handed back to the queue ({HandBacks} of at most {Max}) because {Cause}",
                    run.Id, run.Type, run.HandBacks + 1, max, databaseLost ? "it lost the database" : "this worker is shutting down");
                await dispatcher.DispatchAsync(run.Id, budget.Token);
                return;
            }
            catch (Exception e) when (DatabaseFailures.IsTransient(e) && !budget.IsCancellationRequested)
            {
                logger.LogWarning(e, "Handing back run {RunId} failed (attempt {Attempt}); retrying", run.Id, attempt);
                await Task.Delay(Backoff(attempt, TimeSpan.FromSeconds(1)), clock, budget.Token);
            }
            catch (Exception e) when (budget.IsCancellationRequested)
            {
                logger.LogError(e, "Run {RunId} could not be handed back before the worker stopped; it will be completed as worker_lost", run.Id);
                return;
            }
        }

        // Not running under this claim any more: completed meanwhile, or a cancel was asked for — honour that.
        if (await CompleteAsync(run.Id, Running, RunCompletion.Cancelled(), CancellationToken.None))
        {
            logger.LogInformation("Run {RunId} had a cancel request when its worker stopped; completed as cancelled", run.Id);
        }
    }

    /// <summary>
    /// A failure code is the product's vocabulary (a Graph error code, <c>invalid_input</c>, <c>worker_lost</c>, …), never a
    /// .NET exception type: an exception that carries no code is the product's own fault, <c>internal_error</c>.
    /// </summary>
    internal const string InternalErrorCode = "internal_error";

    /// <summary>The code of a failure caused by the database being unavailable (never the product's fault).</summary>
    internal const string DatabaseUnavailableCode = "database_unavailable";

    private static string ErrorCode(Exception e) =>
        e is IHasErrorCode coded ? coded.ErrorCode : DatabaseFailures.IsTransient(e) ? DatabaseUnavailableCode : InternalErrorCode;

    /// <summary>
    /// Beats every <see cref="OperationsOptions.HeartbeatInterval"/> until the job ends, the run is lost or cancelled. A
    /// failed beat (the database restarting, a broken pooled connection, a timeout) is logged and retried sooner, backing off
    /// up to the interval: the worker is alive, and ending the loop would let the stale-run upkeep declare the run lost.
    /// </summary>
    private async Task HeartbeatAsync(OperationRunContext context, CancellationToken stop)
    {
        var interval = options.Value.HeartbeatInterval;
        var beatTimeout = interval * 2 > MinBeatTimeout ? interval * 2 : MinBeatTimeout;
        var failedInARow = 0;
        try
        {
            // Look once right away: a cancel may have been requested between the claim and now.
            while (true)
            {
                runsHere.HeartbeatAttempted(context.RunId);
                try
                {
                    // A beat that hangs (an unreachable server) must not stall the loop for good.
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    attempt.CancelAfter(beatTimeout);
                    await context.BeatAsync(attempt.Token);
                    if (failedInARow > 0)
                    {
                        logger.LogInformation("Heartbeat of run {RunId} resumed after {Failures} failed attempt(s)", context.RunId, failedInARow);
                    }

                    failedInARow = 0;
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return; // The job ended while this beat was in flight.
                }
                catch (Exception e)
                {
                    failedInARow++;
                    logger.LogWarning(e, "Heartbeat of run {RunId} failed ({Failures} in a row); retrying", context.RunId, failedInARow);
                }

                if (context.Lost || context.CancelRequested)
                {
                    return;
                }

                await Task.Delay(failedInARow == 0 ? interval : Backoff(failedInARow, interval), clock, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The job ended.
        }
    }

    private static TimeSpan Backoff(int failedInARow, TimeSpan ceiling) =>
        TimeSpan.FromTicks(Math.Min(ceiling.Ticks, FirstRetry.Ticks << Math.Min(failedInARow - 1, 16)));

    /// <summary>
    /// Completes a run only while it is in one of <paramref name="from"/>: a final state is never overwritten. A transient
    /// database error is retried (the update is conditional, so a retry after a lost acknowledgement changes nothing) for
    /// up to <see cref="OperationsOptions.StaleAfter"/>: giving up would leave a finished run running until the upkeep
    /// calls it lost. <paramref name="flushFirst"/>'s pending counts are written first, under the same retries.
    /// </summary>
    internal async Task<bool> CompleteAsync(
        long runId, OperationRunStatus[] from, RunCompletion completion, CancellationToken cancellationToken, OperationRunContext? flushFirst = null)
    {
        var giveUpAt = clock.GetUtcNow() + options.Value.StaleAfter;
        for (var attempt = 1; ; attempt++)
        {
            // This process still holds the run while it tries to complete it: its own upkeep must not call it lost.
            runsHere.StillCompleting(runId);
            try
            {
                if (flushFirst is not null)
                {
                    await flushFirst.FlushAsync(cancellationToken);
                }

                if (await store.CompleteAsync(runId, from, completion, cancellationToken))
                {
                    return true;
                }

                logger.LogWarning("Run {RunId} was already completed; its job's {Outcome} was not written", runId, completion.Outcome);
                return false;
            }
            catch (Exception e) when (DatabaseFailures.IsTransient(e) && clock.GetUtcNow() < giveUpAt && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Completing run {RunId} as {Outcome} failed (attempt {Attempt}); retrying", runId, completion.Outcome, attempt);
                await Task.Delay(Backoff(attempt, options.Value.HeartbeatInterval), clock, cancellationToken);
            }
        }
    }
}
