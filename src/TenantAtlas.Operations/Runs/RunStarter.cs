using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>
/// Where a run is created. A start goes straight down: refusals (unknown or system-only type) → tenant → access →
/// job and inputs → identity → insert, or find the run holding the identity → audit → dispatch. Nothing is written
/// before the access decision and the inputs allow it; the run exists (queued) before any job does.
/// </summary>
/// <remarks>
/// The two halves, <see cref="DecideAsync"/> (up to the insert) and <see cref="RecordAsync"/> (audit and dispatch), are
/// separate so that <see cref="CoalescingOperationRuns"/> can answer a burst of identical starts with one decision and
/// still audit and dispatch per caller, outside the batch.
/// </remarks>
internal sealed class RunStarter(
    RunStore store,
    OperationTypeRegistry registry,
    IAccessService access,
    ITenantCatalog tenants,
    IAuditLog audit,
    OperationDispatcher dispatcher,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<RunStarter> logger)
{
    private const int MaxInputsLength = 16_000;

    public async Task<StartResult> StartAsync(Actor actor, StartRequest request, CancellationToken cancellationToken)
    {
        var result = await DecideAsync(actor, request, cancellationToken);
        return await RecordAsync(actor, result, audited: false, cancellationToken);
    }

    /// <summary>Everything up to and including the insert: the decision, and the run created or found.</summary>
    public async Task<StartResult> DecideAsync(Actor actor, StartRequest request, CancellationToken cancellationToken)
    {
        var definition = registry.Find(request.Type);
        if (definition is null)
        {
            return StartResult.Refused(StartRefusal.UnknownType, $"Unknown operation type '{request.Type}'. Known types: {string.Join(", ", registry.All.Where(d => d.UserStartable).Select(d => d.Key))}.");
        }

        if (actor is UserActor && !definition.UserStartable)
        {
            return StartResult.Refused(StartRefusal.SystemOnly, $"'{definition.Key}' is started only by the system (the scheduler), never by a user.");
        }

        if (definition.DedupeScope == DedupeScope.Workspace)
        {
            return await DecideForWorkspaceAsync(actor, request, definition, cancellationToken);
        }

        var (identity, identityError) = RunIdentity.Of(definition, request.TenantId, request.RestoreRequestId, request.ScheduleId, request.ScheduledFor, clock.GetUtcNow());

        // The reads that do not depend on each other go to the database together: the tenant, the identity's active run
        // and the caller's label for a new run. Nothing they read is used or answered before the access decision allows it.
        var reads = new PrefetchedReads(
            tenants.GetAsync(request.TenantId, cancellationToken),
            identity.Rule == IdentityRule.Dedupe && identityError is null ? store.FindActiveAsync(identity.Key, cancellationToken) : null,
            actor is UserActor reader ? access.GetUserLabelAsync(reader.UserId, cancellationToken) : null);
        try
        {
            // Tenant, then access.
            var tenant = await reads.Tenant;
            if (tenant is null || (request.WorkspaceId is { } ws && ws != tenant.WorkspaceId))
            {
                return StartResult.Denied(AccessDecision.NotFound);
            }

            if (actor is UserActor user && await access.CheckAsync(user.UserId, tenant.WorkspaceId, definition.Capability, cancellationToken) is var decision
                && decision != AccessDecision.Allowed)
            {
                return StartResult.Denied(decision);
            }

            // A job, an identity and valid inputs.
            if (!registry.HasJob(definition.Key))
            {
                return StartResult.Refused(StartRefusal.NoJob, $"'{definition.Label}' cannot be started yet: no job is registered for it.");
            }

            if (identityError is not null)
            {
                return StartResult.Refused(StartRefusal.InvalidInput, identityError);
            }

            var (inputs, refusal) = await InputsAsync(definition, tenant, request, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            // Insert, or find the run that holds the identity.
            return await InsertOrFindAsync(actor, request, definition, tenant.WorkspaceId, tenant.Id, identity, inputs!, reads, cancellationToken);
        }
        finally
        {
            // An earlier answer (not found, forbidden, refused) makes a read moot, but it is still awaited, never left running.
            await reads.SettleAsync();
        }
    }

    /// <summary>
    /// A run of a whole workspace (no tenant): started by the system only, one active per workspace (its dedupe identity),
    /// inputs as given. There is no tenant to look up and no user to check.
    /// </summary>
    private async Task<StartResult> DecideForWorkspaceAsync(Actor actor, StartRequest request, OperationTypeDefinition definition, CancellationToken cancellationToken)
    {
        if (actor is not SystemActor)
        {
            return StartResult.Refused(StartRefusal.SystemOnly, $"'{definition.Key}' is started only by the system, never by a user.");
        }

        if (request.WorkspaceId is not { } workspaceId || request.TenantId != Guid.Empty)
        {
            return StartResult.Refused(StartRefusal.InvalidInput, $"'{definition.Label}' runs for a whole workspace: give its workspace and no tenant.");
        }

        if (!registry.HasJob(definition.Key))
        {
            return StartResult.Refused(StartRefusal.NoJob, $"'{definition.Label}' cannot be started yet: no job is registered for it.");
        }

        var inputs = (request.Inputs ?? []).ToJsonString();
        if (inputs.Length > MaxInputsLength)
        {
            return StartResult.Refused(StartRefusal.InvalidInput, $"The inputs are too large ({inputs.Length} characters, at most {MaxInputsLength}).");
        }

        var identity = RunIdentity.PerWorkspace(definition.Key, workspaceId);
        var reads = new PrefetchedReads(Task.FromResult<TenantSummary?>(null), store.FindActiveAsync(identity.Key, cancellationToken), null);
        try
        {
            return await InsertOrFindAsync(actor, request, definition, workspaceId, null, identity, inputs, reads, cancellationToken);
        }
        finally
        {
            await reads.SettleAsync();
        }
    }

    private sealed record PrefetchedReads(Task<TenantSummary?> Tenant, Task<OperationRun?>? ActiveRun, Task<string?>? UserLabel)
    {
        public async Task SettleAsync() =>
            await Task.WhenAll(new Task?[] { ActiveRun, UserLabel }.OfType<Task>()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The inputs to store (a retry repeats its run's), or the refusal: a retry of the wrong run, too large, or refused by the type.</summary>
    private async Task<(string? Inputs, StartResult? Refusal)> InputsAsync(
        OperationTypeDefinition definition, TenantSummary tenant, StartRequest request, CancellationToken cancellationToken)
    {
        OperationRunView? retryOf = null;
        if (request.RetryOfRunId is { } retryOfId)
        {
            // The run a retry names must be one this start could retry: of this tenant and of a type that retries into this
            // one. Anything else answers like an unknown run, so a retry never tells whether another tenant's run exists.
            retryOf = (await store.FindAsync(retryOfId, cancellationToken))?.ToView();
            if (retryOf is null || retryOf.TenantId != tenant.Id || registry.Find(retryOf.Type)?.RetryType != definition.Key)
            {
                return (null, StartResult.Denied(AccessDecision.NotFound, $"No run #{retryOfId} of this tenant that '{definition.Label}' can retry."));
            }

            if (retryOf.Outcome is not (OperationRunOutcome.Failed or OperationRunOutcome.PartiallySucceeded))
            {
                return (null, StartResult.Refused(StartRefusal.InvalidInput, "Only failed or partially succeeded runs can be retried."));
            }
        }

        var inputsObject = request.Inputs ?? retryOf?.Inputs.DeepClone() as JsonObject ?? [];
        var inputs = inputsObject.ToJsonString();
        if (inputs.Length > MaxInputsLength)
        {
            return (null, StartResult.Refused(StartRefusal.InvalidInput, $"The inputs are too large ({inputs.Length} characters, at most {MaxInputsLength})."));
        }

        // The type's own rules for its inputs, after the access decision and before anything is written.
        if (services.GetKeyedService<IOperationInputsValidator>(definition.Key) is { } validator)
        {
            var verdict = await validator.ValidateAsync(
                new OperationStart(definition.Key, tenant.WorkspaceId, tenant.Id, inputsObject, request, retryOf), cancellationToken);
            switch (verdict.Kind)
            {
                case InputsVerdictKind.Malformed:
                    return (null, StartResult.Refused(StartRefusal.InvalidInput, verdict.Message ?? $"The inputs are not valid for '{definition.Label}'."));
                case InputsVerdictKind.NotFound:
                    return (null, StartResult.Denied(AccessDecision.NotFound, verdict.Message));
            }

            if (verdict.Normalized is { } normalized)
            {
                inputs = normalized.ToJsonString();
            }
        }

        return (inputs, null);
    }

    private async Task<StartResult> InsertOrFindAsync(
        Actor actor, StartRequest request, OperationTypeDefinition definition, Guid workspaceId, Guid? tenantId, RunIdentity identity, string inputs,
        PrefetchedReads reads, CancellationToken cancellationToken)
    {
        var initiator = actor switch
        {
            UserActor u => (Kind: "user", UserId: (Guid?)u.UserId, Label: await reads.UserLabel! ?? u.UserId.ToString(), Reason: (string?)null),
            SystemActor s => (Kind: "system", UserId: null, Label: "system", Reason: s.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(actor)),
        };

        // A dedupe start races with the active run completing: if the run holding the identity is gone by the time we
        // look for it, try again.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (identity.Rule == IdentityRule.Dedupe)
            {
                // Look first: a start that finds the active run never waits on an in-flight insert of the same identity.
                var active = attempt == 0 && reads.ActiveRun is not null ? await reads.ActiveRun : await store.FindActiveAsync(identity.Key, cancellationToken);
                if (active is not null)
                {
                    return new StartResult(AccessDecision.Allowed, active.ToView(), Created: false);
                }
            }

            var now = clock.GetUtcNow();
            var created = await store.InsertAsync(new OperationRun
            {
                WorkspaceId = workspaceId,
                TenantId = tenantId,
                Type = definition.Key,
                Status = OperationRunStatus.Queued,
                Outcome = OperationRunOutcome.Pending,
                IdentityRule = identity.Rule,
                IdentityKey = identity.Key,
                IdentitySource = identity.Source,
                Context = inputs,
                Summary = "{}",
                Failures = "[]",
                InitiatorKind = initiator.Kind,
                InitiatorUserId = initiator.UserId,
                InitiatorLabel = initiator.Label,
                InitiatorReason = initiator.Reason,
                RetryOfRunId = request.RetryOfRunId,
                ScheduleId = request.ScheduleId,
                ScheduledFor = request.ScheduledFor?.ToUniversalTime(),
                RestoreRequestId = request.RestoreRequestId,
                // Inserted already claimed for dispatch: the row is the outbox (OperationDispatcher).
                DispatchClaimedAt = now,
                CreatedAt = now,
            }, cancellationToken);
            if (created is not null)
            {
                return new StartResult(AccessDecision.Allowed, created.ToView(), Created: true);
            }

            if (await store.FindHolderAsync(identity, cancellationToken) is { } existing)
            {
                return new StartResult(AccessDecision.Allowed, existing.ToView(), Created: false);
            }

            logger.LogDebug("Identity {Key} conflicted but the active run completed meanwhile; retrying the start", identity.Key);
        }

        throw new InvalidOperationException($"Could not start or find a run for identity '{identity.Key}' after 5 attempts.");
    }

    /// <summary>
    /// After the decision, per caller: its audit entry (unless <paramref name="audited"/>: a batch already wrote it) and,
    /// for the caller that created the run, its job. The audit entry is durable before the job is enqueued; if the process
    /// dies before the enqueue, the run is queued without a job and the reconciler enqueues it.
    /// </summary>
    public async Task<StartResult> RecordAsync(Actor actor, StartResult result, bool audited, CancellationToken cancellationToken)
    {
        if (result.Decision != AccessDecision.Allowed || result.Run is not { } run)
        {
            return result;
        }

        if (!audited)
        {
            await audit.WriteAsync(result.Created ? StartedEntry(actor, run) : DeduplicatedEntry(actor, run, calls: 1), cancellationToken);
        }

        if (!result.Created)
        {
            return result;
        }

        var jobId = await dispatcher.DispatchAsync(run.Id, cancellationToken);
        return result with { Run = run with { HangfireJobId = jobId } };
    }

    public AuditRecord StartedEntry(Actor actor, OperationRunView run) =>
        new(actor, run.WorkspaceId, "operation.started", $"Started {registry.LabelOf(run.Type)} (run #{run.Id}).", run.TenantId, run.Id);

    /// <summary>
    /// A start answered with the run that already holds its identity. <paramref name="calls"/> identical calls of one user
    /// answered by one decision share one entry that counts them (a script's burst is one line, not 200).
    /// </summary>
    public AuditRecord DeduplicatedEntry(Actor actor, OperationRunView run, int calls) =>
        new(actor, run.WorkspaceId, "operation.deduplicated",
            $"Asked for {registry.LabelOf(run.Type)}{(calls > 1 ? $" {calls} times at once" : "")}; run #{run.Id} with the same identity already exists ({run.Status.ToWire()}).",
            run.TenantId, run.Id);

    /// <summary>
    /// The scheduler's path: the runs of many schedule slots in ONE insert; each slot gets at most one run ever (the slot
    /// index refuses duplicates, however many schedulers race). A missed slot is recorded completed/failed (missed) and
    /// never executed. Every created run is audited, then the queued ones are enqueued.
    /// </summary>
    public async Task<ScheduledRunsResult> StartScheduledAsync(IReadOnlyList<ScheduledSlot> slots, CancellationToken cancellationToken)
    {
        if (slots.Count == 0)
        {
            return new ScheduledRunsResult([], [], TimeSpan.Zero, TimeSpan.Zero);
        }

        var definition = registry.Find(OperationTypes.BackupScheduled)!;
        var now = clock.GetUtcNow();
        var creating = System.Diagnostics.Stopwatch.StartNew();
        var missed = RunCompletion.Failed("missed", "missed",
            "The scheduler first saw this slot after its grace window (it was down or too busy); it was not executed. The next slot runs as planned.");
        var rows = await store.InsertSlotsAsync([.. slots.Select(slot =>
        {
            var identity = RunIdentity.PerSlot(definition.Key, slot.ScheduleId, slot.ScheduledFor);
            return new OperationRun
            {
                WorkspaceId = slot.WorkspaceId,
                TenantId = slot.TenantId,
                Type = definition.Key,
                Status = slot.Missed ? OperationRunStatus.Completed : OperationRunStatus.Queued,
                Outcome = slot.Missed ? missed.Outcome : OperationRunOutcome.Pending,
                IdentityRule = identity.Rule,
                IdentityKey = identity.Key,
                IdentitySource = identity.Source,
                Context = (slot.Inputs ?? []).ToJsonString(),
                Summary = "{}",
                Failures = slot.Missed ? missed.FailuresJson(now) : "[]",
                InitiatorKind = "system",
                InitiatorLabel = "system",
                InitiatorReason = "schedule",
                ScheduleId = slot.ScheduleId,
                ScheduledFor = slot.ScheduledFor.ToUniversalTime(),
                DispatchClaimedAt = now,
                CreatedAt = now,
                CompletedAt = slot.Missed ? now : null,
                CompletionReason = slot.Missed ? missed.Reason : null,
            };
        })], cancellationToken);

        await audit.WriteManyAsync([.. rows.Select(r => new AuditRecord(Actor.System("schedule"), r.WorkspaceId,
            r.Status == OperationRunStatus.Queued ? "operation.started" : "operation.missed",
            r.Status == OperationRunStatus.Queued
                ? $"Scheduled backup for {r.ScheduledFor:yyyy-MM-dd HH:mm} UTC (run #{r.Id})."
                : $"Scheduled backup slot {r.ScheduledFor:yyyy-MM-dd HH:mm} UTC was missed (run #{r.Id}).",
            r.TenantId, r.Id))], cancellationToken);
        creating.Stop();

        var enqueueing = System.Diagnostics.Stopwatch.StartNew();
        var queued = rows.Where(r => r.Status == OperationRunStatus.Queued).Select(r => r.Id).ToList();
        await dispatcher.DispatchManyAsync(queued, cancellationToken);
        enqueueing.Stop();
        return new ScheduledRunsResult(queued, [.. rows.Where(r => r.Status != OperationRunStatus.Queued).Select(r => r.Id)], creating.Elapsed, enqueueing.Elapsed);
    }
}
