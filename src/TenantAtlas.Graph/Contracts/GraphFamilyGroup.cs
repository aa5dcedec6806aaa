namespace TenantAtlas.Graph.Contracts;

/// <summary>
/// How pickers and filters group the policy families, in display order (the order of the members is the order people see).
/// A property of each family's contract: a family added to the registry declares its group, and pages never keep their
/// own family lists.
/// </summary>
public enum GraphFamilyGroup
{
    Configuration,
    Compliance,
    EndpointSecurity,
    Apps,
    Enrollment,
    Updates,
    Scripts,
    TenantWide,
    Entra,
}

/// <summary>A group with its policy families (registry order), for pickers and the inventory's group filter.</summary>
public sealed record GraphFamilyGroupInfo(GraphFamilyGroup Group, IReadOnlyList<GraphResourceInfo> Families)
{
    public string Label => Group.Label();

    /// <summary>The group in a URL (<c>?group=endpoint-security</c>).</summary>
    public string Key => Group.Key();
}

/// <summary>Labels and URL keys of <see cref="GraphFamilyGroup"/>.</summary>
public static class GraphFamilyGroups
{
    /// <summary>Every group in display order.</summary>
    public static IReadOnlyList<GraphFamilyGroup> InOrder { get; } = Enum.GetValues<GraphFamilyGroup>();

    public static string Label(this GraphFamilyGroup group) =>
        group switch
        {
            GraphFamilyGroup.Configuration => "Configuration",
            GraphFamilyGroup.Compliance => "Compliance",
            GraphFamilyGroup.EndpointSecurity => "Endpoint security",
            GraphFamilyGroup.Apps => "Apps",
            GraphFamilyGroup.Enrollment => "Enrollment",
            GraphFamilyGroup.Updates => "Updates",
            GraphFamilyGroup.Scripts => "Scripts",
            GraphFamilyGroup.TenantWide => "Tenant-wide",
            GraphFamilyGroup.Entra => "Entra",
            _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Not a family group."),
        };

    /// <summary>The label in lower case with dashes: <c>endpoint-security</c>, <c>tenant-wide</c>.</summary>
    public static string Key(this GraphFamilyGroup group) =>
        group.Label().Replace(' ', '-').ToLowerInvariant();

    /// <summary>The group a URL key names (case-insensitive, surrounding blanks ignored); false for anything else.</summary>
    public static bool TryParse(string? key, out GraphFamilyGroup group)
    {
        var trimmed = key?.Trim();
        foreach (var candidate in InOrder)
        {
            if (string.Equals(candidate.Key(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                group = candidate;
                return true;
            }
        }

        group = default;
        return false;
    }
}
