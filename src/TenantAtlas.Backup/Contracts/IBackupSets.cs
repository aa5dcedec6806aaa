using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Backup.Contracts;

/// <summary>
/// What other modules (Restore) may read of backup sets: from the database only, without access checks — the caller
/// decides access to the set's tenant first (a restore asks for <c>tenant.restore.execute</c> on the target tenant and
/// checks the set is of the same workspace).
/// </summary>
public interface IBackupSets
{
    Task<BackupSetInfo?> FindAsync(Guid setId, CancellationToken cancellationToken = default);

    /// <summary>The sets of the ids that exist, in one read.</summary>
    Task<IReadOnlyList<BackupSetInfo>> FindManyAsync(IReadOnlyCollection<Guid> setIds, CancellationToken cancellationToken = default);

    /// <summary>The sets of the given tenants, newest first, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<BackupSetInfo>> ListAsync(IReadOnlyCollection<Guid> tenantIds, int take = 200, CancellationToken cancellationToken = default);

    /// <summary>The set's items by family and name, without their content.</summary>
    Task<IReadOnlyList<BackupItemInfo>> ListItemsAsync(Guid setId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The items of the set with these ids (ids of other sets are ignored), content and assignments parsed. An item whose
    /// stored JSON is not an object (hand-edited, corrupt) comes back with <see cref="BackupItemContent.Content"/> null and
    /// <see cref="BackupItemContent.Unreadable"/> saying why, never an exception.
    /// </summary>
    Task<IReadOnlyList<BackupItemContent>> ReadItemsAsync(Guid setId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default);

    /// <summary>When the tenant's newest backup set was taken (null: never).</summary>
    Task<DateTimeOffset?> LatestSetAtAsync(Guid tenantId, CancellationToken cancellationToken = default);
}

public sealed record BackupSetInfo(
    Guid Id,
    Guid WorkspaceId,
    Guid TenantId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Families,
    int ItemCount,
    int FailedCount,
    long OperationRunId,
    string RunType,
    string? ScheduleName)
{
    /// <summary>Set for a restore's pre-restore snapshot: the request it protects.</summary>
    public Guid? PreRestoreOfRequestId { get; init; }
}

public sealed record BackupItemInfo(long Id, string Family, string GraphId, string DisplayName, string? ODataType);

/// <summary>
/// One backed-up object. <see cref="ProtectedValues"/> are its secrets still protected (only the Graph module unprotects
/// them, to write them back); <see cref="Content"/> holds Intune's encrypted blob at those paths.
/// </summary>
public sealed record BackupItemContent(
    long Id,
    string Family,
    string GraphId,
    string DisplayName,
    string? ODataType,
    JsonObject? Content,
    JsonArray Assignments,
    IReadOnlyList<GraphProtectedValue> ProtectedValues,
    string? Unreadable = null);
