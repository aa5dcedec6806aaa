using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using TenantAtlas.Directory.Data;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Directory.Sync;

/// <summary>What one batch did to the cache.</summary>
internal readonly record struct UpsertCounts(long Created, long Updated, long Unchanged)
{
    public static UpsertCounts operator +(UpsertCounts a, UpsertCounts b) => new(a.Created + b.Created, a.Updated + b.Updated, a.Unchanged + b.Unchanged);
}

/// <summary>
/// Set-based writes of the directory cache: one statement per batch (a page of groups, all role definitions), never a round
/// trip per row. Counts are read from the rows as they were before the statement (a sibling CTE sees the statement's snapshot),
/// so created / updated / unchanged are exact.
/// </summary>
internal sealed class DirectoryStore(IDbContextFactory<DirectoryDbContext> dbFactory)
{
    private const string GroupsUpsert = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @names, @descriptions, @mails, @security, @mail_enabled, @types, @hashes)
                AS t(graph_id, display_name, description, mail, security_enabled, mail_enabled, group_types, content_hash)
        ),
        before AS (
            SELECT i.graph_id, g.content_hash AS old_hash, g.deleted_at AS old_deleted_at
            FROM input i LEFT JOIN directory.groups g ON g.tenant_id = @tenant AND g.graph_id = i.graph_id
        ),
        upserted AS (
            INSERT INTO directory.groups AS g (tenant_id, graph_id, display_name, description, mail, security_enabled, mail_enabled,
                group_types, content_hash, first_seen_at, last_seen_at, updated_at, deleted_at, last_seen_run_id)
            SELECT @tenant, graph_id, display_name, description, mail, security_enabled, mail_enabled,
                string_to_array(group_types, ','), content_hash, @now, @now, @now, NULL, @run
            FROM input
            ON CONFLICT (tenant_id, graph_id) DO UPDATE SET
                display_name = excluded.display_name,
                description = excluded.description,
                mail = excluded.mail,
                security_enabled = excluded.security_enabled,
                mail_enabled = excluded.mail_enabled,
                group_types = excluded.group_types,
                updated_at = CASE WHEN g.content_hash <> excluded.content_hash OR g.deleted_at IS NOT NULL THEN excluded.updated_at ELSE g.updated_at END,
                content_hash = excluded.content_hash,
                last_seen_at = excluded.last_seen_at,
                deleted_at = NULL,
                last_seen_run_id = excluded.last_seen_run_id
            RETURNING 1
        )
        SELECT count(*) FILTER (WHERE b.old_hash IS NULL),
               count(*) FILTER (WHERE b.old_hash IS NOT NULL AND (b.old_hash <> i.content_hash OR b.old_deleted_at IS NOT NULL)),
               count(*) FILTER (WHERE b.old_hash IS NOT NULL AND b.old_hash = i.content_hash AND b.old_deleted_at IS NULL)
        FROM before b JOIN input i USING (graph_id)
        """;

    private const string RoleDefinitionsUpsert = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @names, @descriptions, @built_in, @hashes)
                AS t(graph_id, display_name, description, is_built_in, content_hash)
        ),
        before AS (
            SELECT i.graph_id, r.content_hash AS old_hash, r.is_deleted AS old_deleted
            FROM input i LEFT JOIN directory.role_definitions r ON r.tenant_id = @tenant AND r.graph_id = i.graph_id
        ),
        upserted AS (
            INSERT INTO directory.role_definitions AS r (tenant_id, graph_id, display_name, description, is_built_in, is_deleted, deleted_at,
                content_hash, first_seen_at, last_seen_at, updated_at, last_seen_run_id)
            SELECT @tenant, graph_id, display_name, description, is_built_in, false, NULL, content_hash, @now, @now, @now, @run
            FROM input
            ON CONFLICT (tenant_id, graph_id) DO UPDATE SET
                display_name = excluded.display_name,
                description = excluded.description,
                is_built_in = excluded.is_built_in,
                updated_at = CASE WHEN r.content_hash <> excluded.content_hash OR r.is_deleted THEN excluded.updated_at ELSE r.updated_at END,
                content_hash = excluded.content_hash,
                is_deleted = false,
                deleted_at = NULL,
                last_seen_at = excluded.last_seen_at,
                last_seen_run_id = excluded.last_seen_run_id
            RETURNING 1
        )
        SELECT count(*) FILTER (WHERE b.old_hash IS NULL),
               count(*) FILTER (WHERE b.old_hash IS NOT NULL AND (b.old_hash <> i.content_hash OR b.old_deleted)),
               count(*) FILTER (WHERE b.old_hash IS NOT NULL AND b.old_hash = i.content_hash AND NOT b.old_deleted)
        FROM before b JOIN input i USING (graph_id)
        """;

    public async Task<string?> GetGroupsDeltaLinkAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SyncStates.AsNoTracking().Where(s => s.TenantId == tenantId).Select(s => s.GroupsDeltaLink).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Forgets an expired delta link at once, so a run that fails during the full read does not try it again.</summary>
    public async Task ClearGroupsDeltaLinkAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.SyncStates.Where(s => s.TenantId == tenantId).ExecuteUpdateAsync(u => u.SetProperty(s => s.GroupsDeltaLink, (string?)null), cancellationToken);
    }

    /// <summary>Upserts one page of groups (distinct ids). A group that was marked deleted and comes back is restored (= updated).</summary>
    public async Task<UpsertCounts> UpsertGroupsAsync(Guid tenantId, long runId, DateTimeOffset now, IReadOnlyList<GraphGroup> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return default;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(GroupsUpsert, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(Array("ids", NpgsqlDbType.Text, groups.Select(g => g.Id)));
        command.Parameters.Add(Array("names", NpgsqlDbType.Text, groups.Select(g => g.DisplayName ?? "")));
        command.Parameters.Add(Array("descriptions", NpgsqlDbType.Text, groups.Select(g => g.Description)));
        command.Parameters.Add(Array("mails", NpgsqlDbType.Text, groups.Select(g => g.Mail)));
        command.Parameters.Add(Array("security", NpgsqlDbType.Boolean, groups.Select(g => g.SecurityEnabled ?? false)));
        command.Parameters.Add(Array("mail_enabled", NpgsqlDbType.Boolean, groups.Select(g => g.MailEnabled ?? false)));
        command.Parameters.Add(Array("types", NpgsqlDbType.Text, groups.Select(g => string.Join(',', g.GroupTypes))));
        command.Parameters.Add(Array("hashes", NpgsqlDbType.Text, groups.Select(Hash)));
        AddCommon(command, tenantId, runId, now);
        return await ReadCountsAsync(command, cancellationToken);
    }

    /// <summary>Marks the given groups deleted (delta removals); returns how many were live in the cache.</summary>
    public async Task<long> MarkGroupsDeletedAsync(Guid tenantId, DateTimeOffset now, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Groups.Where(g => g.TenantId == tenantId && g.DeletedAt == null && ids.Contains(g.GraphId))
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.DeletedAt, now).SetProperty(g => g.UpdatedAt, now), cancellationToken);
    }

    /// <summary>
    /// Ends a groups sync in one transaction: after a full read, every live group this run did not receive is marked deleted;
    /// then the new delta link and the "as of" time are stored. Returns the groups marked deleted.
    /// </summary>
    public async Task<long> CompleteGroupsSyncAsync(Guid tenantId, long runId, bool fullRead, string deltaLink, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        long deleted = 0;
        if (fullRead)
        {
            deleted = await db.Groups.Where(g => g.TenantId == tenantId && g.DeletedAt == null && g.LastSeenRunId != runId)
                .ExecuteUpdateAsync(u => u.SetProperty(g => g.DeletedAt, now).SetProperty(g => g.UpdatedAt, now), cancellationToken);
        }

        var state = await StateAsync(db, tenantId, cancellationToken);
        state.GroupsDeltaLink = deltaLink;
        state.GroupsSyncedAt = now;
        state.GroupsRunId = runId;
        if (fullRead)
        {
            state.GroupsFullSyncAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Upserts every role definition of the tenant, marks the ones not received deleted, stores "as of"; one transaction.</summary>
    public async Task<(UpsertCounts Counts, long Deleted)> ReplaceRoleDefinitionsAsync(
        Guid tenantId, long runId, DateTimeOffset now, IReadOnlyList<GraphRoleDefinition> definitions, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var counts = default(UpsertCounts);
        if (definitions.Count > 0)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var command = new NpgsqlCommand(RoleDefinitionsUpsert, connection, (NpgsqlTransaction)transaction.GetDbTransaction());
            command.Parameters.Add(Array("ids", NpgsqlDbType.Text, definitions.Select(d => d.Id)));
            command.Parameters.Add(Array("names", NpgsqlDbType.Text, definitions.Select(d => d.DisplayName)));
            command.Parameters.Add(Array("descriptions", NpgsqlDbType.Text, definitions.Select(d => d.Description)));
            command.Parameters.Add(Array("built_in", NpgsqlDbType.Boolean, definitions.Select(d => d.IsBuiltIn)));
            command.Parameters.Add(Array("hashes", NpgsqlDbType.Text, definitions.Select(Hash)));
            AddCommon(command, tenantId, runId, now);
            counts = await ReadCountsAsync(command, cancellationToken);
        }

        var deleted = await db.RoleDefinitions.Where(r => r.TenantId == tenantId && !r.IsDeleted && r.LastSeenRunId != runId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.IsDeleted, true).SetProperty(r => r.DeletedAt, now).SetProperty(r => r.UpdatedAt, now), cancellationToken);
        var state = await StateAsync(db, tenantId, cancellationToken);
        state.RoleDefinitionsSyncedAt = now;
        state.RoleDefinitionsRunId = runId;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (counts, deleted);
    }

    internal static string Hash(GraphGroup g) => Sha256(string.Join('\u001f',
        g.DisplayName ?? "", g.Description ?? "", g.Mail ?? "", g.SecurityEnabled == true ? "1" : "0", g.MailEnabled == true ? "1" : "0",
        string.Join(',', g.GroupTypes.Order(StringComparer.Ordinal))));

    internal static string Hash(GraphRoleDefinition d) => Sha256(string.Join('\u001f', d.DisplayName, d.Description ?? "", d.IsBuiltIn ? "1" : "0"));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The tenant's sync state row, created if missing. A tenant's first groups sync and first role definitions sync may
    /// finish at the same moment (both started with the tenant): a read-then-insert let both insert, and the loser failed
    /// its whole run on the primary key. The insert is idempotent instead; each sync then updates only its own columns.
    /// </summary>
    private static async Task<DirectorySyncState> StateAsync(DirectoryDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO directory.sync_states (tenant_id) VALUES ({tenantId}) ON CONFLICT (tenant_id) DO NOTHING", cancellationToken);
        return await db.SyncStates.FirstAsync(s => s.TenantId == tenantId, cancellationToken);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    private static void AddCommon(NpgsqlCommand command, Guid tenantId, long runId, DateTimeOffset now)
    {
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Uuid) { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Bigint) { Value = runId });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
    }

    private static async Task<UpsertCounts> ReadCountsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new UpsertCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
