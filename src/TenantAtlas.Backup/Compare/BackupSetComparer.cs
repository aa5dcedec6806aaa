using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Sets;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Inventory.Contracts;

namespace TenantAtlas.Backup.Compare;

/// <summary>What one item of a comparison is. The first four are the diff engine's; the last two are the page's own.</summary>
internal enum CompareKind
{
    Changed,
    Added,
    Removed,
    Identical,

    /// <summary>A stored item whose JSON is not an object (content) or an array (assignments): shown, never diffed.</summary>
    CannotCompare,

    /// <summary>Against the current state: the inventory saw it after the latest backup, which does not hold it — no content to diff.</summary>
    NotBackedUp,
}

internal sealed record ComparedItem(string Family, string GraphId, string DisplayName, CompareKind Kind, ObjectDiff Content, AssignmentDiff Assignments, string? Note = null);

/// <summary>Where the current state of one policy family comes from: the tenant's newest set that backs it up.</summary>
internal sealed record FamilySource(string Family, BackupSetView Set);

/// <summary>
/// Two sides of a comparison: <see cref="Before"/> is the older set; <see cref="After"/> the newer one, or null when the
/// newer side is the tenant's current state (<see cref="CurrentSources"/>, completed by the inventory).
/// </summary>
internal sealed record BackupComparison(
    BackupSetView Before,
    BackupSetView? After,
    IReadOnlyList<FamilySource> CurrentSources,
    IReadOnlyList<string> Families,
    IReadOnlyList<string> NotCompared,
    IReadOnlyList<ComparedItem> Items)
{
    public bool AgainstCurrent => After is null;

    public int Count(CompareKind kind) => Items.Count(i => i.Kind == kind);
}

internal enum CompareRefusal
{
    None,

    /// <summary><c>with</c> is neither a set id nor <c>current</c>.</summary>
    BadWith,

    /// <summary><c>with</c> names the set itself.</summary>
    SameSet,

    /// <summary><c>with</c> names no set of this tenant: unknown, another tenant's or another workspace's — one answer for all three.</summary>
    OtherSetNotFound,

    /// <summary>No older set of the tenant backs up any of this set's policy types.</summary>
    NoPrevious,
}

internal sealed record CompareResult(CompareRefusal Refusal, BackupComparison? Comparison = null);

/// <summary>
/// Compares a backup set with another set of its tenant, its previous set, or the tenant's current state, with the
/// Graph module's diff engine (<see cref="GraphObjectDiff.CompareItems"/>). Database only. The caller decided access to
/// the set's tenant; the other side is only ever a set of that same tenant (never a cross-tenant compare).
/// Only the policy types both sides back up are compared (a set of another schedule would otherwise look like every
/// policy was added or removed).
/// </summary>
internal sealed class BackupSetComparer(IDbContextFactory<BackupDbContext> dbFactory, BackupSetQueries sets, IInventoryQueries inventory)
{
    public const string Current = "current";

    /// <summary>How many inventory rows one page of the inventory query returns (its maximum).</summary>
    private const int InventoryPage = 200;

