using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Backup.Sets;

/// <summary>The <see cref="IBackupSets"/> contract over the module's tables.</summary>
internal sealed class BackupSets(IDbContextFactory<BackupDbContext> dbFactory) : IBackupSets
{
    public async Task<BackupSetInfo?> FindAsync(Guid setId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Project(db, db.Sets.AsNoTracking().Where(s => s.Id == setId)).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BackupSetInfo>> FindManyAsync(IReadOnlyCollection<Guid> setIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setIds);
        var ids = setIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Project(db, db.Sets.AsNoTracking().Where(s => ids.Contains(s.Id))).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BackupSetInfo>> ListAsync(IReadOnlyCollection<Guid> tenantIds, int take = 200, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantIds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = tenantIds.ToArray();
        var query = db.Sets.AsNoTracking().Where(s => ids.Contains(s.TenantId))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(Math.Clamp(take, 1, 1000));
        return await Project(db, query).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BackupItemInfo>> ListItemsAsync(Guid setId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Items.AsNoTracking().Where(i => i.BackupSetId == setId)
            .OrderBy(i => i.Family).ThenBy(i => i.DisplayName).ThenBy(i => i.Id)
            .Select(i => new BackupItemInfo(i.Id, i.Family, i.GraphId, i.DisplayName, i.ODataType))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BackupItemContent>> ReadItemsAsync(Guid setId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        var ids = itemIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Items.AsNoTracking().Where(i => i.BackupSetId == setId && ids.Contains(i.Id))
            .OrderBy(i => i.Family).ThenBy(i => i.DisplayName).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.Family, i.GraphId, i.DisplayName, i.ODataType, i.Content, i.Assignments, i.ProtectedValues })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => Parse(r.Id, r.Family, r.GraphId, r.DisplayName, r.ODataType, r.Content, r.Assignments, r.ProtectedValues))];
    }

    public async Task<DateTimeOffset?> LatestSetAtAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sets.AsNoTracking().Where(s => s.TenantId == tenantId)
            .MaxAsync(s => (DateTimeOffset?)s.CreatedAt, cancellationToken);
    }

    internal static BackupItemContent Parse(
        long id, string family, string graphId, string displayName, string? odataType, string content, string assignments, string protectedValues)
    {
        var item = new BackupItemContent(id, family, graphId, displayName, odataType, null, [], []);
        JsonObject? parsedContent;
        try
        {
            parsedContent = JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException)
        {
            parsedContent = null;
        }

        if (parsedContent is null)
        {
            return item with { Unreadable = "The stored policy is not a JSON object." };
        }

        JsonArray? parsedAssignments;
        List<GraphProtectedValue> secrets = [];
        try
        {
            parsedAssignments = JsonNode.Parse(assignments) as JsonArray;
            if (JsonNode.Parse(protectedValues) is JsonArray values)
            {
                foreach (var value in values.OfType<JsonObject>())
                {
                    if (value["path"]?.GetValueKind() == JsonValueKind.String && value["protectedValue"]?.GetValueKind() == JsonValueKind.String)
                    {
                        secrets.Add(new GraphProtectedValue(value["path"]!.GetValue<string>(), value["protectedValue"]!.GetValue<string>()));
                    }
                }
            }
        }
        catch (JsonException)
        {
            parsedAssignments = null;
        }

        return parsedAssignments is null
            ? item with { Unreadable = "The stored assignments are not a JSON array." }
            : item with { Content = parsedContent, Assignments = parsedAssignments, ProtectedValues = secrets };
    }

    private static IQueryable<BackupSetInfo> Project(BackupDbContext db, IQueryable<BackupSet> sets) =>
        from s in sets
        join schedule in db.Schedules on s.ScheduleId equals schedule.Id into schedules
        from schedule in schedules.DefaultIfEmpty()
        select new BackupSetInfo(s.Id, s.WorkspaceId, s.TenantId, s.CreatedAt, s.Families, s.ItemCount, s.FailedCount, s.OperationRunId, s.RunType,
            schedule == null ? null : schedule.Name)
        {
            PreRestoreOfRequestId = s.PreRestoreOfRequestId,
        };
}
