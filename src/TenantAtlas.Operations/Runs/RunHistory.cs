using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;

namespace TenantAtlas.Operations.Runs;

/// <summary>Backfills finished runs (<see cref="IOperationHistory"/>) through <see cref="RunStore.BackfillAsync"/>.</summary>
internal sealed class RunHistory(RunStore store, OperationTypeRegistry registry, IDbContextFactory<OperationsDbContext> dbFactory) : IOperationHistory
{
    public Task<int> RecordAsync(IReadOnlyList<FinishedRun> runs, CancellationToken cancellationToken = default) =>
        store.BackfillAsync([.. runs.Select(ToRow)], cancellationToken);

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
            Failures = JsonSerializer.Serialize(run.Failures.Select(f => new RunMapping.FailureEntry(f.Code, f.Message, f.Item, f.At)), RunMapping.Json),
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
        };
    }
}
