using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Monitoring;

/// <summary>
/// Runs of schedules within their tenants: <c>schedule_id</c> for slots, <c>context->>'scheduleId'</c> for manual starts.
/// Both queries stay on the tenants' rows of the given types (index <c>(tenant_id, type, id DESC)</c>).
/// </summary>
internal sealed class ScheduleRunQueries(IDbContextFactory<OperationsDbContext> dbFactory) : IScheduleRunQueries
{
    private const string ScheduleKey = "COALESCE(schedule_id::text, context->>'scheduleId')";

    public async Task<IReadOnlyDictionary<Guid, ScheduleRunSummary>> SummarizeAsync(
        IReadOnlyCollection<Guid> tenantIds, IReadOnlyCollection<Guid> scheduleIds, IReadOnlyCollection<string> types, CancellationToken cancellationToken = default)
    {
        if (scheduleIds.Count == 0)
        {
            return new Dictionary<Guid, ScheduleRunSummary>();
        }

        var ids = scheduleIds.Distinct().ToArray();
        var tenants = tenantIds.Distinct().ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.Runs.FromSqlRaw(
                $"""
                SELECT DISTINCT ON ({ScheduleKey}) * FROM operations.operation_runs
                 WHERE tenant_id = ANY(@tenants) AND type = ANY(@types) AND {ScheduleKey} = ANY(@ids)
                 ORDER BY {ScheduleKey}, id DESC
                """,
                new NpgsqlParameter("tenants", tenants), new NpgsqlParameter("types", types.ToArray()),
                new NpgsqlParameter("ids", ids.Select(i => i.ToString()).ToArray()))
            .AsNoTracking().ToListAsync(cancellationToken);
        var missed = await db.Database.SqlQueryRaw<MissedCount>(
                """
                SELECT schedule_id, count(*) AS count FROM operations.operation_runs
                 WHERE tenant_id = ANY(@tenants) AND schedule_id = ANY(@ids) AND completion_reason = 'missed'
                 GROUP BY schedule_id
                """,
                new NpgsqlParameter("tenants", tenants), new NpgsqlParameter("ids", ids))
            .ToListAsync(cancellationToken);

        var views = latest.Select(r => r.ToView()).ToList();
        return ids.ToDictionary(id => id, id => new ScheduleRunSummary(
            views.FirstOrDefault(v => v.ScheduleId == id || v.Inputs.GetString("scheduleId") == id.ToString()),
            missed.FirstOrDefault(m => m.ScheduleId == id)?.Count ?? 0));
    }

    public async Task<RunPage> ListAsync(Guid tenantId, Guid scheduleId, IReadOnlyCollection<string> types, long? before, int limit, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, OperationRunQueries.MaxLimit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.FromSqlRaw(
                $"""
                SELECT * FROM operations.operation_runs
                 WHERE tenant_id = @tenant AND type = ANY(@types) AND {ScheduleKey} = @schedule AND id < @before
                 ORDER BY id DESC LIMIT @take
                """,
                new NpgsqlParameter("tenant", tenantId), new NpgsqlParameter("types", types.ToArray()),
                new NpgsqlParameter("schedule", scheduleId.ToString()), new NpgsqlParameter("before", before ?? long.MaxValue),
                new NpgsqlParameter("take", limit + 1))
            .AsNoTracking().ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(r => r.ToView()).ToList();
        return new RunPage(items, rows.Count > limit ? items[^1].Id : null);
    }

    private sealed record MissedCount(Guid ScheduleId, long Count);
}
