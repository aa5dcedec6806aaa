using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;

namespace TenantAtlas.Operations.Runs;

/// <summary>Backfills finished runs (<see cref="IOperationHistory"/>) through <see cref="RunStore.BackfillAsync"/>.</summary>
internal sealed class RunHistory(RunStore store, OperationTypeRegistry registry, IDbContextFactory<OperationsDbContext> dbFactory) : IOperationHistory
{
    public Task<int> RecordAsync(IReadOnlyList<FinishedRun> runs, CancellationToken cancellationToken = default) =>
        store.BackfillAsync([.. runs.Select(ToRow)], cancellationToken);

    public Task<int> RecordLegacyAsync(IReadOnlyList<FinishedRun> runs, CancellationToken cancellationToken = default)
    {
        if (runs.Any(r => r.Legacy is null))
        {
            throw new ArgumentException("Every run of legacy history names its legacy row.", nameof(runs));
        }

        return store.BackfillLegacyAsync([.. runs.Select(ToRow)], WithoutSlot, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, long>> FindLegacyRunsAsync(string table, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking().Where(r => r.LegacyTable == table && ids.Contains(r.LegacyId!.Value))
            .Select(r => new { LegacyId = r.LegacyId!.Value, r.Id }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.LegacyId, r => r.Id);
    }

    /// <summary>
    /// A legacy run whose schedule slot is already held: recorded without the slot (its own legacy identity) and saying so
    /// in its context, with the slot it would have taken.
    /// </summary>
    private static OperationRun WithoutSlot(OperationRun run)
    {
        var identity = RunIdentity.PerLegacyRow(run.Type, run.LegacyTable!, run.LegacyId!.Value);
        var context = JsonNode.Parse(run.Context) as JsonObject ?? [];
        context["slot_not_taken"] = new JsonObject
        {
            ["schedule_id"] = run.ScheduleId?.ToString(),
            ["scheduled_for"] = run.ScheduledFor?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["reason"] = "Another run already holds this schedule slot (the old system ran it more than once): recorded without the slot key.",
        };
        run.IdentityRule = identity.Rule;
        run.IdentityKey = identity.Key;
        run.IdentitySource = identity.Source;
        run.ScheduleId = null;
        run.ScheduledFor = null;
        run.Context = context.ToJsonString();
        return run;
    }

    public async Task<bool> HasRecordedAsync(Guid tenantId, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.TenantId == tenantId && r.InitiatorReason == reason, cancellationToken);
    }

    private OperationRun ToRow(FinishedRun run)
    {
        var definition = registry.Find(run.Type) ?? throw new ArgumentException($"Unknown operation type '{run.Type}'.", nameof(run));
        if (run.Outcome == OperationRunOutcome.Pending)
        {
            throw new ArgumentException("A finished run has an outcome.", nameof(run));
        }

        var (identity, error) = RunIdentity.Of(definition, run.TenantId, run.RestoreRequestId, run.ScheduleId, run.ScheduledFor, run.CreatedAt);
        if (error is not null && run.Legacy is { } legacy)
        {
            // History the old system kept without what this type's identity needs (a restore without its request).
            (identity, error) = (RunIdentity.PerLegacyRow(definition.Key, legacy.Table, legacy.Id), null);
        }

        if (error is not null)
        {
            throw new ArgumentException(error, nameof(run));
        }

        return new OperationRun
        {
            WorkspaceId = run.WorkspaceId,
            TenantId = run.TenantId,
            Type = run.Type,
            Status = OperationRunStatus.Completed,
            Outcome = run.Outcome,
            IdentityRule = identity.Rule,
            IdentityKey = identity.Key,
            IdentitySource = identity.Source,
            Context = (run.Inputs ?? []).ToJsonString(),
            Summary = JsonSerializer.Serialize(run.Summary, RunMapping.Json),
            Failures = JsonSerializer.Serialize(
                run.Failures.Select(f => new RunMapping.FailureEntry(FailureSanitizer.Code(f.Code), FailureSanitizer.Message(f.Message), FailureSanitizer.Item(f.Item), f.At)), RunMapping.Json),
            InitiatorKind = run.InitiatorUserId is null ? "system" : "user",
            InitiatorUserId = run.InitiatorUserId,
            InitiatorLabel = run.InitiatorUserId is null ? "system" : run.InitiatorLabel,
            InitiatorReason = run.Reason,
            ScheduleId = run.ScheduleId,
            ScheduledFor = run.ScheduledFor?.ToUniversalTime(),
            RestoreRequestId = run.RestoreRequestId,
            DispatchClaimedAt = run.CreatedAt,
            HeartbeatAt = run.StartedAt is null ? null : run.CompletedAt,
            CreatedAt = run.CreatedAt,
            StartedAt = run.StartedAt,
            CompletedAt = run.CompletedAt,
            CompletionReason = run.CompletionReason,
            LegacyTable = run.Legacy?.Table,
            LegacyId = run.Legacy?.Id,
        };
    }
}
