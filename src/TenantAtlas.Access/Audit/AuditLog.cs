using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;

namespace TenantAtlas.Access.Audit;

internal sealed class AuditLog(IDbContextFactory<AccessDbContext> dbFactory, TimeProvider clock) : IAuditLog
{
    private const int SummaryMax = 2000;

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (userId, label) = record.Actor switch
        {
            UserActor u => (u.UserId, await db.Users.Where(x => x.Id == u.UserId).Select(x => x.Email).FirstOrDefaultAsync(cancellationToken) ?? u.UserId.ToString()),
            SystemActor s => ((Guid?)null, "system: " + s.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(record), "Unknown actor kind."),
        };
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            ActorUserId = userId,
            ActorLabel = label,
            WorkspaceId = record.WorkspaceId,
            TenantId = record.TenantId,
            Action = record.Action,
            Summary = record.Summary.Length > SummaryMax ? record.Summary[..SummaryMax] : record.Summary,
            OperationRunId = record.OperationRunId,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task WriteManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var userIds = records.Select(r => r.Actor).OfType<UserActor>().Select(u => u.UserId).Distinct().ToList();
        var emails = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        db.AuditEntries.AddRange(records.Select(record => new AuditEntry
        {
            At = now,
            ActorUserId = record.Actor is UserActor actor ? actor.UserId : null,
            ActorLabel = record.Actor switch
            {
                UserActor u => emails.GetValueOrDefault(u.UserId) ?? u.UserId.ToString(),
                SystemActor s => "system: " + s.Reason,
                _ => throw new ArgumentOutOfRangeException(nameof(records), "Unknown actor kind."),
            },
            WorkspaceId = record.WorkspaceId,
            TenantId = record.TenantId,
            Action = record.Action,
            Summary = record.Summary.Length > SummaryMax ? record.Summary[..SummaryMax] : record.Summary,
            OperationRunId = record.OperationRunId,
        }));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntryView>> ListAsync(Guid workspaceId, int take, long? beforeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking().Where(a => a.WorkspaceId == workspaceId);
        if (beforeId is { } before)
        {
            query = query.Where(a => a.Id < before);
        }

        return await query.OrderByDescending(a => a.Id).Take(Math.Clamp(take, 1, 500))
            .Select(a => new AuditEntryView(a.Id, a.At, a.ActorLabel, a.TenantId, a.Action, a.Summary, a.OperationRunId))
            .ToListAsync(cancellationToken);
    }
}
