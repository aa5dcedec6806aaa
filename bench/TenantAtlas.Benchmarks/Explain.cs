using System.Text;
using Npgsql;

namespace TenantAtlas.Benchmarks;

/// <summary>
/// EXPLAIN (ANALYZE, BUFFERS) of the statements behind the measured pages, rebuilt the way the product builds them
/// (src/TenantAtlas.Operations/Monitoring/OperationRunQueries.cs, Runs/RunStarter.cs, Runs/RunStore.cs) for owner@demo.test.
/// </summary>
internal static class Explain
{
    private static readonly string[] AllTypes =
    [
        "inventory.sync", "directory_groups.sync", "directory_role_definitions.sync", "backup_schedule.run_now",
        "backup_schedule.retry", "backup_schedule.scheduled", "restore.execute",
    ];

    public static async Task<string> PlansAsync(NpgsqlDataSource db, Guid owner, long runId, long cursor)
    {
        var scopes = new List<(Guid Workspace, string[]? Types)>();
        await using (var memberships = db.CreateCommand("""
            SELECT w.id, m.role FROM access.memberships m JOIN access.workspaces w ON w.id = m.workspace_id
             WHERE m.user_id = @owner ORDER BY w.name
            """))
        {
            memberships.Parameters.Add(new NpgsqlParameter("owner", owner));
            await using var reader = await memberships.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                string[]? types = reader.GetString(1) switch
                {
                    "Owner" => null,
                    "Manager" => AllTypes,
                    "Operator" => [.. AllTypes.Where(t => t != "restore.execute")],
                    _ => [],
                };
                if (types is not { Length: 0 })
                {
                    scopes.Add((reader.GetGuid(0), types));
                }
            }
        }

        var text = new StringBuilder();
        await PlanAsync(db, text, "Viewer/API: the run by id (FindAsync)", "SELECT * FROM operations.operation_runs AS o WHERE o.id = @id LIMIT 1", [new("id", runId)]);
        await PlanAsync(db, text, "Viewer/API: the role in the run's workspace (GetRoleAsync)", """
            SELECT m.role FROM access.memberships AS m
             WHERE m.user_id = @owner AND m.workspace_id = (SELECT workspace_id FROM operations.operation_runs WHERE id = @id) LIMIT 1
            """, [new("owner", owner), new("id", runId)]);
        foreach (var (title, before) in new[] { ("List: first page (ListAsync, limit 50)", (long?)null), ("List: next page (ListAsync, cursor)", cursor) })
        {
            var parameters = new List<NpgsqlParameter>();
            var filter = "";
            if (before is { } b)
            {
                filter = " AND id < @before";
                parameters.Add(new NpgsqlParameter("before", b));
            }

            parameters.Add(new NpgsqlParameter("take", 51));
            var branches = scopes.Select((s, i) => $"(SELECT * FROM operations.operation_runs WHERE {Scope(s, i, parameters)}{filter} ORDER BY id DESC LIMIT @take)");
            await PlanAsync(db, text, title, $"SELECT * FROM ({string.Join(" UNION ALL ", branches)}) AS visible ORDER BY id DESC LIMIT @take", parameters);
        }

        var countParameters = new List<NpgsqlParameter>();
        var where = string.Join(" OR ", scopes.Select((s, i) => "(" + Scope(s, i, countParameters) + ")"));
        await PlanAsync(db, text, "List page: status counts (CountAsync)", $"""
            SELECT CASE WHEN status = 'completed' THEN outcome ELSE status END AS "Key", count(*) AS "Count"
              FROM operations.operation_runs
             WHERE ({where})
             GROUP BY 1
            """, countParameters);
        return text.ToString();
    }

    private static string Scope((Guid Workspace, string[]? Types) scope, int index, List<NpgsqlParameter> parameters)
    {
        parameters.Add(new NpgsqlParameter($"ws{index}", scope.Workspace));
        if (scope.Types is null)
        {
            return $"workspace_id = @ws{index}";
        }

        parameters.Add(new NpgsqlParameter($"types{index}", scope.Types));
        return $"workspace_id = @ws{index} AND type = ANY(@types{index})";
    }

    private static async Task PlanAsync(NpgsqlDataSource db, StringBuilder text, string title, string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var command = db.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p.Clone());
        }

        // Run it once before, so the plan shows the steady state the measurement saw, not a cold cache.
        await using (var warm = db.CreateCommand("EXPLAIN (ANALYZE) " + sql))
        {
            foreach (var p in parameters)
            {
                warm.Parameters.Add(p.Clone());
            }

            await warm.ExecuteNonQueryAsync();
        }

        text.AppendLine($"## {title}").AppendLine().AppendLine("```sql").AppendLine(sql.Trim()).AppendLine("```").AppendLine("```");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            text.AppendLine(reader.GetString(0));
        }

        text.AppendLine("```").AppendLine();
    }
}
