using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;
using TenantAtlas.BuildingBlocks.Concurrency;

namespace TenantAtlas.Access.Audit;

internal sealed class AuditLog : IAuditLog
{
    private const int SummaryMax = 2000;

    private readonly IDbContextFactory<AccessDbContext> dbFactory;
    private readonly TimeProvider clock;

    // Group commit: entries written at the same moment (a burst of deduplicated starts, many users saving at once) go to
    // the database together, one statement and one commit, and each writer still waits until its entry is durable.
    private readonly KeyedBatcher<bool, AuditRecord, Exception?> writes;

    public AuditLog(IDbContextFactory<AccessDbContext> dbFactory, TimeProvider clock)
    {
        this.dbFactory = dbFactory;
        this.clock = clock;
        writes = new KeyedBatcher<bool, AuditRecord, Exception?>((_, records) => WriteBatchAsync(records));
    }

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        if (await writes.RunAsync(true, record, cancellationToken) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task<IReadOnlyList<Exception?>> WriteBatchAsync(IReadOnlyList<AuditRecord> records)
    {
        try
        {
            await WriteManyAsync(records, CancellationToken.None);
            return [.. records.Select(_ => (Exception?)null)];
        }
        catch (Exception e) when (records.Count == 1)
        {
            return [e];
        }
        catch (Exception)
        {
            // One bad entry (say, for a workspace deleted meanwhile) must not fail the writers it happened to share a batch with.
            var results = new Exception?[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                try
                {
                    await WriteManyAsync([records[i]], CancellationToken.None);
                }
                catch (Exception e)
                {
                    results[i] = e;
                }
            }

            return results;
        }
    }

    /// <summary>Many entries in one statement (a scheduler tick audits thousands of runs at once).</summary>
    public async Task WriteManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        object[] parameters =
        [
            new NpgsqlParameter("at", clock.GetUtcNow()),
            new NpgsqlParameter("users", records.Select(r => r.Actor is UserActor u ? (Guid?)u.UserId : null).ToArray()),
            new NpgsqlParameter("labels", records.Select(r => r.Actor switch
            {
                UserActor => null, // the user's email, read in the same statement
                SystemActor s => "system: " + s.Reason,
                _ => throw new ArgumentOutOfRangeException(nameof(records), "Unknown actor kind."),
            }).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar },
            new NpgsqlParameter("workspaces", records.Select(r => r.WorkspaceId).ToArray()),
            new NpgsqlParameter("tenants", records.Select(r => r.TenantId).ToArray()),
            new NpgsqlParameter("actions", records.Select(r => r.Action).ToArray()),
            new NpgsqlParameter("summaries", records.Select(r => r.Summary.Length > SummaryMax ? r.Summary[..SummaryMax] : r.Summary).ToArray()),
            new NpgsqlParameter("runs", records.Select(r => r.OperationRunId).ToArray()),
        ];
        // One statement, one commit: the users' emails are joined in, not read first.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO access.audit_entries (at, actor_user_id, actor_label, workspace_id, tenant_id, action, summary, operation_run_id)
            SELECT @at, e.actor_user_id, COALESCE(e.actor_label, u.email, e.actor_user_id::text), e.workspace_id, e.tenant_id, e.action, e.summary, e.operation_run_id
              FROM unnest(@users, @labels, @workspaces, @tenants, @actions, @summaries, @runs) WITH ORDINALITY
                   AS e(actor_user_id, actor_label, workspace_id, tenant_id, action, summary, operation_run_id, n)
              LEFT JOIN access.users u ON u.id = e.actor_user_id
             ORDER BY e.n
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
