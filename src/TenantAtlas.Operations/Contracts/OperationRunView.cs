using System.Text.Json.Nodes;

namespace TenantAtlas.Operations.Contracts;

/// <summary>A run as readers see it (viewer, lists, API, other modules).</summary>
public sealed record OperationRunView
{
    public required long Id { get; init; }

    public required Guid WorkspaceId { get; init; }

    public Guid? TenantId { get; init; }

    public required string Type { get; init; }

    public required OperationRunStatus Status { get; init; }

    public required OperationRunOutcome Outcome { get; init; }

    public required IdentityRule IdentityRule { get; init; }

    public required string IdentityKey { get; init; }

    public required JsonObject Inputs { get; init; }

    public required IReadOnlyDictionary<string, long> Summary { get; init; }

    public required IReadOnlyList<OperationFailure> Failures { get; init; }

    public required OperationInitiator Initiator { get; init; }

    public long? RetryOfRunId { get; init; }

    public Guid? ScheduleId { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public Guid? RestoreRequestId { get; init; }

    public string? HangfireJobId { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    public DateTimeOffset? CancellationRequestedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why a run completed the way it did when the job did not say (worker_lost, cancelled, missed, …).</summary>
    public string? CompletionReason { get; init; }

    /// <summary>For history backfilled from the old system: the legacy row this run stands for.</summary>
    public LegacyReference? Legacy { get; init; }

    public TimeSpan? QueueWait => StartedAt is { } s ? s - CreatedAt : null;

    public TimeSpan? Duration => StartedAt is { } s && CompletedAt is { } c ? c - s : null;

    public long Count(string key) => Summary.TryGetValue(key, out var value) ? value : 0;
}

/// <summary>One failure entry: a code, a sanitized message, optionally the item it is about.</summary>
public sealed record OperationFailure(string Code, string Message, string? Item, DateTimeOffset At);

/// <summary>Who started a run: a user (by id, shown by email) or the system (with a reason such as "schedule").</summary>
public sealed record OperationInitiator(Guid? UserId, string Label, string? SystemReason)
{
    public bool IsSystem => UserId is null;
}
