using Microsoft.EntityFrameworkCore;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Inventory.Data;

namespace TenantAtlas.Inventory.Queries;

/// <summary>Reads of the inventory, from the database only.</summary>
internal sealed class InventoryQueries(IDbContextFactory<InventoryDbContext> dbFactory) : IInventoryQueries
{
    public const int MaxTake = 200;

    public async Task<IReadOnlyList<InventoryFamilyCount>> CountsByFamilyAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Items.AsNoTracking()
            .Where(i => i.TenantId == tenantId)
            .GroupBy(i => i.Family)
            .OrderBy(g => g.Key)
            .Select(g => new InventoryFamilyCount(g.Key, g.LongCount(i => i.DeletedAt == null), g.LongCount(i => i.DeletedAt != null)))
            .ToListAsync(cancellationToken);
    }

    public async Task<InventorySearchResult> SearchAsync(InventorySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Items.AsNoTracking().Where(i => i.TenantId == search.TenantId);
        if (!search.IncludeDeleted)
        {
            query = query.Where(i => i.DeletedAt == null);
        }

        if (!string.IsNullOrWhiteSpace(search.Family))
        {
            query = query.Where(i => i.Family == search.Family);
        }

        if (search.Families is { } families)
        {
            var keys = families.ToArray();
            query = query.Where(i => keys.Contains(i.Family));
        }

        if (!string.IsNullOrWhiteSpace(search.Platform))
        {
            query = query.Where(i => i.Platform == search.Platform);
        }

        if (!string.IsNullOrWhiteSpace(search.Text))
        {
            var pattern = "%" + EscapeLike(search.Text.Trim()) + "%";
            query = query.Where(i => EF.Functions.ILike(i.DisplayName, pattern, "\\"));
        }

        var total = await query.LongCountAsync(cancellationToken);
        var items = await Order(query, search.Sort, search.Descending)
            .Skip(Math.Max(0, search.Skip))
            .Take(Math.Clamp(search.Take, 1, MaxTake))
            .Select(i => new InventoryItemView(
                i.Family, i.GraphId, i.DisplayName, i.ODataType, i.Platform, i.LastModifiedAt, i.Version, i.AssignmentCount, i.ContentHash,
                i.FirstSeenAt, i.LastSeenAt, i.DeletedAt))
            .ToListAsync(cancellationToken);
        return new InventorySearchResult(items, total);
    }

    public async Task<IReadOnlyList<string>> PlatformsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Items.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.DeletedAt == null && i.Platform != null)
            .Select(i => i.Platform!)
            .Distinct()
            .OrderBy(p => p)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Server-side order over the whole result (not just the page shown); name and id break ties so pages never overlap.</summary>
    private static IQueryable<InventoryItem> Order(IQueryable<InventoryItem> query, InventorySort sort, bool descending)
    {
        var ordered = (sort, descending) switch
        {
            (InventorySort.PolicyType, false) => query.OrderBy(i => i.Family),
            (InventorySort.PolicyType, true) => query.OrderByDescending(i => i.Family),
            (InventorySort.Platform, false) => query.OrderBy(i => i.Platform == null).ThenBy(i => i.Platform),
            (InventorySort.Platform, true) => query.OrderBy(i => i.Platform == null).ThenByDescending(i => i.Platform),
            (InventorySort.Assignments, false) => query.OrderBy(i => i.AssignmentCount == null).ThenBy(i => i.AssignmentCount),
            (InventorySort.Assignments, true) => query.OrderBy(i => i.AssignmentCount == null).ThenByDescending(i => i.AssignmentCount),
            (InventorySort.LastModified, false) => query.OrderBy(i => i.LastModifiedAt == null).ThenBy(i => i.LastModifiedAt),
            (InventorySort.LastModified, true) => query.OrderBy(i => i.LastModifiedAt == null).ThenByDescending(i => i.LastModifiedAt),
            (InventorySort.FirstSeen, false) => query.OrderBy(i => i.FirstSeenAt),
            (InventorySort.FirstSeen, true) => query.OrderByDescending(i => i.FirstSeenAt),
            (_, false) => query.OrderBy(i => i.DisplayName),
            (_, true) => query.OrderByDescending(i => i.DisplayName),
        };
        return sort == InventorySort.Name
            ? ordered.ThenBy(i => i.Family).ThenBy(i => i.Id)
            : ordered.ThenBy(i => i.DisplayName).ThenBy(i => i.Id);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
