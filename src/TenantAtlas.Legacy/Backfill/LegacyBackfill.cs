using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Legacy.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy.Backfill;

/// <summary>What one backfill did to one table: rows of mapped tenants read, runs added, rows that already had one, rows left unmapped.</summary>
internal sealed record BackfillTableResult(string Table, long Read, long Added, long AlreadyBackfilled, long Unmapped);

/// <summary>
/// Creates the canonical run of every legacy row that has none, through Operations (<see cref="IOperationHistory.RecordLegacyAsync"/>):
/// keyset batches by id, one insert per batch. Resumable: a row that already has its run is skipped, so a crashed backfill
/// run again continues where it stopped, and two racing backfills create each run once (the legacy reference index).
/// Rows whose old tenant maps to no tenant are left for a later backfill.
/// </summary>
/// <remarks>
/// A singleton, run by several jobs at once (one per workspace): the user look-ups go through a scope of each run's own —
/// the scoped user store shared between two runs failed one of them ("a second operation was started on this context").
/// </remarks>
internal sealed class LegacyBackfill(LegacyConnections connections, IOperationHistory history, IServiceScopeFactory scopes)
{
    public const int DefaultBatchSize = 5_000;

    public async Task<IReadOnlyList<BackfillTableResult>> RunAsync(
        Guid? workspaceId, Action<string>? progress = null, Action<long, long, long>? counts = null, int batchSize = DefaultBatchSize,
        CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<IAccessAdministration>();
        var results = new List<BackfillTableResult>();
        var (totalRead, totalAdded, totalAlready) = (0L, 0L, 0L);
        var emails = new Dictionary<string, Guid?>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in LegacyTables.RunTables)
        {
            var (read, added, already) = (0L, 0L, 0L);
            var clock = Stopwatch.StartNew();
            for (long after = 0; ;)
            {
                var batch = await ReadBatchAsync(table, workspaceId, after, batchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                after = batch[^1].Id;
                read += batch.Count;
                var existing = await history.FindLegacyRunsAsync(table.Name, [.. batch.Select(r => r.Id)], cancellationToken);
                already += existing.Count;
                var runs = new List<FinishedRun>(batch.Count);
                foreach (var row in batch.Where(r => !existing.ContainsKey(r.Id)))
                {
                    runs.Add(LegacyRunMapping.ToRun(row, await UserOfAsync(users, row.UserEmail, emails, cancellationToken)));
                }

                var inserted = await history.RecordLegacyAsync(runs, cancellationToken);
                added += inserted;
                // A racing backfill may have recorded some of these between the look-up and the insert.
                already += runs.Count - inserted;
                counts?.Invoke(totalRead + read, totalAdded + added, totalAlready + already);
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"legacy backfill: {table.Name} {read:N0} read, {added:N0} added ({read / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} rows/s)"));
            }

            (totalRead, totalAdded, totalAlready) = (totalRead + read, totalAdded + added, totalAlready + already);
            results.Add(new BackfillTableResult(table.Name, read, added, already, await UnmappedAsync(table, cancellationToken)));
        }

        return results;
    }

    /// <summary>The workspaces that have legacy rows of mapped tenants: where a backfill has something to do.</summary>
    public async Task<IReadOnlyList<Guid>> WorkspacesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT DISTINCT workspace_id FROM legacy.tenant_mappings WHERE tenant_id IS NOT NULL ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var workspaces = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            workspaces.Add(reader.GetGuid(0));
        }

        return workspaces;
    }

    private static async Task<Guid?> UserOfAsync(IAccessAdministration users, string? email, Dictionary<string, Guid?> cache, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var key = email.Trim();
        if (!cache.TryGetValue(key, out var userId))
        {
            userId = cache[key] = await users.FindUserIdByEmailAsync(key, cancellationToken);
        }

        return userId;
    }

    private async Task<List<LegacyRunRow>> ReadBatchAsync(LegacyTable table, Guid? workspaceId, long after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT r.*, m.tenant_id AS atlas_tenant_id, m.workspace_id AS atlas_workspace_id
              FROM legacy.{table.Name} r
              JOIN legacy.tenant_mappings m ON m.legacy_tenant_id = r.tenant_id AND m.tenant_id IS NOT NULL
             WHERE r.id > @after AND (@workspace::uuid IS NULL OR m.workspace_id = @workspace)
             ORDER BY r.id
             LIMIT @take
            """, connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.Add(new NpgsqlParameter("workspace", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)workspaceId ?? DBNull.Value });
        command.Parameters.AddWithValue("take", take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var countColumns = table.Columns.Skip(10).Where(c => c.Type == NpgsqlTypes.NpgsqlDbType.Integer).Select(c => c.Name).ToArray();
        var rows = new List<LegacyRunRow>(take);
        while (await reader.ReadAsync(cancellationToken))
        {
            T? Get<T>(string column) where T : struct => reader[column] is T value ? value : null;
            string? Text(string column) => reader[column] as string;
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var column in countColumns)
            {
                if (Get<int>(column) is { } count)
                {
                    counts[column] = count;
                }
            }

            rows.Add(new LegacyRunRow(table, reader.GetInt64(reader.GetOrdinal("id")), reader.GetInt64(reader.GetOrdinal("tenant_id")),
                reader.GetGuid(reader.GetOrdinal("atlas_tenant_id")), reader.GetGuid(reader.GetOrdinal("atlas_workspace_id")),
                Text("status"), Get<DateTime>("started_at"), Get<DateTime>("finished_at"), Get<DateTime>("created_at"), Get<DateTime>("updated_at"),
                Text("error_message"), Get<long>("triggered_by_user_id"), Text("user_email"), counts)
            {
                BackupScheduleId = table == LegacyTables.BackupScheduleRuns ? Get<long>("backup_schedule_id") : null,
                ScheduledFor = table == LegacyTables.BackupScheduleRuns ? Get<DateTime>("scheduled_for") : null,
                RestoreRequestId = table == LegacyTables.RestoreRuns ? Get<Guid>("restore_request_id") : null,
            });
        }

        return rows;
    }

    private async Task<long> UnmappedAsync(LegacyTable table, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT count(*) FROM legacy.{table.Name} r
             WHERE NOT EXISTS (SELECT 1 FROM legacy.tenant_mappings m WHERE m.legacy_tenant_id = r.tenant_id AND m.tenant_id IS NOT NULL)
            """, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
