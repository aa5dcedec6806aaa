using Microsoft.EntityFrameworkCore;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Execution;

/// <summary>Whether a request may be executed now, and which plan: the refusal for people, or the plan's id.</summary>
internal sealed record ExecuteReadinessResult(string? Refusal, Guid? PlanId)
{
    public bool Ready => Refusal is null;
}

/// <summary>
/// The one place the rules for starting <c>restore.execute</c> live (the request page through
/// <see cref="IRestoreExecutions"/> and the runs API through <see cref="RestoreExecuteInputs"/> ask the same): the request is
/// not cancelled and no execute of it is queued or running; the plan is the request's newest, stored by its latest plan
/// run, not stale (<see cref="PlanFreshness"/>), and no item it would write is held by an unresolved or ambiguous
/// reference. From the database only.
/// </summary>
internal sealed class ExecuteReadiness(IDbContextFactory<RestoreDbContext> dbFactory, PlanFreshness freshness, IOperationRuns runs)
{
    /// <param name="planId">The plan the admin reviewed; null: the request's newest.</param>
    public async Task<ExecuteReadinessResult> CheckAsync(Guid requestId, Guid? planId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().Include(r => r.ItemChoices).Include(r => r.ReferenceChoices).AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return Refused("The restore request was not found.");
        }

        if (request.CancelledAt is not null)
        {
            return Refused("The restore request is cancelled: it cannot be executed.");
        }

        if (request.ExecuteRunId is { } executeRunId && await runs.FindAsync(executeRunId, cancellationToken) is { Status: not OperationRunStatus.Completed })
        {
            return Refused($"The restore request is already being executed (run #{executeRunId}): wait for it to finish.");
        }

        var newest = await db.Plans.AsNoTracking().Where(p => p.RequestId == requestId).OrderByDescending(p => p.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (newest is null)
        {
            return Refused("The restore request has no plan yet: plan it and review the plan first.");
        }

        if (planId is { } reviewed && reviewed != newest.Id)
        {
            return Refused("This is not the request's newest plan: review the newest plan and execute that one.");
        }

        if (request.PlanRunId is { } planRunId && planRunId != newest.OperationRunId)
        {
            return await runs.FindAsync(planRunId, cancellationToken) is { Status: not OperationRunStatus.Completed }
                ? Refused("The request is being planned again: review the new plan when it is stored.")
                : Refused("The request's latest plan run stored no plan: plan it again.");
        }

        var stale = await freshness.EvaluateAsync(newest, request, cancellationToken);
        if (stale.IsStale)
        {
            return Refused("The plan is stale: " + string.Join(" ", stale.Reasons) + " Plan again before executing.");
        }

        // Issue 13: a plan with unresolved blockers is not executed — not even its other items. Every unresolved or
        // ambiguous reference needs the admin's answer (map or drop) first, so no policy is left out of a restore silently.
        var blocking = PlanJson.Read<List<PlanReference>>(newest.References, []).Where(r => r.Blocks).ToList();
        if (blocking.Count > 0)
        {
            var held = await db.PlanItems.AsNoTracking().CountAsync(i => i.PlanId == newest.Id && i.Action == PlanAction.Blocked, cancellationToken);
            var names = blocking.Take(5).Select(r => r.SourceDisplayName is { } n
                ? $"{PlanBuilder.KindLabel(r.Kind).ToLowerInvariant()} \"{n}\" ({r.SourceId})"
                : $"{PlanBuilder.KindLabel(r.Kind).ToLowerInvariant()} {r.SourceId}");
            return Refused($"Unresolved references ({blocking.Count}: {string.Join(", ", names)}{(blocking.Count > 5 ? ", …" : "")}) hold {held} item(s) of the plan: map or drop them and plan again.");
        }

        return new ExecuteReadinessResult(null, newest.Id);
    }

    private static ExecuteReadinessResult Refused(string message) => new(message, null);
}
