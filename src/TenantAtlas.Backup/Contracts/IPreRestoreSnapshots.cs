using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Backup.Contracts;

/// <summary>
/// Where a restore keeps the target's objects as they were before it writes (Restore, part 2): a backup set of the target
/// tenant marked <i>pre-restore of request N</i>, listed with the tenant's other sets, never pruned by a schedule's
/// retention, the source of the request's rollback.
/// </summary>
public interface IPreRestoreSnapshots
{
    /// <summary>
    /// Stores the objects as one set of the run; idempotent per run (a redelivered run gets the set it already stored, the
    /// objects given the second time are ignored). Returns the set's id.
    /// </summary>
    Task<Guid> StoreAsync(PreRestoreSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The snapshot sets of a request, oldest first.</summary>
    Task<IReadOnlyList<BackupSetInfo>> ListForRequestAsync(Guid restoreRequestId, CancellationToken cancellationToken = default);
}

/// <param name="Objects">Every target object the restore will touch, read in full with assignments, keyed by family.</param>
public sealed record PreRestoreSnapshot(Guid WorkspaceId, Guid TenantId, long OperationRunId, string RunType, Guid RestoreRequestId, IReadOnlyList<GraphPolicyDetail> Objects);
