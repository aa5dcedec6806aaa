using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Backup.Sets;

internal sealed record BackupSetView(
    Guid Id,
    Guid WorkspaceId,
    Guid TenantId,
    Guid? ScheduleId,
    string? ScheduleName,
    long OperationRunId,
    string RunType,
    IReadOnlyList<string> Families,
    DateTimeOffset CreatedAt,
    int ItemCount,
    int FailedCount,
    long SizeBytes);

internal sealed record BackupItemView(long Id, string Family, string GraphId, string DisplayName, string? ODataType, string ContentHash, long SizeBytes);

/// <summary>
/// Reading backup sets: lists, a set with its items, one item's JSON, the whole set as a JSON document. Backups are
/// policy configuration, so every read needs <see cref="BackupAccess.View"/> (<c>tenant.backups.run</c>), checked here
/// on every call; a set of another workspace answers exactly like an unknown id.
/// </summary>
internal sealed class BackupSetQueries(IDbContextFactory<BackupDbContext> dbFactory, ITenantAccess tenantAccess)
{
    public const int ListLimit = 200;

    /// <summary>The tenant's sets, newest first (at most <see cref="ListLimit"/>). The caller checked access to the tenant.</summary>
    public async Task<IReadOnlyList<BackupSetView>> ListForTenantAsync(Guid tenantId, Guid? scheduleId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Sets.AsNoTracking().Where(s => s.TenantId == tenantId);
        if (scheduleId is { } schedule)
        {
            query = query.Where(s => s.ScheduleId == schedule);
        }

        return await Project(db, query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(ListLimit)).ToListAsync(cancellationToken);
    }

