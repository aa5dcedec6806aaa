namespace TenantAtlas.Backup.Contracts;

/// <summary>
/// Asked by retention before a backup set is pruned. Another module (Restore) registers one to say a set is still in use;
/// every registered implementation is asked, and any "in use" — or any failure to answer — keeps the set (fail closed).
/// </summary>
public interface IBackupSetUsage
{
    /// <summary>The subset of <paramref name="backupSetIds"/> that must not be deleted.</summary>
    Task<IReadOnlySet<Guid>> InUseAsync(IReadOnlyCollection<Guid> backupSetIds, CancellationToken cancellationToken = default);
}
