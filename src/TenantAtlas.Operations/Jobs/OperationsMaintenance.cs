using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Jobs;

/// <summary>
/// Recurring upkeep that keeps run status truthful: runs whose worker died are completed as failed (worker_lost),
/// and queued runs left without a job are enqueued exactly once.
/// </summary>
internal sealed class OperationsMaintenance(
    IDbContextFactory<OperationsDbContext> dbFactory,
    OperationDispatcher dispatcher,
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
        var failure = RunMapping.FailureEntry.ArrayOf("worker_lost",
            $"The worker running this run stopped sending heartbeats for more than {Math.Max(1, minutes)} minute(s) (process crash or restart). Start it again.", null, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Database.SqlQuery<long>($"""
            UPDATE operations.operation_runs
               SET status = 'completed', outcome = 'failed', completed_at = {now}, completion_reason = 'worker_lost',
                   failures = failures || {failure}::jsonb
             WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < {threshold}) AND NOT (id = ANY({aliveHere}))
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            logger.LogWarning("Run {RunId} lost its worker (no heartbeat since {Threshold:O}); completed as failed", id, threshold);
        }

        return ids;
    }
}
