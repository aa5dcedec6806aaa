using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// Objects that live below another one and that Graph does not take inside its create or update body: Windows
/// Information Protection's AppLocker files (POST/DELETE below the policy) and a policy set's items (the set's update
/// action). Both are written as the backed-up content has them, keeping what the target already has as intended, so a
/// redelivered restore converges. Content read without them (not expanded) writes none.
/// </summary>
internal sealed partial class GraphGateway
{
    /// <summary>What the service sets on a child object (an AppLocker file's version too); a write leaves it out and a comparison ignores it.</summary>
    private static readonly string[] ChildServerProperties = ["id", "createdDateTime", "lastModifiedDateTime", "status", "errorCode", "version"];

    private async Task WriteChildCollectionsAsync(
        TenantGraphClient client, GraphResourceContract contract, string id, JsonObject content, bool isNew, CancellationToken cancellationToken)
    {
        foreach (var navigation in contract.ChildCollections)
        {
            if (content[navigation] is not JsonArray desired)
            {
                continue;
            }

            var toCreate = desired.OfType<JsonObject>().Select(ChildObjectBody).ToList();
            var toDelete = new List<string>();
            var existing = isNew ? [] : await ReadBelowAsync(client, contract, id, navigation, cancellationToken);
            foreach (var child in existing)
            {
                var same = toCreate.FindIndex(c => JsonNode.DeepEquals(c, ChildObjectBody(child)));
                if (same >= 0)
                {
                    toCreate.RemoveAt(same);
                }
                else if (Str(child["id"]) is { } childId)
                {
                    toDelete.Add(childId);
                }
            }

            foreach (var childId in toDelete)
            {
                try
                {
                    await GraphRequests.SendAsync(client, Method.DELETE, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{navigation}/{ObjectId(childId, contract.Key)}"),
                        null, null, contract.Key, cancellationToken);
                }
                catch (GraphRequestException e) when (e.HttpStatus == 404)
                {
                    // Already gone (a redelivered write): nothing to delete.
                }
            }

            foreach (var body in toCreate)
            {
                await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{navigation}"), body, null, contract.Key, cancellationToken);
            }

            if (toDelete.Count + toCreate.Count > 0)
            {
                logger.LogInformation("Wrote the {Navigation} of {ResourceKey} object {ObjectId} in tenant {TenantId}: {Deleted} deleted, {Created} created",
                    navigation, contract.Key, id, client.TenantId, toDelete.Count, toCreate.Count);
            }
        }
    }

    /// <summary>
    /// A policy set's items through its update action: a new set gets every item added; an existing one keeps the items
    /// naming the same object (payloadId) as they are, updates those whose settings differ, adds the missing ones and
    /// deletes the rest — in one call, as Intune validates the set as a whole.
    /// </summary>
    private async Task WritePolicySetItemsAsync(
        TenantGraphClient client, GraphResourceContract contract, string id, JsonObject content, bool isNew, CancellationToken cancellationToken)
    {
        if (contract.PolicySetItemsAction is null || content[GraphResourceContract.PolicySetItemsProperty] is not JsonArray desired)
        {
            return;
        }

        var added = new JsonArray();
        var updated = new JsonArray();
        var deleted = new JsonArray();
        var existing = isNew ? [] : await ReadBelowAsync(client, contract, id, GraphResourceContract.PolicySetItemsProperty, cancellationToken);
        var byPayload = existing.Where(e => Str(e["payloadId"]) is not null).GroupBy(e => Str(e["payloadId"])!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in desired.OfType<JsonObject>())
        {
            var body = ChildObjectBody(item);
            var payloadId = Str(item["payloadId"]);
            if (payloadId is not null && byPayload.TryGetValue(payloadId, out var current) && kept.Add(payloadId))
            {
                if (!JsonNode.DeepEquals(body, ChildObjectBody(current)))
                {
                    body["id"] = Str(current["id"]);
                    updated.Add(body);
                }
            }
            else
            {
                added.Add(body);
            }
        }

        foreach (var item in existing.Where(e => Str(e["payloadId"]) is not { } payloadId || !kept.Contains(payloadId)))
        {
            if (Str(item["id"]) is { } itemId)
            {
                deleted.Add(itemId);
            }
        }

        if (added.Count + updated.Count + deleted.Count == 0)
        {
            return;
        }

        var request = new JsonObject();
        if (added.Count > 0)
        {
            request["addedPolicySetItems"] = added;
        }

        if (updated.Count > 0)
        {
            request["updatedPolicySetItems"] = updated;
        }

        if (deleted.Count > 0)
        {
            request["deletedPolicySetItems"] = deleted;
        }

        await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{contract.PolicySetItemsAction}"), request, null, contract.Key, cancellationToken);
        logger.LogInformation("Wrote the items of {ResourceKey} object {ObjectId} in tenant {TenantId}: {Added} added, {Updated} updated, {Deleted} deleted",
            contract.Key, id, client.TenantId, added.Count, updated.Count, deleted.Count);
    }

    /// <summary>Every object of a navigation below one object, across Graph's pages.</summary>
    private static async Task<List<JsonObject>> ReadBelowAsync(TenantGraphClient client, GraphResourceContract contract, string id, string navigation, CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Uri? url = client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{navigation}");
        while (url is not null)
        {
            var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
            result.AddRange(Values(page).Select(v => Clean((JsonObject)v.DeepClone())));
            url = GraphRequests.NextLink(client, page, seen, contract.Key);
        }

        return result;
    }

    /// <summary>A child object as a create body: what the service sets and OData annotations (but the type) removed.</summary>
    private static JsonObject ChildObjectBody(JsonObject child)
    {
        var body = WithoutAnnotations((JsonObject)child.DeepClone());
        foreach (var name in ChildServerProperties)
        {
            body.Remove(name);
        }

        return body;
    }
}
