using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using TenantAtlas.Legacy.Data;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Legacy.Import;

/// <summary>
/// What one import did to one table. <see cref="Changed"/>: rows already imported that now differ in the source — reported
/// (first ids in <see cref="ChangedIds"/>), never overwritten. <see cref="Unmapped"/>: rows read whose old tenant maps to
/// no TenantAtlas tenant (kept all the same).
/// </summary>
internal sealed record ImportTableResult(string Table, bool Present, long Read, long Inserted, long Unchanged, long Changed, long Unmapped, IReadOnlyList<long> ChangedIds);

/// <summary>An old tenant that maps to no TenantAtlas tenant, and why.</summary>
internal sealed record UnmappedTenant(long LegacyTenantId, string? Name, string? EntraTenantId, string Reason);

internal sealed record ImportResult(IReadOnlyList<ImportTableResult> Tables, IReadOnlyList<UnmappedTenant> UnmappedTenants);

/// <summary>
/// Copies the old system's tables into schema <c>legacy</c>: each table by binary COPY into a staging table, then one
/// <c>INSERT … ON CONFLICT DO NOTHING</c>, in one transaction that alone may write the legacy tables
/// (<c>SET LOCAL tenantatlas.legacy_import = 'on'</c>). Idempotent: a re-import adds nothing and reports rows that changed
/// in the source instead of overwriting them. The tenants come first and are mapped by Entra tenant id.
/// </summary>
internal sealed class LegacyImporter(LegacyConnections connections, ITenantsByEntraId tenants, TimeProvider clock)
{
    private const int ProgressEvery = 100_000;

    public async Task<ImportResult> ImportAsync(ILegacySource source, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<ImportTableResult>();
        foreach (var table in LegacyTables.All)
        {
            if (!await source.HasAsync(table, cancellationToken))
            {
                progress?.Invoke($"legacy import: {table.Name} not found in {source.Description}, skipped");
                results.Add(new ImportTableResult(table.Name, false, 0, 0, 0, 0, 0, []));
                continue;
            }

            results.Add(await ImportTableAsync(source, table, progress, cancellationToken));
            if (table == LegacyTables.Tenants)
            {
                await MapTenantsAsync(cancellationToken);
            }
        }

        if (!results[0].Present)
        {
            // Without the tenants table nothing could be mapped this time; mappings of earlier imports still hold.
            await MapTenantsAsync(cancellationToken);
        }

        return new ImportResult(results, await UnmappedTenantsAsync(cancellationToken));
    }

