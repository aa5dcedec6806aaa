using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// What Graph writes one item at a time below an object: a family's child collection (notification templates' localized
/// messages) and the assignments of a family without an assign action (terms and conditions). Both make the target's
/// collection the given one — keep what is already as intended, change or create the rest, delete the extra — so a
/// redelivered restore converges.
/// </summary>
internal sealed partial class GraphGateway
{
    /// <summary>Properties of a child item the service sets; a write leaves them out and a comparison ignores them.</summary>
    private static readonly string[] ChildServerManaged = ["id", "createdDateTime", "lastModifiedDateTime"];

    private async Task WriteChildrenAsync(
        TenantGraphClient client, GraphResourceContract contract, string id, JsonObject content, bool isNew, CancellationToken cancellationToken)
    {
        if (contract.Children is not { } children || content[children.Navigation] is not JsonArray desiredItems)
        {
            return;
        }

        var url = $"{contract.CollectionPath}/{id}/{children.Navigation}";
        var existing = isNew ? [] : await ReadAllAsync(client, contract, url, cancellationToken);
        var byKey = existing.Where(e => Str(e[children.KeyProperty]) is not null)
            .GroupBy(e => Str(e[children.KeyProperty])!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var kept = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        int patched = 0, created = 0, deleted = 0;
        foreach (var desired in desiredItems.OfType<JsonObject>())
        {
            var body = ChildBody(desired);
            var key = Str(desired[children.KeyProperty]);
            var match = key is not null && byKey.TryGetValue(key, out var same) ? same.FirstOrDefault(e => !kept.Contains(e)) : null;
            if (match is null)
            {
                await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, url), body, null, contract.Key, cancellationToken);
                created++;
                continue;
            }

            kept.Add(match);
            if (!JsonNode.DeepEquals(Comparable(body), Comparable(ChildBody(match))))
            {
                var childId = ObjectId(Str(match["id"]) ?? "", contract.Key);
                await GraphRequests.SendAsync(client, Method.PATCH, client.Url(contract.ApiVersion, $"{url}/{childId}"), body, null, contract.Key, cancellationToken);
                patched++;
            }
        }

        foreach (var extra in existing.Where(e => !kept.Contains(e)))
        {
            await DeleteBelowAsync(client, contract, $"{url}/{ObjectId(Str(extra["id"]) ?? "", contract.Key)}", cancellationToken);
            deleted++;
        }

        if (patched + created + deleted > 0)
        {
            logger.LogInformation("Wrote the {Navigation} of {ResourceKey} object {ObjectId} in tenant {TenantId}: {Patched} changed, {Created} created, {Deleted} deleted",
                children.Navigation, contract.Key, id, client.TenantId, patched, created, deleted);
        }
    }

    /// <summary>
    /// The assignments of a family without an assign action: those of the target that are not wanted are deleted, the
    /// wanted ones it lacks created (<c>POST {item}/assignments</c> with the target), those already there kept.
    /// </summary>
    private async Task AssignOneByOneAsync(
        TenantGraphClient client, GraphResourceContract contract, string id, IReadOnlyList<JsonObject> assignments, CancellationToken cancellationToken)
    {
        var url = $"{contract.CollectionPath}/{id}/assignments";
        var existing = await ReadAllAsync(client, contract, url, cancellationToken);
        var missing = assignments.Select(a => a["target"] as JsonObject).OfType<JsonObject>()
            .DistinctBy(TargetSignature, StringComparer.Ordinal).ToList();
        var extra = new List<JsonObject>();
        foreach (var current in existing)
        {
            var signature = current["target"] is JsonObject target ? TargetSignature(target) : null;
            var index = signature is null ? -1 : missing.FindIndex(t => TargetSignature(t) == signature);
            if (index >= 0)
            {
                missing.RemoveAt(index);
            }
            else
            {
                extra.Add(current);
            }
        }

        foreach (var assignment in extra)
        {
            await DeleteBelowAsync(client, contract, $"{url}/{ObjectId(Str(assignment["id"]) ?? "", contract.Key)}", cancellationToken);
        }

        foreach (var target in missing)
        {
            var body = new JsonObject { ["target"] = WithoutAnnotations((JsonObject)target.DeepClone()) };
            await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, url), body, null, contract.Key, cancellationToken);
        }

        logger.LogInformation("Assigned {ResourceKey} object {ObjectId} in tenant {TenantId} one by one ({Deleted} deleted, {Created} created, {Kept} kept)",
            contract.Key, id, client.TenantId, extra.Count, missing.Count, existing.Count - extra.Count);
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

    private static JsonObject ChildBody(JsonObject item)
    {
        var body = WithoutAnnotations((JsonObject)item.DeepClone());
        foreach (var name in ChildServerManaged)
        {
            body.Remove(name);
        }

        return body;
    }

    /// <summary>A child body as compared: the type annotation's '#' and the order of the properties do not matter.</summary>
    private static JsonObject Comparable(JsonObject body) =>
        new(body.Where(p => p.Key != "@odata.type").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

    /// <summary>What makes two assignment targets the same: kind, group (or collection) and filter.</summary>
    private static string TargetSignature(JsonObject target)
    {
        var filterType = Str(target["deviceAndAppManagementAssignmentFilterType"]) ?? "none";
        var filterId = filterType == "none" ? "" : Str(target["deviceAndAppManagementAssignmentFilterId"]) ?? "";
        return string.Join('|',
            (Str(target["@odata.type"]) ?? "").TrimStart('#'),
            (Str(target["groupId"]) ?? Str(target["collectionId"]) ?? "").ToLowerInvariant(),
            filterType,
            filterId.ToLowerInvariant());
    }
}
