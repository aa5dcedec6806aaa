using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>
/// The tenant-specific ids an object and its assignments refer to — what a cross-tenant restore must map: groups, assignment
/// filters and scope tags, the notification templates of compliance actions and the reusable settings settings catalog
/// values name.
/// </summary>
public sealed record GraphReferenceSet(IReadOnlySet<string> GroupIds, IReadOnlySet<string> FilterIds, IReadOnlySet<string> ScopeTagIds)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>notificationTemplateId</c>s of the compliance actions (never the zero GUID, which means "no template").</summary>
    public IReadOnlySet<string> NotificationTemplateIds { get; init; } = None;

    /// <summary>The ids of reusable settings (<c>reusablePolicySettings</c>) named by settings catalog reference values.</summary>
    public IReadOnlySet<string> ReusableSettingIds { get; init; } = None;

    public bool IsEmpty => GroupIds.Count == 0 && FilterIds.Count == 0 && ScopeTagIds.Count == 0
        && NotificationTemplateIds.Count == 0 && ReusableSettingIds.Count == 0;
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
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static ReferenceMap None { get; } = new(Empty, Empty, Empty);

    public IReadOnlyDictionary<string, string> NotificationTemplateIds { get; init; } = Empty;

    public IReadOnlyDictionary<string, string> ReusableSettingIds { get; init; } = Empty;
}

/// <summary>
/// Finds and rewrites the references of an object (<c>roleScopeTagIds</c>; compliance actions'
/// <c>scheduledActionsForRule[].scheduledActionConfigurations[].notificationTemplateId</c>; settings catalog reference
/// values anywhere under <c>settings</c>) and of its assignments (<c>target.groupId</c>, filter id).
/// </summary>
public static class GraphReferences
{
    /// <summary>What Intune writes in <c>notificationTemplateId</c> for an action without a template: never a reference.</summary>
    public const string NoNotificationTemplate = "00000000-0000-0000-0000-000000000000";

    /// <summary>
    /// The <c>@odata.type</c> of a settings catalog value that names a reusable setting by id in its <c>value</c> (Graph beta
    /// <c>deviceManagementConfigurationReferenceSettingValue</c>, a string setting value with a <c>note</c>; Defender device
    /// control and firewall rules hold them in <c>simpleSettingCollectionValue</c> arrays).
    /// </summary>
    public const string ReferenceSettingValueType = "#microsoft.graph.deviceManagementConfigurationReferenceSettingValue";

    /// <summary>Every reference of <paramref name="content"/> and <paramref name="assignments"/>.</summary>
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

