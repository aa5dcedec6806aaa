using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.Sets;

/// <summary>
/// A schedule's retention: a set is pruned only when it breaks every limit that is set (older than the newest N, and
/// older than D days). Before deleting, every <see cref="IBackupSetUsage"/> is asked; "in use" or no answer keeps the set.
/// </summary>
internal sealed class Retention(
    IDbContextFactory<BackupDbContext> dbFactory,
    IEnumerable<IBackupSetUsage> usages,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<Retention> logger)
{
    /// <summary>The sets (newest first) that break every limit that is set.</summary>
    public static IReadOnlyList<Guid> Candidates(IReadOnlyList<(Guid Id, DateTimeOffset CreatedAt)> newestFirst, int? keepLast, int? keepDays, DateTimeOffset now)
    {
        if (keepLast is null && keepDays is null)
        {
            return [];
        }

        return [.. newestFirst
            .Select((s, index) => (s.Id, s.CreatedAt, index))
            .Where(s => (keepLast is not { } n || s.index >= n) && (keepDays is not { } d || s.CreatedAt < now.AddDays(-d)))
            .Select(s => s.Id)];
    }

    public async Task<long> ApplyAsync(BackupSchedule schedule, IOperationRunContext run, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sets = await db.Sets.AsNoTracking().Where(s => s.ScheduleId == schedule.Id)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Id, s.CreatedAt })
            .ToListAsync(cancellationToken);
        var candidates = Candidates([.. sets.Select(s => (s.Id, s.CreatedAt))], schedule.KeepLast, schedule.KeepDays, clock.GetUtcNow());
        if (candidates.Count == 0)
        {
            return 0;
        }

        var keep = new HashSet<Guid>();
        foreach (var usage in usages)
        {
            try
            {
                keep.UnionWith(await usage.InUseAsync(candidates, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Fail closed: without an answer nothing is deleted this time.
                logger.LogWarning(e, "Backup set usage check {Usage} failed; retention keeps every set.", usage.GetType().Name);
                await run.AddFailureAsync("retention_usage_unknown", "Retention skipped: could not check whether backup sets are still in use.", cancellationToken: cancellationToken);
                return 0;
            }
        }

        var prune = candidates.Where(id => !keep.Contains(id)).ToArray();
        if (prune.Length == 0)
        {
            return 0;
        }

        var deleted = await db.Sets.Where(s => prune.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.System("retention"), schedule.WorkspaceId, BackupAuditActions.SetsPruned,
            $"Retention of \"{schedule.Name}\" pruned {deleted} backup set(s).", schedule.TenantId, run.RunId), cancellationToken);
        return deleted;
    }
}
