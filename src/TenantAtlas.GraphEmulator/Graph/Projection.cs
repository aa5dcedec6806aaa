using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>Turns stored objects into what Graph answers: $select applied, navigation properties only when expanded.</summary>
internal static class Projection
{
    public static void ValidateExpand(FamilyDefinition family, ODataQuery query)
    {
        foreach (var item in query.Expand)
        {
            var known = (family.HasAssignments && item.Name == "assignments") || family.Navigations.Contains(item.Name);
            if (!known)
            {
                throw ODataQuery.UnknownProperty(family, item.Name);
            }
        }
    }

    /// <summary>"(id,displayName,assignments())" for the @odata.context, or "" when nothing was selected or expanded.</summary>
    public static string ContextSuffix(ODataQuery query)
    {
        var parts = (query.Select ?? []).Concat(query.Expand.Select(e => e.Name + "()")).ToList();
        return parts.Count == 0 ? "" : "(" + string.Join(',', parts) + ")";
    }

    public static JsonObject Project(StoredResource resource, FamilyDefinition family, ODataQuery query, bool inList, GraphCall call)
    {
        var result = new JsonObject();
        foreach (var (name, value) in resource.Data)
        {
            var wanted = query.Select is null
                || query.Select.Contains(name, StringComparer.Ordinal)
                || (name == "@odata.type" && family.Polymorphic);
            if (wanted)
            {
                // Branding's images: Graph answers them only when $select names them.
                var hidden = (inList && family.OmittedFromList.Contains(name))
                    || (family.SelectOnly.Contains(name) && query.Select?.Contains(name, StringComparer.Ordinal) != true);
                result[name] = hidden ? null : value?.DeepClone();
            }
        }

        foreach (var item in query.Expand)
        {
            var context = $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/{item.Name}";
            switch (item.Name)
            {
                case "assignments":
                    Expanded(result, "assignments", context, family.AssignmentsNotExpanded ? [] : resource.Assignments, family, resource, call);
                    break;
                case "settings":
                    Expanded(result, "settings", context, resource.Settings, family, resource, call);
                    break;
                case "apps":
                    Expanded(result, "apps", context, resource.Apps, family, resource, call);
                    break;
                case "scheduledActionsForRule":
                    result["scheduledActionsForRule@odata.context"] = context;
                    result["scheduledActionsForRule"] = Json(resource.ScheduledActionsForRule.Select(r => ScheduledAction(r, item)));
                    break;
                case "definitionValues":
                    result["definitionValues@odata.context"] = context;
                    result["definitionValues"] = Json(resource.DefinitionValues.Select(d => DefinitionValue(d, item)));
                    break;
                default:
                    if (family.ChildCollection(item.Name) is not null)
                    {
                        Expanded(result, item.Name, context, resource.ChildrenOf(item.Name), family, resource, call);
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// An expanded collection: the first page inline and, when there is more, "{name}@odata.nextLink" to the navigation's
    /// own read ("…/configurationPolicies('id')/settings?$skiptoken=…"), as Graph pages a large expanded collection.
    /// </summary>
    private static void Expanded(JsonObject result, string name, string context, List<JsonObject> items, FamilyDefinition family, StoredResource resource, GraphCall call)
    {
        var size = Paging.ExpandedPageSize(call);
        result[name + "@odata.context"] = context;
        result[name] = Json(items.Take(size).Select(i => i.DeepClone()));
        if (items.Count > size)
        {
            var token = Paging.SkipToken(call, Paging.NavigationKey(family, resource.Id, name), size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            result[name + "@odata.nextLink"] = $"{call.VersionRoot}/{family.CollectionPath}('{resource.Id}')/{name}?{Paging.Encode([new("$skiptoken", token)])}";
        }
    }

    public static JsonObject ScheduledAction(JsonObject rule, ExpandItem? expand)
    {
        var copy = (JsonObject)rule.DeepClone();
        if (expand is null || !expand.Expands("scheduledActionConfigurations"))
        {
            copy.Remove("scheduledActionConfigurations");
        }

        return copy;
    }

    /// <summary>A definition value with "definition" and "presentationValues" (and their "presentation") only when expanded.</summary>
    public static JsonObject DefinitionValue(JsonObject value, ExpandItem? expand)
    {
        var copy = (JsonObject)value.DeepClone();
        var nested = expand?.Nested ?? [];
        if (!nested.Any(e => e.Name == "definition"))
        {
            copy.Remove("definition");
        }

        var presentationValues = nested.FirstOrDefault(e => e.Name == "presentationValues");
        if (presentationValues is null)
        {
            copy.Remove("presentationValues");
        }
        else if (copy["presentationValues"] is JsonArray values)
        {
            copy["presentationValues"] = Json(values.Select(v => PresentationValue((JsonObject)v!, presentationValues.Expands("presentation"))));
        }

        return copy;
    }

    public static JsonObject PresentationValue(JsonObject value, bool withPresentation)
    {
        var copy = (JsonObject)value.DeepClone();
        if (!withPresentation)
        {
            copy.Remove("presentation");
        }

        return copy;
    }

    public static JsonArray Json(IEnumerable<JsonNode?> items) => new([.. items]);
}
