using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Execution;

/// <summary>
/// A <c>restore.execute</c> start (from the request page or the API) must name a restore request of its tenant that
/// <see cref="ExecuteReadiness"/> allows; an optional <c>planId</c> input must be the request's newest plan. Anything else
/// is refused before a run exists. The run's inputs name the plan it executes (the newest at the start), so the job
/// never has to guess.
/// </summary>
internal sealed class RestoreExecuteInputs(IDbContextFactory<RestoreDbContext> dbFactory, ExecuteReadiness readiness) : IOperationInputsValidator
{
    public const string PlanIdInput = "planId";
    public const string RequestIdInput = "restoreRequestId";

    public async Task<InputsVerdict> ValidateAsync(OperationStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.Request.RestoreRequestId is not { } requestId)
        {
            return InputsVerdict.Malformed("A restore needs restoreRequestId: the restore request to execute.");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
                .Select(r => new { r.TargetTenantId, r.WorkspaceId }).FirstOrDefaultAsync(cancellationToken);
            if (request is null || request.TargetTenantId != start.TenantId || request.WorkspaceId != start.WorkspaceId)
            {
                return InputsVerdict.NotFound("The restore request was not found.");
            }
        }

        Guid? planId = null;
        if (start.Inputs.ContainsKey(PlanIdInput))
        {
            if (start.Inputs.GetGuid(PlanIdInput) is not { } given)
            {
                return InputsVerdict.Malformed("'planId' must be the id (a GUID) of the plan you reviewed, or left out for the request's newest plan.");
            }

            planId = given;
        }

        var ready = await readiness.CheckAsync(requestId, planId, cancellationToken);
        return ready.Ready
            ? InputsVerdict.ValidAs(new JsonObject { [RequestIdInput] = requestId.ToString(), [PlanIdInput] = ready.PlanId!.Value.ToString() })
            : InputsVerdict.Malformed(ready.Refusal!);
    }
}
