namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// A collection of child objects stored below each item of a family (notification templates' localized messages, Windows
/// Information Protection's AppLocker files, a policy set's items): served when expanded or read below the item, never
/// taken inside the item's own create or update body, and written as Graph lets each one be written.
/// </summary>
/// <param name="Navigation">The navigation below the item.</param>
/// <param name="Types">The child types it takes (the first is written when a body names none).</param>
internal sealed record ChildCollectionDefinition(string Navigation, IReadOnlyList<string> Types)
{
    /// <summary>Children are created with POST and deleted with DELETE below the item; otherwise only through the family's own action.</summary>
    public bool WrittenBelow { get; init; }

    /// <summary>A child is changed with PATCH below the item (localized messages).</summary>
    public bool UpdatedBelow { get; init; }

    /// <summary>A property each child needs and no two children of an item share, case aside (a template's one message per locale), or null.</summary>
    public string? UniqueKey { get; init; }
}
