using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>Bodies for Graph writes made from stored objects (restore, part 2).</summary>
public static class GraphWriteBody
{
    /// <summary>
    /// A copy of <paramref name="item"/> ready for a POST (GRAPH.md, "Writes and restore"): without <c>id</c>,
    /// <c>createdDateTime</c>, <c>lastModifiedDateTime</c>, <c>modifiedDateTime</c>, <c>version</c>,
    /// <c>supportsScopeTags</c>, <c>settingCount</c>, <c>creationSource</c>, <c>isAssigned</c> — on the object and on
    /// each element of its collections (settings, scheduled actions, definition values: their ids are the source
    /// tenant's) — and without any OData annotation at any depth (<c>@odata.context</c>, <c>@odata.etag</c>,
    /// <c>…@odata.count</c>, <c>…@odata.nextLink</c>), except <c>@odata.type</c> (Graph needs it to pick the type) and
    /// <c>…@odata.bind</c> (a reference the caller put there on purpose). Everything else is kept as it is, including
    /// <c>assignments</c> and expanded navigations: turning those into binds or <c>/assign</c> calls is family knowledge.
    /// </summary>
    public static JsonObject StripForWrite(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return StripObject(item, entity: true);
    }

    private static JsonObject StripObject(JsonObject item, bool entity)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in item)
        {
            if (IsDropped(name, entity))
            {
                continue;
            }

            copy[name] = value switch
            {
                JsonObject nested => StripObject(nested, entity: false),
                JsonArray array => new JsonArray([.. array.Select(e => e is JsonObject element ? StripObject(element, entity: true) : e?.DeepClone())]),
                _ => value?.DeepClone(),
            };
        }

        return copy;
    }

    private static bool IsDropped(string name, bool entity)
    {
        if (name.Contains('@', StringComparison.Ordinal))
        {
            return name != "@odata.type" && !name.EndsWith("@odata.bind", StringComparison.Ordinal);
        }

        return entity && (GraphJsonRules.EntityReadOnly.Contains(name) || GraphJsonRules.Timestamps.Contains(name));
    }
}
