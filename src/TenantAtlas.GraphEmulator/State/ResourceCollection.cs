namespace TenantAtlas.GraphEmulator.State;

/// <summary>
/// The objects of one family in one tenant, kept in key order so pages are found by binary search
/// (keyset paging survives inserts and deletes between pages, like Graph's opaque skip tokens).
/// Not thread-safe: the owning tenant's lock guards it.
/// </summary>
internal sealed class ResourceCollection
{
    private readonly List<string> order = [];
    private readonly Dictionary<string, StoredResource> items = new(StringComparer.OrdinalIgnoreCase);

    public int Count => items.Count;

    public IEnumerable<StoredResource> All => order.Select(id => items[id]);

    public StoredResource? Find(string id) => items.GetValueOrDefault(id);

    public void Add(StoredResource resource)
    {
        if (items.ContainsKey(resource.Id))
        {
            throw new InvalidOperationException($"An object with id '{resource.Id}' already exists.");
        }

        var index = order.BinarySearch(resource.Id, IdComparer.Instance);
        order.Insert(index < 0 ? ~index : index, resource.Id);
        items[resource.Id] = resource;
    }

    /// <summary>Adds many at once and sorts once (seeding thousands of objects).</summary>
    public void AddRange(IEnumerable<StoredResource> resources)
    {
        foreach (var resource in resources)
        {
            items.Add(resource.Id, resource);
            order.Add(resource.Id);
        }

        order.Sort(IdComparer.Instance);
    }

    public bool Remove(string id)
    {
        if (!items.Remove(id, out var removed))
        {
            return false;
        }

        var index = order.BinarySearch(removed.Id, IdComparer.Instance);
        order.RemoveAt(index);
        return true;
    }

    /// <summary>Objects whose key sorts after <paramref name="afterKey"/> (all when null), in key order.</summary>
    public IEnumerable<StoredResource> After(string? afterKey)
    {
        var start = 0;
        if (afterKey is not null)
        {
            var index = order.BinarySearch(afterKey, IdComparer.Instance);
            start = index < 0 ? ~index : index + 1;
        }

        for (var i = start; i < order.Count; i++)
        {
            yield return items[order[i]];
        }
    }

    public string NextSequentialId()
    {
        var max = -1L;
        foreach (var id in order)
        {
            if (long.TryParse(id, out var value) && value > max)
            {
                max = value;
            }
        }

        return (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Numbers in numeric order ("0", "1", "10"), everything else ordinal and case-insensitive.</summary>
internal sealed class IdComparer : IComparer<string>
{
    public static readonly IdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        if (IsNumber(x) && IsNumber(y))
        {
            var byLength = x.Length.CompareTo(y.Length);
            return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
        }

        return StringComparer.OrdinalIgnoreCase.Compare(x, y);
    }

    private static bool IsNumber(string value) => value.Length is > 0 and < 19 && value.All(char.IsAsciiDigit) && (value.Length == 1 || value[0] != '0');
}
