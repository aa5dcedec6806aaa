namespace TenantAtlas.Operations.Contracts.Ui;

/// <summary>The words of the badge mapping, for places that show text (titles, API clients, tests).</summary>
public static class RunBadges
{
    /// <summary>A completed run shows its outcome ("Failed" — never "Completed" when it failed); an active one its status.</summary>
    public static string Label(OperationRunStatus status, OperationRunOutcome outcome) => status switch
    {
        OperationRunStatus.Queued => "Queued",
        OperationRunStatus.Running => "Running",
        _ => outcome switch
        {
            OperationRunOutcome.Succeeded => "Succeeded",
            OperationRunOutcome.PartiallySucceeded => "Partially succeeded",
            OperationRunOutcome.Failed => "Failed",
            OperationRunOutcome.Cancelled => "Cancelled",
            _ => "Completed",
        },
    };
}
