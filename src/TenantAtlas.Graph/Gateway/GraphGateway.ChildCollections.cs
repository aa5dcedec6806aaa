using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// The child collections of a family (<see cref="GraphChildCollection"/>), written after the object: the target's children
/// are read, matched with the backed-up ones, and what differs is written below the object or with its action, so that a
/// redelivered restore converges. Content read without a collection (not expanded) writes none of it.
/// </summary>
internal sealed partial class GraphGateway
{
    /// <summary>What the service sets on a child (an AppLocker file's version, a policy set item's status); a write leaves it out and a comparison ignores it.</summary>
    private static readonly string[] ChildServerProperties = ["id", "createdDateTime", "lastModifiedDateTime", "status", "errorCode", "version"];

    /// <summary>A backed-up child to write: created when <paramref name="ExistingId"/> is null, else the target's child of that id updated.</summary>
    private sealed record ChildWrite(JsonObject Body, string? ExistingId);

    private async Task WriteChildCollectionsAsync(
        TenantGraphClient client, GraphResourceContract contract, string id, JsonObject content, bool isNew, CancellationToken cancellationToken)
    {
        foreach (var children in contract.ChildCollections)
        {
            if (content[children.Navigation] is not JsonArray desired)
            {
                continue;
            }

            var url = $"{contract.CollectionPath}/{id}/{children.Navigation}";
            var existing = isNew ? [] : await ReadAllAsync(client, contract, url, cancellationToken);
            var (writes, deletes) = MatchChildren(children, desired.OfType<JsonObject>(), existing);
            if (writes.Count + deletes.Count == 0)
            {
                continue;
            }

            if (children.WriteAction is { } action)
            {
                await SendChildActionAsync(client, contract, id, action, writes, deletes, cancellationToken);
            }
            else
            {
                // The extra ones go first: a create never meets a child the target still has in its place.
                foreach (var childId in deletes)
                {
                    await DeleteBelowAsync(client, contract, $"{url}/{ObjectId(childId, contract.Key)}", cancellationToken);
                }

                foreach (var write in writes)
                {
                    var (method, path) = write.ExistingId is { } existingId ? (Method.PATCH, $"{url}/{ObjectId(existingId, contract.Key)}") : (Method.POST, url);
                    await GraphRequests.SendAsync(client, method, client.Url(contract.ApiVersion, path), write.Body, null, contract.Key, cancellationToken);
                }
            }

            logger.LogInformation("Wrote the {Navigation} of {ResourceKey} object {ObjectId} in tenant {TenantId}: {Updated} changed, {Created} created, {Deleted} deleted",
                children.Navigation, contract.Key, id, client.TenantId, writes.Count(w => w.ExistingId is not null), writes.Count(w => w.ExistingId is null), deletes.Count);
        }
    }

    /// <summary>
    /// Each backed-up child, in its order, takes the first of the target's children not yet taken that is the same one: of
    /// the same key (and, for a collection Graph does not update, as it is), or without a key as it is. A taken child that
    /// differs is updated, a backed-up one without a match created, and the target's children left over deleted.
    /// </summary>
    private static (List<ChildWrite> Writes, List<string> Deletes) MatchChildren(GraphChildCollection children, IEnumerable<JsonObject> desired, List<JsonObject> existing)
    {
        var existingBodies = existing.Select(ChildBody).ToList();
        var taken = new bool[existing.Count];
        var writes = new List<ChildWrite>();
        foreach (var item in desired)
        {
            var body = ChildBody(item);
            var key = children.KeyProperty is { } keyProperty ? Str(item[keyProperty]) : null;
            var match = Enumerable.Range(0, existing.Count).FirstOrDefault(i => !taken[i] && Same(i), -1);
            if (match < 0)
            {
                writes.Add(new(body, null));
                continue;
            }

            taken[match] = true;
            if (!SameContent(body, existingBodies[match]))
            {
                writes.Add(new(body, Str(existing[match]["id"])));
            }

            bool Same(int i) => children.KeyProperty is { } keyProperty
                ? key is not null && string.Equals(key, Str(existing[i][keyProperty]), StringComparison.OrdinalIgnoreCase) && (children.Updates || SameContent(body, existingBodies[i]))
                : SameContent(body, existingBodies[i]);
        }

        var deletes = existing.Where((_, i) => !taken[i]).Select(e => Str(e["id"])).OfType<string>().ToList();
        return (writes, deletes);
    }

    /// <summary>All writes of a collection in one call of the object's action (a policy set's <c>update</c>).</summary>
    private static async Task SendChildActionAsync(
        TenantGraphClient client, GraphResourceContract contract, string id, GraphChildWriteAction action, List<ChildWrite> writes, List<string> deletes,
        CancellationToken cancellationToken)
    {
        JsonArray added = [], updated = [], deleted = [];
        foreach (var write in writes)
        {
            if (write.ExistingId is null)
            {
                added.Add(write.Body);
            }
            else
            {
                // An updated child is named by its id inside the body.
                write.Body["id"] = write.ExistingId;
                updated.Add(write.Body);
            }
        }

        deletes.ForEach(d => deleted.Add(d));
        var request = new JsonObject();
        foreach (var (parameter, values) in new[] { (action.AddedParameter, added), (action.UpdatedParameter, updated), (action.DeletedParameter, deleted) })
        {
            if (values.Count > 0)
            {
                request[parameter] = values;
            }
        }

        await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{action.Name}"), request, null, contract.Key, cancellationToken);
    }

    private async Task DeleteBelowAsync(TenantGraphClient client, GraphResourceContract contract, string path, CancellationToken cancellationToken)
    {
        try
        {
            await GraphRequests.SendAsync(client, Method.DELETE, client.Url(contract.ApiVersion, path), null, null, contract.Key, cancellationToken);
        }
        catch (GraphRequestException e) when (e.HttpStatus == 404)
        {
            // Already gone (a redelivered write): nothing to delete.
            logger.LogDebug("{Path} was already gone in tenant {TenantId}", path, client.TenantId);
        }
    }

    /// <summary>Every item of a navigation collection, its nextLinks followed.</summary>
    private static async Task<List<JsonObject>> ReadAllAsync(TenantGraphClient client, GraphResourceContract contract, string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Uri? next = client.Url(contract.ApiVersion, path);
        while (next is not null)
        {
            var page = await GraphRequests.GetAsync(client, next, contract.Key, cancellationToken);
            items.AddRange(Values(page).Select(v => Clean((JsonObject)v.DeepClone())));
            next = GraphRequests.NextLink(client, page, seen, contract.Key);
        }

        return items;
    }

    /// <summary>A child as a write body: what the service sets and OData annotations (but the type) removed.</summary>
    private static JsonObject ChildBody(JsonObject child)
    {
        var body = WithoutAnnotations((JsonObject)child.DeepClone());
        foreach (var name in ChildServerProperties)
        {
            body.Remove(name);
        }

        return body;
    }

    /// <summary>Two child bodies compared: the type annotation (its '#', or whether it is there) and the order of the properties do not matter.</summary>
    private static bool SameContent(JsonObject left, JsonObject right) =>
        JsonNode.DeepEquals(WithoutType(left), WithoutType(right));

    private static JsonObject WithoutType(JsonObject body) =>
        new(body.Where(p => p.Key != "@odata.type").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
}
