using Microsoft.EntityFrameworkCore;
using Npgsql;
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

    /// <summary>Many entries in one statement (a scheduler tick audits thousands of runs at once).</summary>
    public async Task WriteManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var userIds = records.Select(r => r.Actor).OfType<UserActor>().Select(u => u.UserId).Distinct().ToList();
        var emails = userIds.Count == 0
            ? []
            : await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        string Label(Actor actor) => actor switch
        {
            UserActor u => emails.GetValueOrDefault(u.UserId) ?? u.UserId.ToString(),
            SystemActor s => "system: " + s.Reason,
            _ => throw new ArgumentOutOfRangeException(nameof(records), "Unknown actor kind."),
        };
        object[] parameters =
        [
            new NpgsqlParameter("at", clock.GetUtcNow()),
            new NpgsqlParameter("users", records.Select(r => r.Actor is UserActor u ? (Guid?)u.UserId : null).ToArray()),
            new NpgsqlParameter("labels", records.Select(r => Label(r.Actor)).ToArray()),
            new NpgsqlParameter("workspaces", records.Select(r => r.WorkspaceId).ToArray()),
            new NpgsqlParameter("tenants", records.Select(r => r.TenantId).ToArray()),
            new NpgsqlParameter("actions", records.Select(r => r.Action).ToArray()),
            new NpgsqlParameter("summaries", records.Select(r => r.Summary.Length > SummaryMax ? r.Summary[..SummaryMax] : r.Summary).ToArray()),
            new NpgsqlParameter("runs", records.Select(r => r.OperationRunId).ToArray()),
        ];
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO access.audit_entries (at, actor_user_id, actor_label, workspace_id, tenant_id, action, summary, operation_run_id)
            SELECT @at, e.actor_user_id, e.actor_label, e.workspace_id, e.tenant_id, e.action, e.summary, e.operation_run_id
              FROM unnest(@users, @labels, @workspaces, @tenants, @actions, @summaries, @runs)
                   AS e(actor_user_id, actor_label, workspace_id, tenant_id, action, summary, operation_run_id)
            """, parameters, cancellationToken);
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
