using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Requests;

namespace TenantAtlas.Restore.Execution;

/// <summary>
/// Starting <c>restore.execute</c> from the request page: access as for every request action (<see cref="RestoreRequests.DecideAsync"/>),
/// then the run through <see cref="IOperationRuns"/>, whose inputs check (<see cref="RestoreExecuteInputs"/>) refuses with
/// the same rules as the runs API before anything is written. See <see cref="IRestoreExecutions"/>.
/// </summary>
internal sealed class RestoreExecutions(
    IDbContextFactory<RestoreDbContext> dbFactory,
    RestoreRequests requests,
    IOperationRuns runs,
    IAuditLog audit,
    TimeProvider clock) : IRestoreExecutions
{
    public async Task<RestoreResult<StartResult>> ExecuteAsync(Guid userId, Guid requestId, Guid planId, CancellationToken cancellationToken = default)
    {
        var (decision, request) = await requests.DecideAsync(userId, requestId, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return RestoreResult.Denied<StartResult>(decision);
        }

        var started = await runs.StartAsync(Actor.User(userId),
            new StartRequest(OperationTypes.RestoreExecute, request!.TargetTenantId)
            {
                WorkspaceId = request.WorkspaceId,
                RestoreRequestId = request.Id,
                Inputs = new JsonObject { [RestoreExecuteInputs.RequestIdInput] = request.Id.ToString(), [RestoreExecuteInputs.PlanIdInput] = planId.ToString() },
            },
            cancellationToken);
        if (started.Decision != AccessDecision.Allowed)
        {
            return RestoreResult.Denied<StartResult>(started.Decision);
        }

        if (!started.Started)
        {
            return RestoreResult.Refused<StartResult>(started.Message ?? "The restore could not be started.");
        }

        await RecordExecuteRunAsync(dbFactory, request.Id, started.Run!.Id, clock.GetUtcNow(), cancellationToken);
        if (started.Created)
        {
            await audit.WriteAsync(new AuditRecord(Actor.User(userId), request.WorkspaceId, RestoreAuditActions.ExecuteStarted,
                $"Restore request {request.Id}: execute of plan {planId} started (run #{started.Run.Id}).", request.TargetTenantId, started.Run.Id), cancellationToken);
        }

        return new(AccessDecision.Allowed, started, started.Message);
    }

    /// <summary>Remembers the newest execute run of a request (its state follows that run); an older run never replaces a newer one.</summary>
    internal static async Task RecordExecuteRunAsync(IDbContextFactory<RestoreDbContext> dbFactory, Guid requestId, long runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Requests.Where(r => r.Id == requestId && (r.ExecuteRunId == null || r.ExecuteRunId < runId))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ExecuteRunId, runId).SetProperty(r => r.UpdatedAt, now), cancellationToken);
    }
}
