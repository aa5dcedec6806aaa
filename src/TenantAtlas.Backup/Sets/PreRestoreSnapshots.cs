using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Jobs;

namespace TenantAtlas.Backup.Sets;

/// <summary>The <see cref="IPreRestoreSnapshots"/> contract: a snapshot is stored exactly like a backup's items.</summary>
internal sealed class PreRestoreSnapshots(IDbContextFactory<BackupDbContext> dbFactory, IBackupSets sets, TimeProvider clock) : IPreRestoreSnapshots
{
    public async Task<Guid> StoreAsync(PreRestoreSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Sets.AsNoTracking().Where(s => s.OperationRunId == snapshot.OperationRunId).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var set = new BackupSet
        {
            Id = Guid.CreateVersion7(now),
            WorkspaceId = snapshot.WorkspaceId,
            TenantId = snapshot.TenantId,
            OperationRunId = snapshot.OperationRunId,
            RunType = snapshot.RunType,
            PreRestoreOfRequestId = snapshot.RestoreRequestId,
            CreatedAt = now,
        };
        set.Items.AddRange(snapshot.Objects
            .DistinctBy(o => (o.ResourceKey, o.Id))
            .Select(o => RunBackupJob.ToItem(set.Id, o.ResourceKey, o)));
        set.Families = [.. set.Items.Select(i => i.Family).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        set.ItemCount = set.Items.Count;
        set.SizeBytes = set.Items.Sum(i => i.SizeBytes);
        db.Sets.Add(set);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another delivery of the same run stored it first: one snapshot per run.
            if (await FindForRunAsync(snapshot.OperationRunId, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }

        return set.Id;
    }

    public async Task<IReadOnlyList<BackupSetInfo>> ListForRequestAsync(Guid restoreRequestId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Sets.AsNoTracking().Where(s => s.PreRestoreOfRequestId == restoreRequestId)
            .OrderBy(s => s.CreatedAt).Select(s => s.Id).ToListAsync(cancellationToken);
        var result = new List<BackupSetInfo>(ids.Count);
        foreach (var id in ids)
        {
            if (await sets.FindAsync(id, cancellationToken) is { } info)
            {
                result.Add(info);
            }
        }

        return result;
    }

    private async Task<Guid?> FindForRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sets.AsNoTracking().Where(s => s.OperationRunId == runId).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
