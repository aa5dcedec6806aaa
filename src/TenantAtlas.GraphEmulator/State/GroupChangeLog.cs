namespace TenantAtlas.GraphEmulator.State;

internal enum GroupChangeKind
{
    Upserted,

    /// <summary>Deleted into the recycle bin: delta reports reason "changed".</summary>
    SoftDeleted,

    /// <summary>Gone for good: delta reports reason "deleted".</summary>
    HardDeleted,
}

internal readonly record struct GroupChange(long Version, string Id, GroupChangeKind Kind);

/// <summary>Every change to a tenant's groups, numbered, so a delta token is just "changes after version N".</summary>
internal sealed class GroupChangeLog
{
    private readonly List<GroupChange> changes = [];

    public long CurrentVersion { get; private set; }

    public void Record(string id, GroupChangeKind kind)
    {
        CurrentVersion++;
        changes.Add(new GroupChange(CurrentVersion, id, kind));
    }

    /// <summary>The last change of each group in (from, to], sorted by group id.</summary>
    public IReadOnlyList<GroupChange> LatestChangesBetween(long fromExclusive, long toInclusive)
    {
        var start = changes.BinarySearch(new GroupChange(fromExclusive, "", GroupChangeKind.Upserted), VersionComparer.Instance);
        start = start < 0 ? ~start : start + 1;
        var latest = new Dictionary<string, GroupChange>(StringComparer.OrdinalIgnoreCase);
        for (var i = start; i < changes.Count && changes[i].Version <= toInclusive; i++)
        {
            latest[changes[i].Id] = changes[i];
        }

        return latest.Values.OrderBy(c => c.Id, IdComparer.Instance).ToList();
    }

    private sealed class VersionComparer : IComparer<GroupChange>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(GroupChange x, GroupChange y) => x.Version.CompareTo(y.Version);
    }
}
