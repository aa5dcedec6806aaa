using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.BuildingBlocks.Concurrency;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Operations.Runs;

internal sealed class OperationRunService(
    IDbContextFactory<OperationsDbContext> dbFactory,
    OperationTypeRegistry registry,
    IAccessService access,
    ITenantCatalog tenants,
    IAuditLog audit,
    OperationDispatcher dispatcher,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<OperationRunService> logger) : IOperationRuns
{
    private const int MaxInputsLength = 16_000;

    private KeyedBatcher<StartKey, StartRequest, BatchedStart>? sameStarts;

    public async Task<StartResult> StartAsync(Actor actor, StartRequest request, CancellationToken cancellationToken = default)
    {
        if (actor is UserActor user && registry.Find(request.Type) is { IdentityRule: IdentityRule.Dedupe, UserStartable: true } dedupe)
        {
            // A burst of the same start by the same user (a double click, a script's retries, many tabs) is answered by one
            // check-and-start; KeyedBatcher guarantees that the checks and the look for the active run happen after every
            // start in the batch arrived. Exactly one caller gets the created run (201), the others it as existing (200).
            // Across users and app instances the database's unique index decides.
            var key = new StartKey(user.UserId, dedupe.Key, request.TenantId, request.WorkspaceId, request.RestoreRequestId, request.RetryOfRunId,
                (request.Inputs ?? []).ToJsonString());
            var batcher = LazyInitializer.EnsureInitialized(ref sameStarts,
                () => new KeyedBatcher<StartKey, StartRequest, BatchedStart>((key, requests) => StartForCallersAsync(Actor.User(key.UserId), requests[0], requests.Count)));
            var batched = await batcher.RunAsync(key, request, cancellationToken);
            return await FinishAsync(actor, batched.Result, batched.Audited, cancellationToken);
        }

        return await FinishAsync(actor, await StartOnceAsync(actor, request, cancellationToken), audited: false, cancellationToken);
    }

    /// <summary>
    /// Per caller, after the start: its audit entry unless its batch wrote it, and, for the caller that created the run, its
    /// job. A lone creator audits here, after its batch, so the starts waiting behind it do not wait for its audit commit.
    /// The audit entry is durable before the job is enqueued; if the process dies before the enqueue, the run is queued
    /// without a job and the reconciler enqueues it.
    /// </summary>
    private async Task<StartResult> FinishAsync(Actor actor, StartResult result, bool audited, CancellationToken cancellationToken)
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

    private AuditRecord StartedEntry(Actor actor, OperationRunView run) =>
        new(actor, run.WorkspaceId, "operation.started", $"Started {registry.LabelOf(run.Type)} (run #{run.Id}).", run.TenantId, run.Id);

    /// <summary>
    /// One entry for the calls of one batch that found the run existing: they are one user's identical request at the same
    /// moment, so the entry says how many there were instead of repeating itself (a script's burst is one line, not 200).
    /// </summary>
    private AuditRecord DeduplicatedEntry(Actor actor, OperationRunView run, int calls) =>
        new(actor, run.WorkspaceId, "operation.deduplicated",
            $"Asked for {registry.LabelOf(run.Type)}{(calls > 1 ? $" {calls} times at once" : "")}; run #{run.Id} with the same identity already exists ({run.Status.ToWire()}).",
            run.TenantId, run.Id);

    private sealed record StartKey(Guid UserId, string Type, Guid TenantId, Guid? WorkspaceId, Guid? RestoreRequestId, long? RetryOfRunId, string Inputs);

    /// <summary>A batch's answer to one caller; <paramref name="Audited"/> when the batch already wrote the caller's audit entry.</summary>
    private sealed record BatchedStart(StartResult Result, bool Audited);

    /// <summary>
    /// One start on behalf of <paramref name="callers"/> identical requests: the same decision for all of them; when a run is
    /// created, the first caller gets it as created and the others as deduplicated. The deduplicated callers' one audit
    /// entry is durable before any of them is answered (with the creator's entry first when they share the batch).
    /// </summary>
    private async Task<IReadOnlyList<BatchedStart>> StartForCallersAsync(Actor actor, StartRequest request, int callers)
    {
        var result = await StartOnceAsync(actor, request, CancellationToken.None);
        var deduplicated = result.Created ? callers - 1 : callers;
        if (result.Decision != AccessDecision.Allowed || result.Run is not { } run || deduplicated == 0)
        {
            return [.. Enumerable.Repeat(new BatchedStart(result, Audited: false), callers)];
        }

        await audit.WriteManyAsync(result.Created
            ? [StartedEntry(actor, run), DeduplicatedEntry(actor, run, deduplicated)]
            : [DeduplicatedEntry(actor, run, deduplicated)], CancellationToken.None);
        var existing = new BatchedStart(result with { Created = false }, Audited: true);
        return result.Created
            ? [new BatchedStart(result, Audited: true), .. Enumerable.Repeat(existing, deduplicated)]
            : [.. Enumerable.Repeat(existing, callers)];
    }

    private async Task<StartResult> StartOnceAsync(Actor actor, StartRequest request, CancellationToken cancellationToken)
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

        // The reads that do not depend on each other go to the database together: the tenant (then the caller's role in
        // its workspace), the identity's active run and the caller's label for a new run. Nothing they read is used or
        // answered before the access decision allows it.
        var identity = Identity(definition, request);
        var tenantRead = tenants.GetAsync(request.TenantId, cancellationToken);
        var activeRead = definition.IdentityRule == IdentityRule.Dedupe && identity.Error is null ? FindActiveAsync(identity.Key, cancellationToken) : null;
        var labelRead = actor is UserActor reader ? access.GetUserLabelAsync(reader.UserId, cancellationToken) : null;
        try
        {
            return await StartAfterReadsAsync(actor, request, definition, identity, tenantRead, activeRead, labelRead, cancellationToken);
        }
        finally
        {
            // An earlier answer (not found, forbidden, refused) makes a read moot, but it is still awaited, never left running.
            await Task.WhenAll(new Task?[] { activeRead, labelRead }.OfType<Task>()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<StartResult> StartAfterReadsAsync(
        Actor actor, StartRequest request, OperationTypeDefinition definition, (string Key, string Source, string? Error) identity,
        Task<TenantSummary?> tenantRead, Task<OperationRun?>? activeRead, Task<string?>? labelRead, CancellationToken cancellationToken)
    {
        var tenant = await tenantRead;
        if (tenant is null || (request.WorkspaceId is { } ws && ws != tenant.WorkspaceId))
        {
            return StartResult.Denied(AccessDecision.NotFound);
        }

        if (actor is UserActor user)
        {
            var decision = await access.CheckAsync(user.UserId, tenant.WorkspaceId, definition.Capability, cancellationToken);
            if (decision != AccessDecision.Allowed)
            {
                return StartResult.Denied(decision);
            }
        }

        if (!registry.HasJob(definition.Key))
        {
            return StartResult.Refused(StartRefusal.NoJob, $"'{definition.Label}' cannot be started yet: no job is registered for it.");
        }

        if (identity.Error is not null)
        {
            return StartResult.Refused(StartRefusal.InvalidInput, identity.Error);
        }

        OperationRunView? retryOf = null;
        if (request.RetryOfRunId is { } retryOfId)
        {
            // The run a retry names must be one this start could retry: of this tenant and of a type that retries into this
            // one. Anything else answers like an unknown run, so a retry never tells whether another tenant's run exists.
            retryOf = await FindAsync(retryOfId, cancellationToken);
            if (retryOf is null || retryOf.TenantId != tenant.Id || registry.Find(retryOf.Type)?.RetryType != definition.Key)
            {
                return StartResult.Denied(AccessDecision.NotFound, $"No run #{retryOfId} of this tenant that '{definition.Label}' can retry.");
            }

            if (retryOf.Outcome is not (OperationRunOutcome.Failed or OperationRunOutcome.PartiallySucceeded))
            {
                return StartResult.Refused(StartRefusal.InvalidInput, "Only failed or partially succeeded runs can be retried.");
            }
        }

        var inputsObject = request.Inputs ?? retryOf?.Inputs.DeepClone() as JsonObject ?? [];
        var inputs = inputsObject.ToJsonString();
        if (inputs.Length > MaxInputsLength)
        {
            return StartResult.Refused(StartRefusal.InvalidInput, $"The inputs are too large ({inputs.Length} characters, at most {MaxInputsLength}).");
        }

        // The type's own rules for its inputs, after the access decision and before anything is written.
        if (services.GetKeyedService<IOperationInputsValidator>(definition.Key) is { } validator)
        {
            var verdict = await validator.ValidateAsync(
                new OperationStart(definition.Key, tenant.WorkspaceId, tenant.Id, inputsObject, request, retryOf), cancellationToken);
            switch (verdict.Kind)
            {
                case InputsVerdictKind.Malformed:
                    return StartResult.Refused(StartRefusal.InvalidInput, verdict.Message ?? $"The inputs are not valid for '{definition.Label}'.");
                case InputsVerdictKind.NotFound:
                    return StartResult.Denied(AccessDecision.NotFound, verdict.Message);
            }

            if (verdict.Normalized is { } normalized)
            {
                inputs = normalized.ToJsonString();
            }
        }

        (string Kind, Guid? UserId, string Label, string? Reason)? initiator = null;

        // A deduped start races with the active run completing: if the conflicting run is gone by the time we look, try again.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var now = clock.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var active = definition.IdentityRule != IdentityRule.Dedupe ? null
                : attempt == 0 && activeRead is not null ? await activeRead
                : await FindActiveAsync(db, identity.Key, cancellationToken);
            if (active is not null)
            {
                // Look first: a start that finds the active run never waits on an in-flight insert of the same identity.
                return new StartResult(AccessDecision.Allowed, active.ToView(), Created: false);
            }

            initiator ??= actor switch
            {
                UserActor u => (Kind: "user", UserId: (Guid?)u.UserId, Label: await labelRead! ?? u.UserId.ToString(), Reason: (string?)null),
                SystemActor s => (Kind: "system", UserId: null, Label: "system", Reason: s.Reason),
                _ => throw new ArgumentOutOfRangeException(nameof(actor)),
            };
            var rule = definition.IdentityRule.ToWire();
            var conflict = definition.IdentityRule switch
            {
                IdentityRule.Dedupe => "ON CONFLICT (identity_key) WHERE status IN ('queued','running') AND identity_rule = 'dedupe' DO NOTHING",
                IdentityRule.StrictSchedule => "ON CONFLICT (schedule_id, scheduled_for) WHERE identity_rule = 'strict_schedule' DO NOTHING",
                _ => "",
            };
            var sql = $$"""
                INSERT INTO operations.operation_runs
                    (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
                     initiator_kind, initiator_user_id, initiator_label, initiator_reason, retry_of_run_id, schedule_id, scheduled_for,
                     restore_request_id, dispatch_claimed_at, created_at)
                VALUES (@workspace, @tenant, @type, 'queued', 'pending', @rule, @key, @source::jsonb, @context::jsonb, @emptySummary::jsonb, '[]'::jsonb,
                        @kind, @user, @label, @reason, @retryOf, @schedule, @scheduledFor, @restore, @now, @now)
                {{conflict}}
                RETURNING *
                """;
            var parameters = new object[]
            {
                new NpgsqlParameter("workspace", tenant.WorkspaceId),
                new NpgsqlParameter("tenant", tenant.Id),
                new NpgsqlParameter("type", definition.Key),
                new NpgsqlParameter("rule", rule),
                new NpgsqlParameter("key", identity.Key),
                new NpgsqlParameter("source", identity.Source),
                new NpgsqlParameter("context", inputs),
                new NpgsqlParameter("kind", initiator.Value.Kind),
                new NpgsqlParameter("user", (object?)initiator.Value.UserId ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                new NpgsqlParameter("label", initiator.Value.Label),
                new NpgsqlParameter("reason", (object?)initiator.Value.Reason ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar },
                new NpgsqlParameter("retryOf", (object?)request.RetryOfRunId ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                new NpgsqlParameter("schedule", (object?)request.ScheduleId ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                new NpgsqlParameter("scheduledFor", (object?)request.ScheduledFor?.ToUniversalTime() ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new NpgsqlParameter("restore", (object?)request.RestoreRequestId ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                new NpgsqlParameter("now", now),
                // Braces are placeholders in raw SQL for EF: pass the empty object as a parameter.
                new NpgsqlParameter("emptySummary", "{}"),
            };
            // The run as created, in the same round trip (not composable: read as it comes); StartAsync audits it and
            // enqueues its job.
            OperationRun? created = null;
            await foreach (var row in db.Runs.FromSqlRaw(sql, parameters).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                created = row;
            }

            if (created is not null)
            {
                return new StartResult(AccessDecision.Allowed, created.ToView(), Created: true);
            }

            var existing = definition.IdentityRule switch
            {
                IdentityRule.Dedupe => await FindActiveAsync(db, identity.Key, cancellationToken),
                IdentityRule.StrictSchedule => await db.Runs.AsNoTracking()
                    .Where(r => r.IdentityRule == "strict_schedule" && r.ScheduleId == request.ScheduleId && r.ScheduledFor == request.ScheduledFor!.Value.ToUniversalTime())
                    .FirstOrDefaultAsync(cancellationToken),
                _ => null,
            };
            if (existing is not null)
            {
                return new StartResult(AccessDecision.Allowed, existing.ToView(), Created: false);
            }

            logger.LogDebug("Identity {Key} conflicted but the active run completed meanwhile; retrying the start", identity.Key);
        }

        throw new InvalidOperationException($"Could not start or find a run for identity '{identity.Key}' after 5 attempts.");
    }

    private async Task<OperationRun?> FindActiveAsync(string identityKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindActiveAsync(db, identityKey, cancellationToken);
    }

    private static Task<OperationRun?> FindActiveAsync(OperationsDbContext db, string identityKey, CancellationToken cancellationToken) =>
        db.Runs.AsNoTracking()
            .Where(r => r.IdentityKey == identityKey && r.IdentityRule == "dedupe" && (r.Status == "queued" || r.Status == "running"))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<ScheduledRunsResult> StartScheduledAsync(IReadOnlyList<ScheduledSlot> slots, CancellationToken cancellationToken = default)
    {
        if (slots.Count == 0)
        {
            return new ScheduledRunsResult([], [], TimeSpan.Zero, TimeSpan.Zero);
        }

        var definition = registry.Find(OperationTypes.BackupScheduled)!;
        var now = clock.GetUtcNow();
        var created = System.Diagnostics.Stopwatch.StartNew();
        var utc = slots.Select(s => s.ScheduledFor.ToUniversalTime()).ToArray();
        var missedFailure = RunMapping.FailureEntry.ArrayOf("missed",
            "The scheduler first saw this slot after its grace window (it was down or too busy); it was not executed. The next slot runs as planned.", null, now);
        var parameters = new object[]
        {
            new NpgsqlParameter("workspaces", slots.Select(s => s.WorkspaceId).ToArray()),
            new NpgsqlParameter("tenants", slots.Select(s => s.TenantId).ToArray()),
            new NpgsqlParameter("schedules", slots.Select(s => s.ScheduleId).ToArray()),
            new NpgsqlParameter("times", utc),
            new NpgsqlParameter("missed", slots.Select(s => s.Missed).ToArray()),
            new NpgsqlParameter("keys", slots.Select((s, i) => $"{definition.Key}|schedule:{s.ScheduleId}|{utc[i]:O}").ToArray()),
            new NpgsqlParameter("sources", slots.Select((s, i) => Source(("schedule_id", s.ScheduleId.ToString()), ("scheduled_for", utc[i].ToString("O")))).ToArray()),
            new NpgsqlParameter("contexts", slots.Select(s => (s.Inputs ?? []).ToJsonString()).ToArray()),
            new NpgsqlParameter("type", definition.Key),
            new NpgsqlParameter("now", now),
            new NpgsqlParameter("missedFailure", missedFailure),
            new NpgsqlParameter("noFailures", "[]"),
            new NpgsqlParameter("emptySummary", "{}"),
        };
        // One statement for every due slot; the unique slot index makes racing schedulers and repeated ticks harmless.
        const string sql = """
            INSERT INTO operations.operation_runs
                (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
                 initiator_kind, initiator_label, initiator_reason, schedule_id, scheduled_for, dispatch_claimed_at, created_at, completed_at, completion_reason)
            SELECT s.workspace_id, s.tenant_id, @type,
                   CASE WHEN s.missed THEN 'completed' ELSE 'queued' END,
                   CASE WHEN s.missed THEN 'failed' ELSE 'pending' END,
                   'strict_schedule', s.identity_key, s.source::jsonb, s.context::jsonb, @emptySummary::jsonb,
                   CASE WHEN s.missed THEN @missedFailure::jsonb ELSE @noFailures::jsonb END,
                   'system', 'system', 'schedule', s.schedule_id, s.scheduled_for, @now, @now,
                   CASE WHEN s.missed THEN @now END, CASE WHEN s.missed THEN 'missed' END
              FROM unnest(@workspaces, @tenants, @schedules, @times, @missed, @keys, @sources, @contexts)
                   AS s(workspace_id, tenant_id, schedule_id, scheduled_for, missed, identity_key, source, context)
            ON CONFLICT (schedule_id, scheduled_for) WHERE identity_rule = 'strict_schedule' DO NOTHING
            RETURNING id, status, workspace_id, tenant_id, scheduled_for
            """;
        List<CreatedSlot> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            rows = await db.Database.SqlQueryRaw<CreatedSlot>(sql, parameters).ToListAsync(cancellationToken);
        }

        await audit.WriteManyAsync([.. rows.Select(r => new AuditRecord(Actor.System("schedule"), r.WorkspaceId,
            r.Status == "queued" ? "operation.started" : "operation.missed",
            r.Status == "queued" ? $"Scheduled backup for {r.ScheduledFor:yyyy-MM-dd HH:mm} UTC (run #{r.Id})." : $"Scheduled backup slot {r.ScheduledFor:yyyy-MM-dd HH:mm} UTC was missed (run #{r.Id}).",
            r.TenantId, r.Id))], cancellationToken);
        created.Stop();

        var enqueue = System.Diagnostics.Stopwatch.StartNew();
        var queued = rows.Where(r => r.Status == "queued").Select(r => r.Id).ToList();
        await dispatcher.DispatchManyAsync(queued, cancellationToken);

        enqueue.Stop();
        return new ScheduledRunsResult(queued, [.. rows.Where(r => r.Status != "queued").Select(r => r.Id)], created.Elapsed, enqueue.Elapsed);
    }

    private sealed record CreatedSlot(long Id, string Status, Guid WorkspaceId, Guid? TenantId, DateTimeOffset ScheduledFor);

    private (string Key, string Source, string? Error) Identity(OperationTypeDefinition definition, StartRequest request)
    {
        switch (definition.IdentityRule)
        {
            case IdentityRule.Dedupe when definition.DedupeScope == DedupeScope.RestoreRequest:
                return request.RestoreRequestId is { } restore
                    ? ($"{definition.Key}|restore_request:{restore}", Source(("type", definition.Key), ("restore_request_id", restore.ToString())), null)
                    : ("", "", "A restore needs its restore request id.");
            case IdentityRule.Dedupe:
                return ($"{definition.Key}|tenant:{request.TenantId}", Source(("type", definition.Key), ("tenant_id", request.TenantId.ToString())), null);
            case IdentityRule.StrictSchedule:
                if (request.ScheduleId is not { } schedule || request.ScheduledFor is not { } at)
                {
                    return ("", "", "A scheduled run needs its schedule id and intended fire time.");
                }

                var utc = at.ToUniversalTime();
                return ($"{definition.Key}|schedule:{schedule}|{utc:O}", Source(("schedule_id", schedule.ToString()), ("scheduled_for", utc.ToString("O"))), null);
            default:
                var click = Guid.CreateVersion7(clock.GetUtcNow());
                return ($"{definition.Key}|click:{click}", Source(("type", definition.Key), ("click", click.ToString())), null);
        }
    }

    private static string Source(params (string Key, string Value)[] parts) =>
        new JsonObject(parts.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))).ToJsonString();

    public async Task<RunActionResult> CancelAsync(Actor actor, long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var decision = await DecideAsync(actor, run, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return new RunActionResult(decision, false);
        }

        var now = clock.GetUtcNow();
        var cancelledQueued = await db.Runs.Where(r => r.Id == runId && r.Status == "queued")
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, "completed")
                .SetProperty(r => r.Outcome, "cancelled")
                .SetProperty(r => r.CompletedAt, now)
                .SetProperty(r => r.CancellationRequestedAt, now)
                .SetProperty(r => r.CompletionReason, "cancelled"), cancellationToken);
        var requested = cancelledQueued == 0 && await db.Runs
            .Where(r => r.Id == runId && r.Status == "running" && r.CancellationRequestedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancellationRequestedAt, now), cancellationToken) == 1;
        if (cancelledQueued == 0 && !requested)
        {
            return new RunActionResult(AccessDecision.Allowed, false, "The run has already finished or is already stopping.");
        }

        await audit.WriteAsync(new AuditRecord(actor, run!.WorkspaceId, "operation.cancel_requested",
            cancelledQueued == 1 ? $"Cancelled queued run #{runId}." : $"Asked running run #{runId} to stop.", run.TenantId, runId), cancellationToken);
        return new RunActionResult(AccessDecision.Allowed, true,
            cancelledQueued == 1 ? "Cancelled." : "Cancellation requested: the run stops at its next heartbeat.");
    }

    public async Task<StartResult> RetryAsync(Actor actor, long runId, CancellationToken cancellationToken = default)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run is null || run.TenantId is null)
        {
            return StartResult.Denied(AccessDecision.NotFound);
        }

        if (actor is UserActor user)
        {
            var decision = await DecideForUserAsync(user.UserId, run.WorkspaceId, run.Type, cancellationToken);
            if (decision != AccessDecision.Allowed)
            {
                return StartResult.Denied(decision);
            }
        }

        var retryType = registry.Find(run.Type)?.RetryType;
        if (retryType is null)
        {
            return StartResult.Refused(StartRefusal.InvalidInput, "This kind of run is not retried: start it again instead.");
        }

        if (run.Outcome is not (OperationRunOutcome.Failed or OperationRunOutcome.PartiallySucceeded))
        {
            return StartResult.Refused(StartRefusal.InvalidInput, "Only failed or partially succeeded runs can be retried.");
        }

        return await StartAsync(actor, new StartRequest(retryType, run.TenantId.Value)
        {
            Inputs = run.Inputs.DeepClone() as JsonObject,
            RetryOfRunId = run.Id,
            ScheduleId = null,
        }, cancellationToken);
    }

    public async Task<(AccessDecision Decision, OperationRunView? Run)> GetForUserAsync(Guid userId, long runId, CancellationToken cancellationToken = default)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var decision = await DecideForUserAsync(userId, run.WorkspaceId, run.Type, cancellationToken);
        return decision == AccessDecision.Allowed ? (decision, run) : (decision, null);
    }

    public async Task<OperationRunView?> FindAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken))?.ToView();
    }

    public async Task<OperationRunView?> FindLatestAsync(string type, Guid tenantId, bool completedOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking().Where(r => r.TenantId == tenantId && r.Type == type);
        if (completedOnly)
        {
            query = query.Where(r => r.Status == "completed");
        }

        return (await query.OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken))?.ToView();
    }

    public async Task<OperationRunView?> FindLatestSuccessfulAsync(string type, Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.Runs.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.Type == type && r.Status == "completed" && (r.Outcome == "succeeded" || r.Outcome == "partially_succeeded"))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken))?.ToView();
    }

    private async Task<AccessDecision> DecideAsync(Actor actor, OperationRun? run, CancellationToken cancellationToken) =>
        run is null ? AccessDecision.NotFound
        : actor is UserActor user ? await DecideForUserAsync(user.UserId, run.WorkspaceId, run.Type, cancellationToken)
        : AccessDecision.Allowed;

    /// <summary>Viewing or acting on a run needs the capability that starts its type (rule 4); non-members get NotFound.</summary>
    private async Task<AccessDecision> DecideForUserAsync(Guid userId, Guid workspaceId, string type, CancellationToken cancellationToken)
    {
        var role = await access.GetRoleAsync(userId, workspaceId, cancellationToken);
        if (role is null)
        {
            return AccessDecision.NotFound;
        }

        // A type we no longer know (history) is visible to owners only.
        var capability = registry.Find(type)?.Capability ?? Capability.WorkspaceMembersManage;
        return role.Value.Grants(capability) ? AccessDecision.Allowed : AccessDecision.Forbidden;
    }

    internal static string Serialize(object value) => JsonSerializer.Serialize(value, RunMapping.Json);
}
