using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Requests;

/// <summary>
/// Keeps a backup set from retention while a restore request that is not finished uses it as its source: a request is
/// finished once it is cancelled, or its execute run completed (Restore, part 2). Requests that were planned but never
/// executed keep their set: the admin may still execute them after planning again.
/// </summary>
internal sealed class RestoreBackupSetUsage(IDbContextFactory<RestoreDbContext> dbFactory, IOperationRuns runs) : IBackupSetUsage
{
    public async Task<IReadOnlySet<Guid>> InUseAsync(IReadOnlyCollection<Guid> backupSetIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backupSetIds);
        var ids = backupSetIds.ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Requests.AsNoTracking().Where(r => ids.Contains(r.SourceBackupSetId) && r.CancelledAt == null)
            .Select(r => new { r.SourceBackupSetId, r.ExecuteRunId }).ToListAsync(cancellationToken);
        var inUse = new HashSet<Guid>();
        foreach (var user in users)
        {
            if (user.ExecuteRunId is { } executeRunId
                && await runs.FindAsync(executeRunId, cancellationToken) is { Status: OperationRunStatus.Completed })
            {
                continue;
            }

            inUse.Add(user.SourceBackupSetId);
        }

        return inUse;
    }
}
