using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>The tenant-specific ids an object and its assignments refer to — what a cross-tenant restore must map.</summary>
public sealed record GraphReferenceSet(IReadOnlySet<string> GroupIds, IReadOnlySet<string> FilterIds, IReadOnlySet<string> ScopeTagIds)
{
    public bool IsEmpty => GroupIds.Count == 0 && FilterIds.Count == 0 && ScopeTagIds.Count == 0;
}

/// <summary>
/// Source-tenant id → target-tenant id, per kind of reference. An id missing from a map is left as it is (same-tenant
/// restore, the built-in scope tag <c>0</c>); ids are matched case-insensitively.
/// </summary>
public sealed record ReferenceMap(
    IReadOnlyDictionary<string, string> GroupIds,
    IReadOnlyDictionary<string, string> FilterIds,
    IReadOnlyDictionary<string, string> ScopeTagIds)
{
    public static ReferenceMap None { get; } = new(
        new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>());
}

/// <summary>Finds and rewrites the references of an object (<c>roleScopeTagIds</c>) and of its assignments (<c>target.groupId</c>, filter id).</summary>
public static class GraphReferences
{
    /// <summary>Every group, assignment filter and scope tag id of <paramref name="content"/> and <paramref name="assignments"/>.</summary>
    public static GraphReferenceSet Collect(JsonObject? content, JsonArray? assignments)
    {
        var groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var filters = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var scopeTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in (content?["roleScopeTagIds"] as JsonArray ?? []).Select(JsonValues.Text).OfType<string>())
        {
            scopeTags.Add(tag);
        }

        foreach (var target in (assignments ?? []).OfType<JsonObject>().Select(AssignmentTarget.From))
        {
            if (target.GroupId is { } group)
            {
                groups.Add(group);
            }

            if (target.FilterId is { } filter)
            {
                filters.Add(filter);
            }
        }

        return new GraphReferenceSet(groups, filters, scopeTags);
    }

    /// <summary>A copy of <paramref name="content"/> with its <c>roleScopeTagIds</c> mapped.</summary>
    public static JsonObject Rewrite(JsonObject content, ReferenceMap map)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(map);
        var copy = (JsonObject)content.DeepClone();
        if (copy["roleScopeTagIds"] is JsonArray tags)
        {
            copy["roleScopeTagIds"] = new JsonArray([.. tags.Select(t => (JsonNode?)Mapped(JsonValues.Text(t), map.ScopeTagIds) ?? t?.DeepClone())]);
        }

        return copy;
    }

    /// <summary>A copy of <paramref name="assignments"/> with each target's group id and filter id mapped.</summary>
    public static JsonArray RewriteAssignments(JsonArray assignments, ReferenceMap map)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(map);
        var copy = (JsonArray)assignments.DeepClone();
        foreach (var target in copy.OfType<JsonObject>().Select(a => a["target"]).OfType<JsonObject>())
        {
            if (Mapped(JsonValues.Text(target["groupId"]), map.GroupIds) is { } group)
            {
                target["groupId"] = group;
            }

            if (Mapped(JsonValues.Text(target["deviceAndAppManagementAssignmentFilterId"]), map.FilterIds) is { } filter)
            {
                target["deviceAndAppManagementAssignmentFilterId"] = filter;
            }
        }

        return copy;
    }

    private static string? Mapped(string? id, IReadOnlyDictionary<string, string> map)
    {
        if (id is null)
        {
            return null;
        }

        if (map.TryGetValue(id, out var mapped))
        {
            return mapped;
        }

        return map.FirstOrDefault(p => string.Equals(p.Key, id, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