        var templates = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var action in ActionConfigurations(content))
        {
            if (NotificationTemplateOf(action) is { } template)
            {
                templates.Add(template);
            }
        }

        var reusable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in ReferenceValues(content?["settings"]))
        {
            if (JsonValues.Text(value["value"]) is { Length: > 0 } id)
            {
                reusable.Add(id);
            }
        }

        return new GraphReferenceSet(groups, filters, scopeTags) { NotificationTemplateIds = templates, ReusableSettingIds = reusable };
    }

    /// <summary>A copy of <paramref name="content"/> with its scope tags, notification templates and reusable settings mapped.</summary>
    public static JsonObject Rewrite(JsonObject content, ReferenceMap map)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(map);
        var copy = (JsonObject)content.DeepClone();
        if (copy["roleScopeTagIds"] is JsonArray tags)
        {
            copy["roleScopeTagIds"] = new JsonArray([.. tags.Select(t => (JsonNode?)Mapped(JsonValues.Text(t), map.ScopeTagIds) ?? t?.DeepClone())]);
        }

        foreach (var action in ActionConfigurations(copy))
        {
            if (Mapped(NotificationTemplateOf(action), map.NotificationTemplateIds) is { } template)
            {
                action["notificationTemplateId"] = template;
            }
        }

        foreach (var value in ReferenceValues(copy["settings"]))
        {
            if (Mapped(JsonValues.Text(value["value"]), map.ReusableSettingIds) is { } reusable)
            {
                value["value"] = reusable;
            }
        }

        return copy;
    }

    /// <summary>
    /// A copy of <paramref name="content"/> without what names a dropped reference: a compliance notification action naming a
    /// dropped template is removed (another kind of action naming it keeps its place with no template); a reference value
    /// naming a dropped reusable setting is removed from its collection — a lone one takes its top-level setting with it,
    /// since a setting without its value cannot be written. Nothing else changes.
    /// </summary>
    public static JsonObject WithoutDropped(JsonObject content, IReadOnlySet<string> notificationTemplateIds, IReadOnlySet<string> reusableSettingIds)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(notificationTemplateIds);
        ArgumentNullException.ThrowIfNull(reusableSettingIds);
        var copy = (JsonObject)content.DeepClone();
        if (notificationTemplateIds.Count > 0 && copy["scheduledActionsForRule"] is JsonArray rules)
        {
            foreach (var configurations in rules.OfType<JsonObject>().Select(r => r["scheduledActionConfigurations"]).OfType<JsonArray>())
            {
                foreach (var action in configurations.OfType<JsonObject>().ToList())
                {
                    if (NotificationTemplateOf(action) is not { } template || !Contains(notificationTemplateIds, template))
                    {
                        continue;
                    }

                    if (string.Equals(JsonValues.Text(action["actionType"]), "notification", StringComparison.OrdinalIgnoreCase))
                    {
                        configurations.Remove(action);
                    }
                    else
                    {
                        action["notificationTemplateId"] = NoNotificationTemplate;
                    }
                }
            }
        }

        if (reusableSettingIds.Count > 0 && copy["settings"] is JsonArray settings)
        {
            foreach (var setting in settings.ToList())
            {
                if (RemoveDroppedValues(setting, reusableSettingIds))
                {
                    settings.Remove(setting);
                }
            }
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

    private static IEnumerable<JsonObject> ActionConfigurations(JsonObject? content) =>
        (content?["scheduledActionsForRule"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(r => (r["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>());

    private static string? NotificationTemplateOf(JsonObject action) =>
        JsonValues.Text(action["notificationTemplateId"]) is { Length: > 0 } id && !string.Equals(id, NoNotificationTemplate, StringComparison.Ordinal) ? id : null;

    private static bool IsReferenceValue(JsonObject node) =>
        JsonValues.Text(node["@odata.type"]) is { } type && string.Equals(type.TrimStart('#'), ReferenceSettingValueType.TrimStart('#'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Every reference value under <paramref name="node"/>, at any depth (children of choices, groups, collections).</summary>
    private static IEnumerable<JsonObject> ReferenceValues(JsonNode? node)
    {
        var pending = new Stack<JsonNode>();
        if (node is not null)
        {
            pending.Push(node);
        }

        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject o when IsReferenceValue(o):
                    yield return o;
                    break;
                case JsonObject o:
                    foreach (var (_, child) in o.ToList())
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a.ToList())
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Removes dropped reference values from the arrays holding them; true when a lone one (not in an array) names a dropped setting.</summary>
    private static bool RemoveDroppedValues(JsonNode? node, IReadOnlySet<string> dropped)
    {
        var lone = false;
        switch (node)
        {
            case JsonObject o when IsReferenceValue(o):
                return JsonValues.Text(o["value"]) is { } id && Contains(dropped, id);
            case JsonObject o:
                foreach (var (_, child) in o.ToList())
                {
                    lone |= RemoveDroppedValues(child, dropped);
                }

                break;
            case JsonArray a:
                foreach (var child in a.ToList())
                {
                    if (child is JsonObject value && IsReferenceValue(value))
                    {
                        if (JsonValues.Text(value["value"]) is { } valueId && Contains(dropped, valueId))
                        {
                            a.Remove(child);
                        }
                    }
                    else
                    {
                        lone |= RemoveDroppedValues(child, dropped);
                    }
                }

                break;
        }

        return lone;
    }

    private static bool Contains(IReadOnlySet<string> ids, string id) =>
        ids.Contains(id) || ids.Any(i => string.Equals(i, id, StringComparison.OrdinalIgnoreCase));

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
