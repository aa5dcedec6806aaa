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

        if (!await store.ClaimAsync(run.Id, cancellationToken))
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopHeartbeatAsync();
            await CompleteAsync(run.Id, Running,
                RunCompletion.Failed("worker_stopped", "worker_stopped", "The worker process shut down while the run was in progress. Start it again.", byWorker: true), CancellationToken.None);
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

    /// <summary>
    /// A failure code is the product's vocabulary (a Graph error code, <c>invalid_input</c>, <c>worker_lost</c>, …), never a
    /// .NET exception type: an exception that carries no code is the product's own fault, <c>internal_error</c>.
    /// </summary>
    internal const string InternalErrorCode = "internal_error";

    private static string ErrorCode(Exception e) => e is IHasErrorCode coded ? coded.ErrorCode : InternalErrorCode;

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