    /// <summary>How many sets the tenant has. The caller checked access to the tenant.</summary>
    public async Task<int> CountForTenantAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sets.CountAsync(s => s.TenantId == tenantId, cancellationToken);
    }

    public async Task<(AccessDecision Decision, BackupSetView? Set, IReadOnlyList<BackupItemView> Items)> GetAsync(
        Guid userId, Guid setId, CancellationToken cancellationToken = default)
    {
        var set = await FindAsync(setId, cancellationToken);
        if (set is null)
        {
            return (AccessDecision.NotFound, null, []);
        }

        var decision = (await tenantAccess.DecideAsync(set.TenantId, userId, BackupAccess.View, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return (decision, null, []);
        }

        return (decision, set, await ListItemsAsync(setId, cancellationToken));
    }

    /// <summary>
    /// The set without an access check, for a page that asks <see cref="ITenantAccess"/> about its tenant before it shows
    /// anything (an unknown id and a set of another workspace then answer alike).
    /// </summary>
    public async Task<BackupSetView?> FindAsync(Guid setId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Project(db, db.Sets.AsNoTracking().Where(s => s.Id == setId)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The set's items by family and name. The caller checked access to the set's tenant.</summary>
    public async Task<IReadOnlyList<BackupItemView>> ListItemsAsync(Guid setId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Items.AsNoTracking().Where(i => i.BackupSetId == setId)
            .OrderBy(i => i.Family).ThenBy(i => i.DisplayName).ThenBy(i => i.Id)
            .Select(i => new BackupItemView(i.Id, i.Family, i.GraphId, i.DisplayName, i.ODataType, i.ContentHash, i.SizeBytes))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One item as stored: the policy and its assignments, indented.</summary>
    public async Task<(AccessDecision Decision, string? Json)> GetItemJsonAsync(Guid userId, long itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.Items.AsNoTracking().Where(i => i.Id == itemId)
            .Join(db.Sets, i => i.BackupSetId, s => s.Id, (i, s) => new { s.TenantId, i.Content, i.Assignments, i.ProtectedValues })
            .FirstOrDefaultAsync(cancellationToken);
        if (item is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var decision = (await tenantAccess.DecideAsync(item.TenantId, userId, BackupAccess.View, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return (decision, null);
        }

        var json = new JsonObject { ["content"] = JsonNode.Parse(item.Content), ["assignments"] = JsonNode.Parse(item.Assignments) };
        if (ProtectedPaths(item.ProtectedValues) is { Count: > 0 } paths)
        {
            json["protectedValues"] = new JsonArray([.. paths.Select(p => (JsonNode)Shown(p))]);
        }

        return (decision, json.ToJsonString(Indented));
    }

    /// <summary>
    /// Writes the whole set as one JSON document: the set's metadata and every item with its content and assignments
    /// exactly as stored. Checks access first; writes nothing unless allowed.
    /// </summary>
    public async Task<(AccessDecision Decision, BackupSetView? Set)> ExportAsync(Guid userId, Guid setId, Func<BackupSetView, Stream> open, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = await Project(db, db.Sets.AsNoTracking().Where(s => s.Id == setId)).FirstOrDefaultAsync(cancellationToken);
        if (set is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var decision = (await tenantAccess.DecideAsync(set.TenantId, userId, BackupAccess.View, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return (decision, null);
        }

        var stream = open(set);
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", "tenantatlas.backup-set.v1");
        writer.WriteString("id", set.Id);
        writer.WriteString("tenantId", set.TenantId);
        writer.WriteString("workspaceId", set.WorkspaceId);
        if (set.ScheduleId is { } schedule)
        {
            writer.WriteString("scheduleId", schedule);
        }
        else
        {
            writer.WriteNull("scheduleId");
        }

        writer.WriteString("scheduleName", set.ScheduleName);
        writer.WriteNumber("operationRunId", set.OperationRunId);
        writer.WriteString("runType", set.RunType);
        writer.WriteString("createdAt", set.CreatedAt.ToUniversalTime());
        writer.WriteStartArray("families");
        foreach (var family in set.Families)
        {
            writer.WriteStringValue(family);
        }

        writer.WriteEndArray();
        writer.WriteNumber("itemCount", set.ItemCount);
        writer.WriteNumber("failedCount", set.FailedCount);
        writer.WriteNumber("sizeBytes", set.SizeBytes);
        writer.WriteStartArray("items");
        // Streamed in id order: a large set is never held in memory as a whole.
        await foreach (var item in db.Items.AsNoTracking().Where(i => i.BackupSetId == setId).OrderBy(i => i.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            writer.WriteStartObject();
            writer.WriteString("family", item.Family);
            writer.WriteString("graphId", item.GraphId);
            writer.WriteString("displayName", item.DisplayName);
            writer.WriteString("odataType", item.ODataType);
            writer.WriteString("contentHash", item.ContentHash);
            writer.WriteNumber("sizeBytes", item.SizeBytes);
            writer.WritePropertyName("content");
            writer.WriteRawValue(item.Content, skipInputValidation: true);
            writer.WritePropertyName("assignments");
            writer.WriteRawValue(item.Assignments, skipInputValidation: true);
            if (ProtectedPaths(item.ProtectedValues) is { Count: > 0 } paths)
            {
                // Where the secrets belong, never their protected payload: they stay in TenantAtlas.
                writer.WritePropertyName("protectedValues");
                new JsonArray([.. paths.Select(p => (JsonNode)Shown(p))]).WriteTo(writer);
            }
            writer.WriteEndObject();
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        return (decision, set);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>What pages and downloads show for a protected value.</summary>
    public const string ProtectedText = "protected";

    /// <summary>The JSON Pointers of an item's protected values (never their payload).</summary>
    /// <summary>
    /// The paths of an item's protected values. Entries of another shape (a hand-edited row) are left out rather than
    /// failing the item page or, worse, a download already half written.
    /// </summary>
    internal static List<string> ProtectedPaths(string protectedValues)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(protectedValues);
        }
        catch (JsonException)
        {
            return [];
        }

        return (parsed as JsonArray ?? [])
            .Select(v => v is JsonObject entry && entry["path"] is JsonValue path && path.TryGetValue<string>(out var text) ? text : null)
            .OfType<string>()
            .ToList();
    }

    private static JsonObject Shown(string path) => new() { ["path"] = path, ["value"] = ProtectedText };

    private static IQueryable<BackupSetView> Project(BackupDbContext db, IQueryable<BackupSet> sets) =>
        from s in sets
        join schedule in db.Schedules on s.ScheduleId equals schedule.Id into schedules
        from schedule in schedules.DefaultIfEmpty()
        select new BackupSetView(s.Id, s.WorkspaceId, s.TenantId, s.ScheduleId, schedule == null ? null : schedule.Name, s.OperationRunId, s.RunType,
            s.Families, s.CreatedAt, s.ItemCount, s.FailedCount, s.SizeBytes);
}
