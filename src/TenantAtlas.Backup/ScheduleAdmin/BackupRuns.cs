using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.ScheduleAdmin;

/// <summary>
/// "Run now" and "Retry". Both are unique per click and gated by <c>tenant.backups.run</c>, which the run starter checks
/// on every start (and audits); an unknown schedule answers like a schedule of another workspace: not found.
/// </summary>
internal sealed class BackupRuns(IDbContextFactory<BackupDbContext> dbFactory, IOperationRuns runs)
{
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        OperationTypes.BackupRunNow, OperationTypes.BackupRetry, OperationTypes.BackupScheduled,
    };

    public async Task<StartResult> RunNowAsync(Guid userId, Guid scheduleId, CancellationToken cancellationToken = default)
    {
        Guid? tenantId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            tenantId = await db.Schedules.Where(s => s.Id == scheduleId).Select(s => (Guid?)s.TenantId).FirstOrDefaultAsync(cancellationToken);
        }

        if (tenantId is null)
        {
            return StartResult.Denied(AccessDecision.NotFound);
        }

        return await runs.StartAsync(Actor.User(userId), new StartRequest(OperationTypes.BackupRunNow, tenantId.Value)
        {
            Inputs = new JsonObject { ["scheduleId"] = scheduleId.ToString() },
        }, cancellationToken);
    }

    /// <summary>Retries a failed or partially succeeded backup run; the new run is linked to it.</summary>
    public async Task<StartResult> RetryAsync(Guid userId, long runId, CancellationToken cancellationToken = default)
    {
        var run = await runs.FindAsync(runId, cancellationToken);
        if (run is null || !Types.Contains(run.Type))
        {
            return StartResult.Denied(AccessDecision.NotFound);
        }

        return await runs.RetryAsync(Actor.User(userId), runId, cancellationToken);
    }
}
