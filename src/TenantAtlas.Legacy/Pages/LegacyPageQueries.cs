using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Legacy.Backfill;
using TenantAtlas.Legacy.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy.Pages;

/// <summary>A legacy row as the page shows it: read-only, its error message redacted, and its canonical run if it has one.</summary>
internal sealed record LegacyRowView(long Id, string WorkspaceName, string? OldTenant, string? Status, DateTime? StartedAt, DateTime? FinishedAt, string? Error, long? RunId);

/// <summary>
/// What <c>/admin/legacy</c> shows: the legacy rows of mapped tenants in the workspaces where the user's role grants the
/// capability of the table's operation type (the same rule as the runs those rows become). Decided per request.
/// </summary>
internal sealed class LegacyPageQueries(LegacyConnections connections, IAccessService access, IOperationHistory history)
{
    public const int PageSize = 100;

    /// <summary>The newest <see cref="PageSize"/> rows, or the newest below <paramref name="before"/> (keyset paging by id).</summary>
    public async Task<IReadOnlyList<LegacyRowView>> ListAsync(Guid userId, LegacyTable table, long? before = null, CancellationToken cancellationToken = default)
    {
        var capability = OperationTypes.All.First(t => t.Key == table.OperationType).Capability;
        var workspaces = (await access.ListMembershipsAsync(userId, cancellationToken)).Where(m => m.Has(capability)).ToDictionary(m => m.WorkspaceId, m => m.WorkspaceName);
        if (workspaces.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT r.id, m.workspace_id, t.name, r.status, r.started_at, r.finished_at, r.error_message
              FROM legacy.{table.Name} r
              JOIN legacy.tenant_mappings m ON m.legacy_tenant_id = r.tenant_id
              LEFT JOIN legacy.tenants t ON t.id = r.tenant_id
             WHERE m.workspace_id = ANY(@workspaces) AND r.id < @before
             ORDER BY r.id DESC
             LIMIT {PageSize}
            """, connection);
        command.Parameters.AddWithValue("workspaces", workspaces.Keys.ToArray());
        command.Parameters.AddWithValue("before", before ?? long.MaxValue);
        var rows = new List<(long Id, Guid Workspace, string? Tenant, string? Status, DateTime? Started, DateTime? Finished, string? Error)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetDateTime(4), reader.IsDBNull(5) ? null : reader.GetDateTime(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        var runs = await history.FindLegacyRunsAsync(table.Name, [.. rows.Select(r => r.Id)], cancellationToken);
        return [.. rows.Select(r => new LegacyRowView(r.Id, workspaces[r.Workspace], r.Tenant, r.Status, r.Started, r.Finished,
            string.IsNullOrWhiteSpace(r.Error) ? null : LegacyRedactor.Redact(r.Error), runs.TryGetValue(r.Id, out var run) ? run : null))];
    }
}