    private async Task<ImportTableResult> ImportTableAsync(ILegacySource source, LegacyTable table, Action<string>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SET LOCAL tenantatlas.legacy_import = 'on'", cancellationToken);
        await ExecuteAsync(connection, $"CREATE TEMP TABLE legacy_stage (LIKE legacy.{table.Name} INCLUDING DEFAULTS) ON COMMIT DROP", cancellationToken);

        long read = 0;
        var clock = Stopwatch.StartNew();
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY legacy_stage ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            await foreach (var row in source.ReadAsync(table, cancellationToken))
            {
                await writer.StartRowAsync(cancellationToken);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is { } value)
                    {
                        await writer.WriteAsync(value, table.Columns[i].Type, cancellationToken);
                    }
                    else
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }
                }

                if (++read % ProgressEvery == 0)
                {
                    progress?.Invoke(Line($"legacy import: {table.Name} {read:N0} rows read ({read / clock.Elapsed.TotalSeconds:N0} rows/s)"));
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // Rows already here that differ in the source: reported, never overwritten.
        long changed;
        var changedIds = new List<long>();
        await using (var command = new NpgsqlCommand($"""
            SELECT count(*), (array_agg(s.id ORDER BY s.id))[1:20]
              FROM legacy_stage s JOIN legacy.{table.Name} t ON t.id = s.id
             WHERE ROW({string.Join(", ", table.Columns.Skip(1).Select(c => "s." + c.Name))}) IS DISTINCT FROM ROW({string.Join(", ", table.Columns.Skip(1).Select(c => "t." + c.Name))})
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            changed = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                changedIds.AddRange(reader.GetFieldValue<long[]>(1));
            }
        }

        var inserted = await ExecuteAsync(connection,
            $"INSERT INTO legacy.{table.Name} ({table.ColumnList}) SELECT {table.ColumnList} FROM legacy_stage ORDER BY id ON CONFLICT (id) DO NOTHING",
            cancellationToken);

        long unmapped = 0;
        if (table.IsRunTable)
        {
            await using var command = new NpgsqlCommand("""
                SELECT count(*) FROM legacy_stage s
                 WHERE NOT EXISTS (SELECT 1 FROM legacy.tenant_mappings m WHERE m.legacy_tenant_id = s.tenant_id AND m.tenant_id IS NOT NULL)
                """, connection);
            unmapped = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);
        var result = new ImportTableResult(table.Name, true, read, inserted, read - inserted - changed, changed, unmapped, changedIds);
        progress?.Invoke(Line($"legacy import: {table.Name} done: {read:N0} read, {inserted:N0} inserted, {result.Unchanged:N0} unchanged, {changed:N0} changed, {unmapped:N0} unmapped ({read / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} rows/s)"));
        return result;
    }

    /// <summary>
    /// Maps every old tenant not mapped yet by its Entra tenant id: exactly one TenantAtlas tenant with that id → mapped
    /// (for good: a mapping is never changed); none, several or not a GUID → unmapped with the reason, tried again next time.
    /// </summary>
    private async Task MapTenantsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var pending = new List<(long Id, string? Entra)>();
        await using (var command = new NpgsqlCommand("""
            SELECT t.id, t.entra_tenant_id FROM legacy.tenants t
             WHERE NOT EXISTS (SELECT 1 FROM legacy.tenant_mappings m WHERE m.legacy_tenant_id = t.id AND m.tenant_id IS NOT NULL)
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        var entraIds = pending.Select(p => Guid.TryParse(p.Entra?.Trim(), out var g) ? g : (Guid?)null).ToList();
        var found = (await tenants.FindByEntraTenantIdsAsync([.. entraIds.OfType<Guid>().Distinct()], cancellationToken))
            .ToLookup(t => t.EntraTenantId);
        var rows = pending.Select((p, i) =>
        {
            if (entraIds[i] is not { } entra)
            {
                return (p.Id, Tenant: (Guid?)null, Workspace: (Guid?)null, Reason: (string?)"The old tenant's Entra tenant id is not a GUID.");
            }

            var matches = found[entra].ToList();
            return matches.Count switch
            {
                1 => (p.Id, matches[0].Id, matches[0].WorkspaceId, null),
                0 => (p.Id, null, null, "No TenantAtlas tenant has this Entra tenant id yet."),
                _ => (p.Id, null, null, $"{matches.Count} TenantAtlas tenants (in different workspaces) have this Entra tenant id."),
            };
        }).ToList();

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SET LOCAL tenantatlas.legacy_import = 'on'", cancellationToken);
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO legacy.tenant_mappings (legacy_tenant_id, tenant_id, workspace_id, unmapped, mapped_at)
            SELECT * FROM unnest(@ids, @tenants, @workspaces, @reasons, @at)
            ON CONFLICT (legacy_tenant_id) DO UPDATE
               SET tenant_id = excluded.tenant_id, workspace_id = excluded.workspace_id, unmapped = excluded.unmapped, mapped_at = excluded.mapped_at
             WHERE legacy.tenant_mappings.tenant_id IS NULL
            """, connection))
        {
            var now = clock.GetUtcNow();
            upsert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.Id).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("tenants", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Tenant).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("workspaces", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.Workspace).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => r.Reason).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(_ => now).ToArray() });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<UnmappedTenant>> UnmappedTenantsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT t.id, t.name, t.entra_tenant_id, coalesce(m.unmapped, 'Not mapped yet.')
              FROM legacy.tenants t LEFT JOIN legacy.tenant_mappings m ON m.legacy_tenant_id = t.id
             WHERE m.tenant_id IS NULL
             ORDER BY t.id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var unmapped = new List<UnmappedTenant>();
        while (await reader.ReadAsync(cancellationToken))
        {
            unmapped.Add(new UnmappedTenant(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }

        return unmapped;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
