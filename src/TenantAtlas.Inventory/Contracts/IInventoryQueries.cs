namespace TenantAtlas.Inventory.Contracts;

/// <summary>
/// What other modules may read of a tenant's inventory (from the database only; never Graph). Callers decide access
/// themselves (the inventory page asks the access service for <c>tenant.view</c> first).
/// </summary>
public interface IInventoryQueries
{
    /// <summary>Live (not deleted) items per policy family, and deleted ones kept for history; families without items are omitted.</summary>
    Task<IReadOnlyList<InventoryFamilyCount>> CountsByFamilyAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>One page of a tenant's items, filtered and ordered by name (then family, id).</summary>
    Task<InventorySearchResult> SearchAsync(InventorySearch search, CancellationToken cancellationToken = default);

    /// <summary>The platforms that occur among a tenant's live items, for the filter.</summary>
    Task<IReadOnlyList<string>> PlatformsAsync(Guid tenantId, CancellationToken cancellationToken = default);
}

public sealed record InventoryFamilyCount(string Family, long Items, long Deleted);

/// <param name="Text">Part of the display name (case-insensitive); null or blank for all.</param>
/// <param name="Family">A registry key (<c>GraphResourceKeys</c>), or null for every family.</param>
/// <param name="Platform">Windows, macOS, iOS, Android…, or null for every platform.</param>
public sealed record InventorySearch(Guid TenantId, string? Text = null, string? Family = null, string? Platform = null, bool IncludeDeleted = false, int Skip = 0, int Take = 50)
{
    /// <summary>The order of the results; name (A–Z) unless set. Ties are broken by name, then by id, so paging is stable.</summary>
    public InventorySort Sort { get; init; } = InventorySort.Name;

    public bool Descending { get; init; }

    /// <summary>
    /// Only these registry keys (a family group's, from <c>IGraphContracts.PolicyFamilyGroups</c>), on top of
    /// <see cref="Family"/>; null for every family, empty for none.
    /// </summary>
    public IReadOnlyList<string>? Families { get; init; }
}

/// <summary>The columns the inventory can be ordered by (the page's sortable columns; <c>?sort=modified&amp;desc=1</c>).</summary>
public enum InventorySort
{
    Name,
    PolicyType,
    Platform,
    Assignments,
    LastModified,
    FirstSeen,
}

public sealed record InventorySearchResult(IReadOnlyList<InventoryItemView> Items, long Total);

public sealed record InventoryItemView(
    string Family,
    string GraphId,
    string DisplayName,
    string? ODataType,
    string? Platform,
    DateTimeOffset? LastModifiedAt,
    string? Version,
    int? AssignmentCount,
    string ContentHash,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? DeletedAt);
