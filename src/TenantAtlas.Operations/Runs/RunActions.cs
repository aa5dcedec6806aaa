using System.Text.Json.Nodes;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>What a user does to an existing run: cancel it, or ask for its retry (a new, linked run).</summary>
internal sealed class RunActions(RunStore store, RunAccess runAccess, OperationTypeRegistry registry, IAuditLog audit)
{
    public async Task<RunActionResult> CancelAsync(Actor actor, long runId, CancellationToken cancellationToken)
    {
        var run = await store.FindAsync(runId, cancellationToken);
        var decision = await runAccess.DecideAsync(actor, run?.WorkspaceId, run?.Type, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return new RunActionResult(decision, false);
        }

        var transition = await store.RequestCancelAsync(runId, cancellationToken);
        if (transition == CancelTransition.None)
        {
            return new RunActionResult(AccessDecision.Allowed, false, "The run has already finished or is already stopping.");
        }

        var queued = transition == CancelTransition.CancelledQueued;
        await audit.WriteAsync(new AuditRecord(actor, run!.WorkspaceId, "operation.cancel_requested",
            queued ? $"Cancelled queued run #{runId}." : $"Asked running run #{runId} to stop.", run.TenantId, runId), cancellationToken);
        return new RunActionResult(AccessDecision.Allowed, true, queued ? "Cancelled." : "Cancellation requested: the run stops at its next heartbeat.");
    }

    /// <summary>
    /// The start a retry of <paramref name="runId"/> makes (the type's retry type, linked, with the run's inputs), or the
    /// answer when there is none to make: not found, forbidden, or a run that is not retried.
    /// </summary>
    public async Task<(StartRequest? Start, StartResult? Refusal)> PrepareRetryAsync(Actor actor, long runId, CancellationToken cancellationToken)
    {
        var run = (await store.FindAsync(runId, cancellationToken))?.ToView();
        if (run?.TenantId is not { } tenantId)
        {
            return (null, StartResult.Denied(AccessDecision.NotFound));
        }

        var decision = await runAccess.DecideAsync(actor, run.WorkspaceId, run.Type, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return (null, StartResult.Denied(decision));
        }

        if (registry.Find(run.Type)?.RetryType is not { } retryType)
        {
            return (null, StartResult.Refused(StartRefusal.InvalidInput, "This kind of run is not retried: start it again instead."));
        }

        if (run.Outcome is not (OperationRunOutcome.Failed or OperationRunOutcome.PartiallySucceeded))
        {
            return (null, StartResult.Refused(StartRefusal.InvalidInput, "Only failed or partially succeeded runs can be retried."));
        }

        return (new StartRequest(retryType, tenantId) { Inputs = run.Inputs.DeepClone() as JsonObject, RetryOfRunId = run.Id }, null);
    }
}
