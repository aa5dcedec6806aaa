using Microsoft.EntityFrameworkCore;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Directory.Data;

namespace TenantAtlas.Directory.Lookup;

/// <summary>The directory cache for readers: database only, one short-lived context per call (safe inside circuits).</summary>
internal sealed class DirectoryLookup(IDbContextFactory<DirectoryDbContext> dbFactory) : IDirectoryLookup
{
    private const int MaxTake = 200;

    public async Task<IReadOnlyList<DirectoryGroup>> SearchGroupsAsync(Guid tenantId, string? text, int take = 20, bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Groups.AsNoTracking().Where(g => g.TenantId == tenantId);
        if (!includeDeleted)
        {
            query = query.Where(g => g.DeletedAt == null);
        }

        var term = text?.Trim();
        if (string.IsNullOrEmpty(term))
        {
            return Map(await query.OrderBy(g => g.DisplayName).ThenBy(g => g.GraphId).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(cancellationToken));
        }

        var escaped = Escape(term);
        var rows = await query
            .Where(g => EF.Functions.ILike(g.DisplayName, "%" + escaped + "%", "\\") || g.GraphId == term)
            .OrderBy(g => EF.Functions.ILike(g.DisplayName, escaped + "%", "\\") ? 0 : 1)
            .ThenBy(g => g.DisplayName).ThenBy(g => g.GraphId)
            .Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);
        return Map(rows);
    }

    public async Task<DirectoryGroupPage> ListGroupsAsync(Guid tenantId, DirectoryGroupQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = db.Groups.AsNoTracking().Where(g => g.TenantId == tenantId);
        if (!query.IncludeDeleted)
        {
            rows = rows.Where(g => g.DeletedAt == null);
        }

        if (query.Search?.Trim() is { Length: > 0 } term)
        {
            var pattern = "%" + Escape(term) + "%";
            rows = rows.Where(g => EF.Functions.ILike(g.DisplayName, pattern, "\\") || (g.Mail != null && EF.Functions.ILike(g.Mail, pattern, "\\")) || g.GraphId == term);
        }

        var total = await rows.CountAsync(cancellationToken);
        var ordered = (query.SortBy, query.Descending) switch
        {
            (DirectoryGroupSort.Kind, false) => rows.OrderBy(g => g.SecurityEnabled).ThenBy(g => g.MailEnabled).ThenBy(g => g.DisplayName),
            (DirectoryGroupSort.Kind, true) => rows.OrderByDescending(g => g.SecurityEnabled).ThenByDescending(g => g.MailEnabled).ThenBy(g => g.DisplayName),
            (DirectoryGroupSort.UpdatedAt, false) => rows.OrderBy(g => g.UpdatedAt),
            (DirectoryGroupSort.UpdatedAt, true) => rows.OrderByDescending(g => g.UpdatedAt),
            (_, true) => rows.OrderByDescending(g => g.DisplayName),
            _ => rows.OrderBy(g => g.DisplayName),
        };
        var page = await ordered.ThenBy(g => g.GraphId).Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake)).ToListAsync(cancellationToken);
        return new DirectoryGroupPage(Map(page), total);
    }

    public async Task<IReadOnlyDictionary<string, DirectoryLabel>> GetGroupLabelsAsync(Guid tenantId, IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        var ids = groupIds.Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, DirectoryLabel>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.Groups.AsNoTracking().Where(g => g.TenantId == tenantId && ids.Contains(g.GraphId))
            .Select(g => new { g.GraphId, g.DisplayName, g.DeletedAt }).ToDictionaryAsync(g => g.GraphId, StringComparer.Ordinal, cancellationToken);
        return ids.ToDictionary(
            id => id,
            id => known.TryGetValue(id, out var g)
                ? new DirectoryLabel(id, g.DeletedAt is null ? g.DisplayName : $"{g.DisplayName} (deleted)", Known: true, IsDeleted: g.DeletedAt is not null)
                : new DirectoryLabel(id, DirectoryLabels.UnknownGroup(id), Known: false, IsDeleted: false),
            StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<DirectoryGroup>> GetGroupsAsync(Guid tenantId, IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var ids = groupIds.Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Map(await db.Groups.AsNoTracking().Where(g => g.TenantId == tenantId && ids.Contains(g.GraphId))
            .OrderBy(g => g.GraphId).ToListAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<DirectoryGroup>> FindGroupsByDisplayNamesAsync(Guid tenantId, IEnumerable<string> displayNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(displayNames);
        var names = displayNames.Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Map(await db.Groups.AsNoTracking().Where(g => g.TenantId == tenantId && g.DeletedAt == null && names.Contains(g.DisplayName))
            .OrderBy(g => g.DisplayName).ThenBy(g => g.GraphId).ToListAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<DirectoryRoleDefinition>> ListRoleDefinitionsAsync(Guid tenantId, bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.RoleDefinitions.AsNoTracking()
            .Where(r => r.TenantId == tenantId && (includeDeleted || !r.IsDeleted))
            .OrderByDescending(r => r.IsBuiltIn).ThenBy(r => r.DisplayName).ThenBy(r => r.GraphId)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DirectoryRoleDefinition(r.GraphId, r.DisplayName, r.Description, r.IsBuiltIn, r.IsDeleted, r.UpdatedAt))];
    }

    public async Task<IReadOnlyDictionary<string, DirectoryLabel>> GetRoleDefinitionLabelsAsync(Guid tenantId, IEnumerable<string> roleDefinitionIds, CancellationToken cancellationToken = default)
    {
        var ids = roleDefinitionIds.Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, DirectoryLabel>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.RoleDefinitions.AsNoTracking().Where(r => r.TenantId == tenantId && ids.Contains(r.GraphId))
            .Select(r => new { r.GraphId, r.DisplayName, r.IsDeleted }).ToDictionaryAsync(r => r.GraphId, StringComparer.Ordinal, cancellationToken);
        return ids.ToDictionary(
            id => id,
            id => known.TryGetValue(id, out var r)
                ? new DirectoryLabel(id, r.IsDeleted ? $"{r.DisplayName} (deleted)" : r.DisplayName, Known: true, IsDeleted: r.IsDeleted)
                : new DirectoryLabel(id, DirectoryLabels.UnknownRoleDefinition(id), Known: false, IsDeleted: false),
            StringComparer.Ordinal);
    }

    public async Task<DirectoryStatus> GetStatusAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var groups = await db.Groups.AsNoTracking().Where(g => g.TenantId == tenantId)
            .GroupBy(_ => 1)
            .Select(g => new { Live = g.LongCount(x => x.DeletedAt == null), Deleted = g.LongCount(x => x.DeletedAt != null) })
            .FirstOrDefaultAsync(cancellationToken);
        var roles = await db.RoleDefinitions.AsNoTracking().LongCountAsync(r => r.TenantId == tenantId && !r.IsDeleted, cancellationToken);
        var state = await db.SyncStates.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        return new DirectoryStatus(
            groups?.Live ?? 0,
            groups?.Deleted ?? 0,
            state?.GroupsSyncedAt,
            state?.GroupsRunId,
            roles,
            state?.RoleDefinitionsSyncedAt,
            state?.RoleDefinitionsRunId);
    }

    public async Task<TenantDirectorySettings> GetSettingsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        return row is null
            ? TenantDirectorySettings.Empty
            : new TenantDirectorySettings([.. row.ProtectedGroupIds], row.DelegatedAdminRoleDefinitionId) { UpdatedAt = row.UpdatedAt, UpdatedBy = row.UpdatedBy };
    }

    private static string Escape(string term) => term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static List<DirectoryGroup> Map(IEnumerable<CachedGroup> rows) =>
        [.. rows.Select(g => new DirectoryGroup(g.GraphId, g.DisplayName, g.Description, g.Mail, g.SecurityEnabled, g.MailEnabled, g.GroupTypes, g.LastSeenAt, g.UpdatedAt, g.DeletedAt))];
}
