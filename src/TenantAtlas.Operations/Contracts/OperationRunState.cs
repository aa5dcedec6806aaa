namespace TenantAtlas.Operations.Contracts;

/// <summary>Where a run is in its life: queued → running → completed. Only completed is final.</summary>
public enum OperationRunStatus
{
    Queued,
    Running,
    Completed,
}

/// <summary>How a run ended; pending until it is completed.</summary>
public enum OperationRunOutcome
{
    Pending,
    Succeeded,
    PartiallySucceeded,
    Failed,
    Cancelled,
}

public static class OperationRunStates
{
    public static bool IsFinal(this OperationRunStatus status) => status == OperationRunStatus.Completed;

    public static bool IsActive(this OperationRunStatus status) => status != OperationRunStatus.Completed;

    /// <summary>The stored (and API) spelling: <c>queued</c>, <c>partially_succeeded</c>, …</summary>
    public static string ToWire(this OperationRunStatus status) => status switch
    {
        OperationRunStatus.Queued => "queued",
        OperationRunStatus.Running => "running",
        OperationRunStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string ToWire(this OperationRunOutcome outcome) => outcome switch
    {
        OperationRunOutcome.Pending => "pending",
        OperationRunOutcome.Succeeded => "succeeded",
        OperationRunOutcome.PartiallySucceeded => "partially_succeeded",
        OperationRunOutcome.Failed => "failed",
        OperationRunOutcome.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static OperationRunStatus ParseStatus(string wire) => wire switch
    {
        "queued" => OperationRunStatus.Queued,
        "running" => OperationRunStatus.Running,
        "completed" => OperationRunStatus.Completed,
        _ => throw new ArgumentException($"Unknown run status '{wire}'.", nameof(wire)),
    };

    public static OperationRunOutcome ParseOutcome(string wire) => wire switch
    {
        "pending" => OperationRunOutcome.Pending,
        "succeeded" => OperationRunOutcome.Succeeded,
        "partially_succeeded" => OperationRunOutcome.PartiallySucceeded,
        "failed" => OperationRunOutcome.Failed,
        "cancelled" => OperationRunOutcome.Cancelled,
        _ => throw new ArgumentException($"Unknown run outcome '{wire}'.", nameof(wire)),
    };
}
