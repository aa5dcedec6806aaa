using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Restore.Contracts;

/// <summary>
/// Executing a reviewed plan and taking a restore back. Access as for <see cref="IRestoreRequests"/>:
/// <c>tenant.restore.execute</c> on the request's target tenant; an unknown request or one of another workspace is
/// <see cref="TenantAtlas.Access.Contracts.AccessDecision.NotFound"/>.
/// </summary>
public interface IRestoreExecutions
{
    /// <summary>
    /// Starts <c>restore.execute</c> for the plan the admin reviewed (<paramref name="planId"/>). Refused, with a message
    /// for people and nothing written, when the plan is not the request's newest, is stale, has unresolved blockers,
    /// the request is cancelled, or another execute of the request is queued or running.
    /// </summary>
    Task<RestoreResult<StartResult>> ExecuteAsync(Guid userId, Guid requestId, Guid planId, CancellationToken cancellationToken = default);
}

/// <summary>Taking back what an execute wrote.</summary>
public interface IRestoreRollbacks
{
    /// <summary>
    /// Creates the rollback of a request whose execute completed (fully or partly): a new request whose source is that
    /// execute's pre-restore snapshot and whose selection is exactly the items it updated, plus the objects it created
    /// (deleted by the rollback), then starts its plan. Returns the new request, shown for review like any other.
    /// A second call returns the rollback that exists. Refused when nothing was written or no snapshot exists.
    /// </summary>
    Task<RestoreResult<RestoreRequestView>> RollbackAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default);
}

/// <summary>The execute run's counts besides the common ones (total, processed, created, updated, deleted, skipped, failed, throttle figures).</summary>
public static class RestoreExecuteSummaryKeys
{
    public const string Conflicts = "conflicts";
    public const string Blocked = "blocked";
}
