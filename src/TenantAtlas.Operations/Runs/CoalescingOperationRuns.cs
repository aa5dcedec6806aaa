using TenantAtlas.Access.Contracts;
using TenantAtlas.BuildingBlocks.Concurrency;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>
/// ADR 0004: a burst of the same start by the same user (a double click, a script's retries, many tabs) is answered by
/// one decision. <see cref="KeyedBatcher{TKey,TItem,TResult}"/> starts a batch only after every call in it arrived, so
/// its reads are as fresh as each call's own would be (coalescing, not caching). Exactly one caller gets the created run
/// (201), the others the same run as existing (200). Across users and app instances the database's unique index decides.
/// Only user starts of dedupe types are coalesced; everything else passes through. Off with
/// <c>Operations:CoalesceStarts=false</c>.
/// </summary>
internal sealed class CoalescingOperationRuns : IOperationRuns
{
    private readonly IOperationRuns inner;
    private readonly RunStarter starter;
    private readonly RunActions actions;
    private readonly OperationTypeRegistry registry;
    private readonly IAuditLog audit;
    private readonly KeyedBatcher<StartKey, StartRequest, BatchedStart> sameStarts;

    public CoalescingOperationRuns(IOperationRuns inner, RunStarter starter, RunActions actions, OperationTypeRegistry registry, IAuditLog audit)
    {
        this.inner = inner;
        this.starter = starter;
        this.actions = actions;
        this.registry = registry;
        this.audit = audit;
        sameStarts = new((key, requests) => DecideForCallersAsync(Actor.User(key.UserId), requests[0], requests.Count));
    }

    public async Task<StartResult> StartAsync(Actor actor, StartRequest request, CancellationToken cancellationToken = default)
    {
        if (actor is not UserActor user || registry.Find(request.Type) is not { IdentityRule: IdentityRule.Dedupe, UserStartable: true } dedupe)
        {
            return await inner.StartAsync(actor, request, cancellationToken);
        }

        var key = new StartKey(user.UserId, dedupe.Key, request.TenantId, request.WorkspaceId, request.RestoreRequestId, request.RetryOfRunId,
            (request.Inputs ?? []).ToJsonString());
        var batched = await sameStarts.RunAsync(key, request, cancellationToken);
        // Audit (unless the batch did) and dispatch per caller, after the batch: the starts waiting behind it wait for neither.
        return await starter.RecordAsync(actor, batched.Result, batched.Audited, cancellationToken);
    }

    /// <summary>A retry is a start too: a burst of the same retry is coalesced like any other.</summary>
    public async Task<StartResult> RetryAsync(Actor actor, long runId, CancellationToken cancellationToken = default)
    {
        var (start, refusal) = await actions.PrepareRetryAsync(actor, runId, cancellationToken);
        return refusal ?? await StartAsync(actor, start!, cancellationToken);
    }

    /// <summary>
    /// One decision on behalf of <paramref name="callers"/> identical requests. When a run is created, the first caller gets
    /// it as created and the others as deduplicated. The deduplicated callers share one audit entry that counts them,
    /// durable before any of them is answered (after the creator's entry when they share the batch). A lone caller audits
    /// after the batch instead, so the starts behind it do not wait for its commit.
    /// </summary>
    private async Task<IReadOnlyList<BatchedStart>> DecideForCallersAsync(Actor actor, StartRequest request, int callers)
    {
        var result = await starter.DecideAsync(actor, request, CancellationToken.None);
        var deduplicated = result.Created ? callers - 1 : callers;
        if (result.Decision != AccessDecision.Allowed || result.Run is not { } run || deduplicated == 0)
        {
            return [.. Enumerable.Repeat(new BatchedStart(result, Audited: false), callers)];
        }

        await audit.WriteManyAsync(result.Created
            ? [starter.StartedEntry(actor, run), starter.DeduplicatedEntry(actor, run, deduplicated)]
            : [starter.DeduplicatedEntry(actor, run, deduplicated)], CancellationToken.None);
        var existing = new BatchedStart(result with { Created = false }, Audited: true);
        return result.Created
            ? [new BatchedStart(result, Audited: true), .. Enumerable.Repeat(existing, deduplicated)]
            : [.. Enumerable.Repeat(existing, callers)];
    }

    private sealed record StartKey(Guid UserId, string Type, Guid TenantId, Guid? WorkspaceId, Guid? RestoreRequestId, long? RetryOfRunId, string Inputs);

    /// <summary>A batch's answer to one caller; <paramref name="Audited"/> when the batch already wrote the caller's audit entry.</summary>
    private sealed record BatchedStart(StartResult Result, bool Audited);

    public Task<ScheduledRunsResult> StartScheduledAsync(IReadOnlyList<ScheduledSlot> slots, CancellationToken cancellationToken = default) =>
        inner.StartScheduledAsync(slots, cancellationToken);

    public Task<RunActionResult> CancelAsync(Actor actor, long runId, CancellationToken cancellationToken = default) =>
        inner.CancelAsync(actor, runId, cancellationToken);

    public Task<(AccessDecision Decision, OperationRunView? Run)> GetForUserAsync(Guid userId, long runId, CancellationToken cancellationToken = default) =>
        inner.GetForUserAsync(userId, runId, cancellationToken);

    public Task<OperationRunView?> FindAsync(long runId, CancellationToken cancellationToken = default) => inner.FindAsync(runId, cancellationToken);

    public Task<IReadOnlyList<OperationRunView>> FindManyAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default) =>
        inner.FindManyAsync(runIds, cancellationToken);

    public Task<OperationRunView?> FindLatestAsync(string type, Guid tenantId, bool completedOnly, CancellationToken cancellationToken = default) =>
        inner.FindLatestAsync(type, tenantId, completedOnly, cancellationToken);

    public Task<OperationRunView?> FindLatestSuccessfulAsync(string type, Guid tenantId, CancellationToken cancellationToken = default) =>
        inner.FindLatestSuccessfulAsync(type, tenantId, cancellationToken);
}
