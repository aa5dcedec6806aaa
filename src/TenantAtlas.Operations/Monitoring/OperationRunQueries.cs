using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Monitoring;

/// <summary>
/// Lists only what the user may view: for each workspace the user belongs to, the run types whose capability the role
/// grants (owners: all, including types no longer registered). One keyset query per workspace, merged newest first,
/// so each uses the (workspace_id, id DESC) index however many runs other workspaces have.
/// </summary>
internal sealed class OperationRunQueries(
    IDbContextFactory<OperationsDbContext> dbFactory,
    IAccessService access,
    OperationTypeRegistry registry) : IOperationRunQueries
{
    public const int MaxLimit = 200;

    public async Task<RunPage> ListAsync(Guid userId, RunFilter filter, long? before, int limit, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        var scopes = await ScopesAsync(userId, filter, cancellationToken);
        if (scopes.Count == 0)
        {
            return new RunPage([], null);
        }

        var parameters = new List<NpgsqlParameter>();
        var filterSql = FilterSql(filter, parameters);
        if (before is { } cursor)
        {
            filterSql += " AND id < @before";
            parameters.Add(new NpgsqlParameter("before", cursor));
        }

        parameters.Add(new NpgsqlParameter("take", limit + 1));
        var sql = new StringBuilder("SELECT * FROM (");
        for (var i = 0; i < scopes.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(" UNION ALL ");
            }

            sql.Append($"(SELECT * FROM operations.operation_runs WHERE {ScopeSql(scopes[i], i, parameters)}{filterSql} ORDER BY id DESC LIMIT @take)");
        }

        sql.Append(") AS visible ORDER BY id DESC LIMIT @take");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.FromSqlRaw(sql.ToString(), [.. parameters]).AsNoTracking().ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(r => r.ToView()).ToList();
        return new RunPage(items, rows.Count > limit ? items[^1].Id : null);
    }

    public async Task<RunStatusCounts> CountAsync(Guid userId, RunFilter filter, CancellationToken cancellationToken = default)
    {
        var scopes = await ScopesAsync(userId, filter with { Status = null, Outcome = null }, cancellationToken);
        if (scopes.Count == 0)
        {
            return new RunStatusCounts(0, 0, 0, 0, 0, 0);
        }

        var parameters = new List<NpgsqlParameter>();
        // Counts ignore the status/outcome filter: they are the numbers behind those filters.
        var filterSql = FilterSql(filter with { Status = null, Outcome = null }, parameters);
        // One aggregate per scope, added up: each is an index-only scan of (workspace_id, type) INCLUDE (status, outcome, …),
        // where OR-ed scopes become a bitmap heap scan over every visible row.
        var perScope = scopes.Select((s, i) => $"""
            (SELECT CASE WHEN status = '{OperationRunStatus.Completed.ToWire()}' THEN outcome ELSE status END AS key, count(*) AS n
               FROM operations.operation_runs WHERE {ScopeSql(s, i, parameters)}{filterSql} GROUP BY 1)
            """);
        var sql = $"""
            SELECT key AS "Key", sum(n)::bigint AS "Count"
              FROM ({string.Join(" UNION ALL ", perScope)}) AS scoped
             GROUP BY key
            """;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Database.SqlQueryRaw<KeyCount>(sql, [.. parameters]).ToListAsync(cancellationToken);
        long Of(string key) => counts.FirstOrDefault(c => c.Key == key)?.Count ?? 0;
        return new RunStatusCounts(Of(OperationRunStatus.Queued.ToWire()), Of(OperationRunStatus.Running.ToWire()), Of(OperationRunOutcome.Succeeded.ToWire()),
            Of(OperationRunOutcome.PartiallySucceeded.ToWire()), Of(OperationRunOutcome.Failed.ToWire()), Of(OperationRunOutcome.Cancelled.ToWire()));
    }

    public async Task<IReadOnlyList<OperationTypeDefinition>> VisibleTypesAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        return VisibleTypes(await access.ListMembershipsAsync(userId, cancellationToken));
    }

    public IReadOnlyList<OperationTypeDefinition> VisibleTypes(IReadOnlyList<WorkspaceMembershipInfo> memberships) =>
        [.. registry.All.Where(d => memberships.Any(m => m.Role.Grants(d.Capability))).OrderBy(d => d.Label)];

    private sealed record KeyCount(string Key, long Count);

    /// <summary>A workspace and the types visible there; null types = every type (owners).</summary>
    private sealed record Scope(Guid WorkspaceId, string[]? Types);

    private async Task<List<Scope>> ScopesAsync(Guid userId, RunFilter filter, CancellationToken cancellationToken)
    {
        var memberships = await access.ListMembershipsAsync(userId, cancellationToken);
        var scopes = new List<Scope>();
        foreach (var m in memberships.Where(m => filter.WorkspaceId is null || m.WorkspaceId == filter.WorkspaceId))
        {
            string[]? types = m.Role == WorkspaceRole.Owner ? null : [.. registry.All.Where(d => m.Role.Grants(d.Capability)).Select(d => d.Key)];
            if (filter.Type is { } type)
            {
                var visible = types is null || types.Contains(type);
                if (!visible)
                {
                    continue;
                }

                types = [type];
            }

            if (types is { Length: 0 })
            {
                continue;
            }

            scopes.Add(new Scope(m.WorkspaceId, types));
        }

        return scopes;
    }

    private static string ScopeSql(Scope scope, int index, List<NpgsqlParameter> parameters)
    {
        parameters.Add(new NpgsqlParameter($"ws{index}", scope.WorkspaceId));
        if (scope.Types is null)
        {
            return $"workspace_id = @ws{index}";
        }

        parameters.Add(new NpgsqlParameter($"types{index}", scope.Types));
        return $"workspace_id = @ws{index} AND type = ANY(@types{index})";
    }

    private static string FilterSql(RunFilter filter, List<NpgsqlParameter> parameters)
    {
        var sql = new StringBuilder();
        void Add(string clause, string name, object value)
        {
            if (parameters.All(p => p.ParameterName != name))
            {
                parameters.Add(new NpgsqlParameter(name, value));
            }

            sql.Append(" AND ").Append(clause);
        }

        if (filter.TenantId is { } tenant)
        {
            Add("tenant_id = @f_tenant", "f_tenant", tenant);
        }

        if (filter.Status is { } status)
        {
            Add("status = @f_status", "f_status", status.ToWire());
        }

        if (filter.Outcome is { } outcome)
        {
            Add("outcome = @f_outcome", "f_outcome", outcome.ToWire());
        }

        if (!string.IsNullOrWhiteSpace(filter.Initiator))
        {
            if (filter.Initiator.Trim().Equals("system", StringComparison.OrdinalIgnoreCase))
            {
                sql.Append(" AND initiator_kind = 'system'");
            }
            else
            {
                Add("initiator_kind = 'user' AND lower(initiator_label) = @f_initiator", "f_initiator", filter.Initiator.Trim().ToLowerInvariant());
            }
        }

        if (filter.Origin is { } origin)
        {
            sql.Append(origin == RunOrigin.Legacy ? " AND legacy_table IS NOT NULL" : " AND legacy_table IS NULL");
        }

        if (filter.From is { } from)
        {
            Add("created_at >= @f_from", "f_from", from.ToUniversalTime());
        }

        if (filter.To is { } to)
        {
            Add("created_at < @f_to", "f_to", to.ToUniversalTime());
        }

        return sql.ToString();
    }
}
