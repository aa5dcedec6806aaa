using System.Text.Json.Nodes;

namespace TenantAtlas.Operations.Contracts;

/// <summary>
/// Runs that ended without this product's workers — the demo history, history imported from elsewhere — recorded as they
/// were, finished, through the same store and identity rules as every other run. Nothing is audited or dispatched.
/// </summary>
public interface IOperationHistory
{
    /// <summary>Records <paramref name="runs"/>; one whose identity is taken (a schedule slot already run) is skipped. Returns the runs added.</summary>
    Task<int> RecordAsync(IReadOnlyList<FinishedRun> runs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records history from the old system's run tables: every run carries its <see cref="FinishedRun.Legacy"/> reference,
    /// and a reference that already has its run — from an earlier, interrupted or concurrent backfill — is skipped, so each
    /// legacy row becomes exactly one run, across processes. A run of a schedule slot already held (several legacy rows for
    /// one fire time) is recorded without its slot, and its context says so. One statement per call: pass batches.
    /// Returns the runs added.
    /// </summary>
    Task<int> RecordLegacyAsync(IReadOnlyList<FinishedRun> runs, CancellationToken cancellationToken = default);

    /// <summary>The runs recorded for the legacy rows <paramref name="ids"/> of <paramref name="table"/>: legacy id → run id.</summary>
    Task<IReadOnlyDictionary<long, long>> FindLegacyRunsAsync(string table, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Whether runs of <paramref name="tenantId"/> were recorded with the initiator reason <paramref name="reason"/> before.</summary>
    Task<bool> HasRecordedAsync(Guid tenantId, string reason, CancellationToken cancellationToken = default);
}

/// <summary>A run that ended: who started it (a user, or the system when <see cref="InitiatorUserId"/> is null) and why, and how it went.</summary>
public sealed record FinishedRun(Guid WorkspaceId, Guid TenantId, string Type, OperationRunOutcome Outcome, DateTimeOffset CreatedAt, DateTimeOffset CompletedAt, string Reason)
{
    public DateTimeOffset? StartedAt { get; init; }

    public Guid? InitiatorUserId { get; init; }

    public string InitiatorLabel { get; init; } = "system";

    public JsonObject? Inputs { get; init; }

    public IReadOnlyDictionary<string, long> Summary { get; init; } = new Dictionary<string, long>();

    public IReadOnlyList<OperationFailure> Failures { get; init; } = [];

    public string? CompletionReason { get; init; }

    public Guid? ScheduleId { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public Guid? RestoreRequestId { get; init; }

    /// <summary>The row of the old system this run stands for (<see cref="IOperationHistory.RecordLegacyAsync"/>).</summary>
    public LegacyReference? Legacy { get; init; }
}

/// <summary>A row of one of the old system's run tables: the table's name and the row's id there.</summary>
public sealed record LegacyReference(string Table, long Id);
