using Microsoft.EntityFrameworkCore;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Requests;

/// <summary>
/// A <c>restore.plan</c> start (from the request page or the API) must name a restore request of its tenant that is not
/// cancelled and not executed — unless its latest execute ended failed, partially succeeded or was cancelled (stopped), which a new plan may finish;
/// anything else is refused before a run exists. An unknown request and one of another tenant answer alike.
/// </summary>
internal sealed class RestorePlanInputs(IDbContextFactory<RestoreDbContext> dbFactory, IOperationRuns runs) : IOperationInputsValidator
{
    public async Task<InputsVerdict> ValidateAsync(OperationStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.Request.RestoreRequestId is not { } requestId)
        {
            return InputsVerdict.Malformed("A restore plan needs restoreRequestId: the restore request to plan.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { r.TargetTenantId, r.WorkspaceId, r.CancelledAt, r.ExecuteRunId }).FirstOrDefaultAsync(cancellationToken);
        if (request is null || request.TargetTenantId != start.TenantId || request.WorkspaceId != start.WorkspaceId)
        {
            return InputsVerdict.NotFound("The restore request was not found.");
        }

        if (request.CancelledAt is not null)
        {
            return InputsVerdict.Malformed("The restore request is cancelled: it cannot be planned again.");
        }

        if (request.ExecuteRunId is not { } executeRunId)
        {
            return InputsVerdict.Valid;
        }

        var execute = await runs.FindAsync(executeRunId, cancellationToken);
        return execute is { Status: OperationRunStatus.Completed, Outcome: OperationRunOutcome.Failed or OperationRunOutcome.PartiallySucceeded or OperationRunOutcome.Cancelled }
            ? InputsVerdict.Valid
            : InputsVerdict.Malformed(execute is { Status: not OperationRunStatus.Completed }
                ? "The restore request is being executed: it cannot be planned now."
                : "The restore request was executed: it cannot be planned again.");
    }
}
