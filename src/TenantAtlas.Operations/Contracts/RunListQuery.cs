using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Operations.Contracts;

/// <summary>Filters of the monitoring list and the runs API. All optional; null means "any".</summary>
public sealed record RunFilter
{
    public Guid? WorkspaceId { get; init; }

    public Guid? TenantId { get; init; }

    public string? Type { get; init; }

    public OperationRunStatus? Status { get; init; }

    public OperationRunOutcome? Outcome { get; init; }

    /// <summary><c>system</c>, or a user's email as shown in the initiator column.</summary>
    public string? Initiator { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Only runs of TenantAtlas itself, or only history backfilled from the old system's run tables; null for both.</summary>
    public RunOrigin? Origin { get; init; }
}

/// <summary>Where a run comes from: TenantAtlas itself, or a legacy row the backfill recorded (<c>OperationRunView.Legacy</c>).</summary>
public enum RunOrigin
{
    Live,
    Legacy,
}

/// <summary>A page of runs, newest first. <see cref="NextCursor"/> continues below the last item (keyset paging).</summary>
public sealed record RunPage(IReadOnlyList<OperationRunView> Items, long? NextCursor);

public sealed record RunStatusCounts(long Queued, long Running, long Succeeded, long PartiallySucceeded, long Failed, long Cancelled)
{
    public long Total => Queued + Running + Succeeded + PartiallySucceeded + Failed + Cancelled;
}

/// <summary>Reading the runs a user may view (membership + the capability of each type), from the database only.</summary>
public interface IOperationRunQueries
{
    Task<RunPage> ListAsync(Guid userId, RunFilter filter, long? before, int limit, CancellationToken cancellationToken = default);

    Task<RunStatusCounts> CountAsync(Guid userId, RunFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The operation types the user may view in at least one workspace, for filter pickers.</summary>
    Task<IReadOnlyList<OperationTypeDefinition>> VisibleTypesAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>The same, from memberships the caller has just read (no second query).</summary>
    IReadOnlyList<OperationTypeDefinition> VisibleTypes(IReadOnlyList<WorkspaceMembershipInfo> memberships);
}