    public async Task<CompareResult> CompareAsync(BackupSetView set, string? with, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (string.Equals(with?.Trim(), Current, StringComparison.OrdinalIgnoreCase))
        {
            return new CompareResult(CompareRefusal.None, await CompareWithCurrentAsync(set, cancellationToken));
        }

        BackupSetView? other;
        if (string.IsNullOrWhiteSpace(with) || string.Equals(with.Trim(), "previous", StringComparison.OrdinalIgnoreCase))
        {
            other = await FindPreviousAsync(set, cancellationToken);
            if (other is null)
            {
                return new CompareResult(CompareRefusal.NoPrevious);
            }
        }
        else if (!Guid.TryParse(with.Trim(), out var otherId))
        {
            return new CompareResult(CompareRefusal.BadWith);
        }
        else if (otherId == set.Id)
        {
            return new CompareResult(CompareRefusal.SameSet);
        }
        else
        {
            other = await sets.FindAsync(otherId, cancellationToken);
            // Another tenant's set is refused like an unknown id: the page never says whether it exists.
            if (other is null || other.TenantId != set.TenantId || other.WorkspaceId != set.WorkspaceId)
            {
                return new CompareResult(CompareRefusal.OtherSetNotFound);
            }
        }

        var (before, after) = other.CreatedAt <= set.CreatedAt ? (other, set) : (set, other);
        var families = before.Families.Intersect(after.Families, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var notCompared = before.Families.Union(after.Families, StringComparer.Ordinal).Except(families, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var beforeItems = await LoadItemsAsync(db, before.Id, families, cancellationToken);
        var afterItems = await LoadItemsAsync(db, after.Id, families, cancellationToken);
        return new CompareResult(CompareRefusal.None, new BackupComparison(before, after, [], families, notCompared, Diff(beforeItems, afterItems)));
    }

    /// <summary>The newest older set of the same tenant that backs up at least one of the same policy types, or null.</summary>
    public async Task<BackupSetView?> FindPreviousAsync(BackupSetView set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var families = set.Families.ToList();
        var id = await db.Sets.AsNoTracking()
            .Where(s => s.TenantId == set.TenantId && s.Id != set.Id && s.CreatedAt < set.CreatedAt && s.Families.Any(f => families.Contains(f)))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => (Guid?)s.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return id is { } previous ? await sets.FindAsync(previous, cancellationToken) : null;
    }

    /// <summary>
    /// This set against the current state: per policy type the tenant's newest set that backs it up (possibly this one),
    /// then the inventory: a backed-up policy the inventory saw deleted after that backup counts as removed; a policy the
    /// inventory saw after that backup but the backup does not hold is listed as not yet backed up (no content to diff).
    /// </summary>
    private async Task<BackupComparison> CompareWithCurrentAsync(BackupSetView set, CancellationToken cancellationToken)
    {
        var families = set.Families.Order(StringComparer.Ordinal).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sources = new List<FamilySource>();
        foreach (var family in families)
        {
            var newest = await db.Sets.AsNoTracking()
                .Where(s => s.TenantId == set.TenantId && s.Families.Contains(family))
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
                .Select(s => s.Id)
                .FirstAsync(cancellationToken);
            var source = newest == set.Id ? set : sources.FirstOrDefault(s => s.Set.Id == newest)?.Set ?? await sets.FindAsync(newest, cancellationToken);
            sources.Add(new FamilySource(family, source ?? set));
        }

        var beforeItems = await LoadItemsAsync(db, set.Id, families, cancellationToken);
        var currentItems = new List<StoredItem>();
        foreach (var group in sources.GroupBy(s => s.Set.Id))
        {
            currentItems.AddRange(await LoadItemsAsync(db, group.Key, [.. group.Select(s => s.Family)], cancellationToken));
        }

        var takenAt = sources.ToDictionary(s => s.Family, s => s.Set.CreatedAt, StringComparer.Ordinal);
        var seen = await InventoryAsync(set.TenantId, families, cancellationToken);

        // Deleted from the tenant since its latest backup: not part of the current state.
        var deleted = new Dictionary<(string, string), DateTimeOffset>();
        currentItems.RemoveAll(i =>
        {
            if (seen.TryGetValue(Key(i.Family, i.GraphId), out var row) && row.DeletedAt is { } at && at > takenAt[i.Family])
            {
                deleted[Key(i.Family, i.GraphId)] = at;
                return true;
            }

            return false;
        });

        var currentKeys = currentItems.Select(i => Key(i.Family, i.GraphId)).ToHashSet();
        var notBackedUp = seen.Values
            .Where(r => r.DeletedAt is null && r.LastSeenAt > takenAt[r.Family] && !currentKeys.Contains(Key(r.Family, r.GraphId)))
            .ToDictionary(r => Key(r.Family, r.GraphId));

        var items = new List<ComparedItem>();
        foreach (var item in Diff(beforeItems, currentItems))
        {
            var key = Key(item.Family, item.GraphId);
            if (item.Kind == CompareKind.Removed && notBackedUp.Remove(key, out var live))
            {
                items.Add(NotBackedUp(live));
            }
            else if (item.Kind == CompareKind.Removed && deleted.TryGetValue(key, out var at))
            {
                items.Add(item with { Note = $"Deleted from the tenant after its latest backup (the inventory saw it gone {at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)." });
            }
            else
            {
                items.Add(item);
            }
        }

        items.AddRange(notBackedUp.Values.Select(NotBackedUp));
        return new BackupComparison(set, null, sources, families, [], Order(items));
    }

    private static ComparedItem NotBackedUp(InventoryItemView row) =>
        new(row.Family, row.GraphId, row.DisplayName, CompareKind.NotBackedUp, ObjectDiff.Identical, AssignmentDiff.Identical,
            $"In the inventory (last seen {row.LastSeenAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC), not yet backed up: no content to compare.");

    /// <summary>The tenant's inventory rows (live and deleted) of these families, by family and id, from the database.</summary>
    private async Task<Dictionary<(string, string), InventoryItemView>> InventoryAsync(Guid tenantId, IReadOnlyList<string> families, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<(string, string), InventoryItemView>();
        foreach (var family in families)
        {
            for (var skip = 0; ; skip += InventoryPage)
            {
                var page = await inventory.SearchAsync(new InventorySearch(tenantId, Family: family, IncludeDeleted: true, Skip: skip, Take: InventoryPage), cancellationToken);
                foreach (var row in page.Items)
                {
                    rows.TryAdd(Key(row.Family, row.GraphId), row);
                }

                if (page.Items.Count < InventoryPage || skip + page.Items.Count >= page.Total)
                {
                    break;
                }
            }
        }

        return rows;
    }

    private sealed record StoredItem(string Family, string GraphId, string DisplayName, string Content, string Assignments, string ProtectedValues);

    private static Task<List<StoredItem>> LoadItemsAsync(BackupDbContext db, Guid setId, IReadOnlyList<string> families, CancellationToken cancellationToken) =>
        db.Items.AsNoTracking()
            .Where(i => i.BackupSetId == setId && families.Contains(i.Family))
            .OrderBy(i => i.Family).ThenBy(i => i.DisplayName).ThenBy(i => i.Id)
            .Select(i => new StoredItem(i.Family, i.GraphId, i.DisplayName, i.Content, i.Assignments, i.ProtectedValues))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The diff engine over the items both sides could parse; an item stored as anything but a JSON object (and its
    /// assignments as anything but an array) is listed as "cannot compare" with the reason, never a failed page.
    /// </summary>
    private static List<ComparedItem> Diff(IReadOnlyList<StoredItem> before, IReadOnlyList<StoredItem> after)
    {
        var left = before.Select(Parse).ToList();
        var right = after.Select(Parse).ToList();
        var broken = new Dictionary<(string, string), ComparedItem>();
        foreach (var (stored, _, problem) in left.Concat(right).Where(p => p.Problem is not null))
        {
            broken.TryAdd(Key(stored.Family, stored.GraphId),
                new ComparedItem(stored.Family, stored.GraphId, stored.DisplayName, CompareKind.CannotCompare, ObjectDiff.Identical, AssignmentDiff.Identical, problem));
        }

        bool Usable((StoredItem Stored, DiffItem? Item, string? Problem) p) => p.Item is not null && !broken.ContainsKey(Key(p.Stored.Family, p.Stored.GraphId));
        var diffs = GraphObjectDiff.CompareItems(left.Where(Usable).Select(p => p.Item!), right.Where(Usable).Select(p => p.Item!));
        var items = diffs.Select(d => new ComparedItem(d.ResourceKey, d.Id, d.DisplayName, d.Kind switch
        {
            ItemChangeKind.Changed => CompareKind.Changed,
            ItemChangeKind.Added => CompareKind.Added,
            ItemChangeKind.Removed => CompareKind.Removed,
            _ => CompareKind.Identical,
        }, d.Content, d.Assignments)).ToList();
        items.AddRange(broken.Values);
        return Order(items);
    }

    private static List<ComparedItem> Order(List<ComparedItem> items) =>
        [.. items.OrderBy(i => i.Family, StringComparer.Ordinal).ThenBy(i => i.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.GraphId, StringComparer.Ordinal)];

    private static (string StoredFamily, string Id) Key(string family, string graphId) => (family, graphId.ToLowerInvariant());

    private static (StoredItem Stored, DiffItem? Item, string? Problem) Parse(StoredItem stored)
    {
        JsonNode? content;
        JsonNode? assignments;
        try
        {
            content = JsonNode.Parse(stored.Content);
            assignments = JsonNode.Parse(stored.Assignments);
        }
        catch (JsonException)
        {
            return (stored, null, "Cannot compare: the stored JSON of this item cannot be read.");
        }

        if (content is not JsonObject body)
        {
            return (stored, null, "Cannot compare: the stored policy is not a JSON object.");
        }

        if (assignments is not JsonArray list)
        {
            return (stored, null, "Cannot compare: the stored assignments are not a JSON list.");
        }

        ProtectedValues.Mask(body, stored.ProtectedValues);
        return (stored, new DiffItem(stored.Family, stored.GraphId, stored.DisplayName, body, list), null);
    }
}
