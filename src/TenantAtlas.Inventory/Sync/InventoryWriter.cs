using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace TenantAtlas.Inventory.Sync;

/// <summary>What one batch did to the stored items.</summary>
internal readonly record struct UpsertCounts(long Created, long Updated, long Unchanged)
{
    public long Total => Created + Updated + Unchanged;
}

/// <summary>
/// Set-based writes of the inventory sync on one open connection: a batch of listed policies is one statement
/// (<c>unnest</c> of column arrays + <c>INSERT … ON CONFLICT DO UPDATE</c>) that also answers how many rows were created,
/// changed or left as they were — compared with the rows as they were before the statement (same snapshot).
/// </summary>
internal sealed class InventoryWriter(NpgsqlConnection connection, Guid tenantId, long runId)
{
    private const string UpsertSql = """
        WITH input AS (
            SELECT DISTINCT ON (graph_id) *
            FROM unnest(@ids, @names, @types, @platforms, @modified, @versions, @hashes, @assignments)
                AS t(graph_id, display_name, odata_type, platform, last_modified_at, version, content_hash, assignment_count)
        ),
        old AS (
            SELECT i.graph_id, i.content_hash, i.deleted_at
            FROM inventory.inventory_items i
            WHERE i.tenant_id = @tenant AND i.family = @family AND i.graph_id = ANY(@ids)
        ),
        up AS (
            INSERT INTO inventory.inventory_items AS i (tenant_id, family, graph_id, display_name, odata_type, platform, last_modified_at,
                version, content_hash, assignment_count, first_seen_at, last_seen_at, changed_at, last_seen_run_id, deleted_at)
            SELECT @tenant, @family, graph_id, display_name, odata_type, platform, last_modified_at,
                version, content_hash, assignment_count, now(), now(), now(), @run, NULL
            FROM input
            ON CONFLICT (tenant_id, family, graph_id) DO UPDATE SET
                display_name = EXCLUDED.display_name,
                odata_type = EXCLUDED.odata_type,
                platform = EXCLUDED.platform,
                last_modified_at = EXCLUDED.last_modified_at,
                version = EXCLUDED.version,
                content_hash = EXCLUDED.content_hash,
                assignment_count = EXCLUDED.assignment_count,
                last_seen_at = EXCLUDED.last_seen_at,
                last_seen_run_id = EXCLUDED.last_seen_run_id,
                changed_at = CASE WHEN i.content_hash <> EXCLUDED.content_hash OR i.deleted_at IS NOT NULL THEN EXCLUDED.changed_at ELSE i.changed_at END,
                deleted_at = NULL
            RETURNING i.graph_id
        )
        SELECT
            count(*) FILTER (WHERE old.graph_id IS NULL),
            count(*) FILTER (WHERE old.graph_id IS NOT NULL AND (old.content_hash <> input.content_hash OR old.deleted_at IS NOT NULL)),
            count(*) FILTER (WHERE old.graph_id IS NOT NULL AND old.content_hash = input.content_hash AND old.deleted_at IS NULL)
        FROM up JOIN input USING (graph_id) LEFT JOIN old USING (graph_id)
        """;

    private const string MarkDeletedSql = """
        UPDATE inventory.inventory_items SET deleted_at = now()
        WHERE tenant_id = @tenant AND family = @family AND deleted_at IS NULL AND last_seen_run_id <> @run
        """;

    public async Task<UpsertCounts> UpsertAsync(string family, IReadOnlyList<ListedPolicy> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return default;
        }

        var n = batch.Count;
        var ids = new string[n];
        var names = new string[n];
        var types = new string?[n];
        var platforms = new string?[n];
        var modified = new DateTime?[n];
        var versions = new string?[n];
        var hashes = new string[n];
        var assignments = new int?[n];
        for (var i = 0; i < n; i++)
        {
            var p = batch[i];
            ids[i] = p.GraphId;
            names[i] = Truncate(p.DisplayName, 1000)!;
            types[i] = Truncate(p.ODataType, 300);
            platforms[i] = p.Platform;
            modified[i] = p.LastModifiedAt?.UtcDateTime;
            versions[i] = Truncate(p.Version, 100);
            hashes[i] = p.ContentHash;
            assignments[i] = p.AssignmentCount;
        }

        await using var command = new NpgsqlCommand(UpsertSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("tenant", tenantId));
        command.Parameters.Add(new NpgsqlParameter<string>("family", family));
        command.Parameters.Add(new NpgsqlParameter<long>("run", runId));
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
        command.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types });
        command.Parameters.Add(new NpgsqlParameter("platforms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = platforms });
        command.Parameters.Add(new NpgsqlParameter("modified", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = modified });
        command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = versions });
        command.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = hashes });
        command.Parameters.Add(new NpgsqlParameter("assignments", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = assignments });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new UpsertCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Marks the family's items this run did not see as deleted (only after the whole family was listed).</summary>
    public async Task<long> MarkVanishedAsync(string family, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(MarkDeletedSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("tenant", tenantId));
        command.Parameters.Add(new NpgsqlParameter<string>("family", family));
        command.Parameters.Add(new NpgsqlParameter<long>("run", runId));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
