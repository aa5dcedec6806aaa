using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>
/// <see cref="IOperationRuns"/> as other modules see it, put together from its parts: <see cref="RunStarter"/> creates
/// runs, <see cref="RunAccess"/> decides 404/403, <see cref="RunActions"/> cancels and retries, <see cref="RunStore"/>
/// holds them. Bursts of identical starts are coalesced by <see cref="CoalescingOperationRuns"/> around this (ADR 0004).
/// </summary>
internal sealed class OperationRuns(RunStarter starter, RunActions actions, RunAccess runAccess, RunStore store) : IOperationRuns
{
    public Task<StartResult> StartAsync(Actor actor, StartRequest request, CancellationToken cancellationToken = default) =>
        starter.StartAsync(actor, request, cancellationToken);

    public Task<ScheduledRunsResult> StartScheduledAsync(IReadOnlyList<ScheduledSlot> slots, CancellationToken cancellationToken = default) =>
        starter.StartScheduledAsync(slots, cancellationToken);

    public Task<RunActionResult> CancelAsync(Actor actor, long runId, CancellationToken cancellationToken = default) =>
        actions.CancelAsync(actor, runId, cancellationToken);

    public async Task<StartResult> RetryAsync(Actor actor, long runId, CancellationToken cancellationToken = default)
    {
        var (start, refusal) = await actions.PrepareRetryAsync(actor, runId, cancellationToken);
        return refusal ?? await starter.StartAsync(actor, start!, cancellationToken);
    }

    public async Task<(AccessDecision Decision, OperationRunView? Run)> GetForUserAsync(Guid userId, long runId, CancellationToken cancellationToken = default)
    {
        var run = await store.FindAsync(runId, cancellationToken);
        if (run is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var decision = await runAccess.DecideForUserAsync(userId, run.WorkspaceId, run.Type, cancellationToken);
        return decision == AccessDecision.Allowed ? (decision, run.ToView()) : (decision, null);
    }

    public async Task<OperationRunView?> FindAsync(long runId, CancellationToken cancellationToken = default) =>
        (await store.FindAsync(runId, cancellationToken))?.ToView();

    public async Task<IReadOnlyList<OperationRunView>> FindManyAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default) =>
        [.. (await store.FindManyAsync(runIds, cancellationToken)).Select(r => r.ToView())];

    public async Task<OperationRunView?> FindLatestAsync(string type, Guid tenantId, bool completedOnly, CancellationToken cancellationToken = default) =>
        (await store.FindLatestAsync(type, tenantId, completedOnly, successfulOnly: false, cancellationToken))?.ToView();

    public async Task<OperationRunView?> FindLatestSuccessfulAsync(string type, Guid tenantId, CancellationToken cancellationToken = default) =>
        (await store.FindLatestAsync(type, tenantId, completedOnly: true, successfulOnly: true, cancellationToken))?.ToView();
}
