using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// The assignments of a family without an assign action (terms and conditions), written one at a time below the object
/// so that the target's set becomes the given one: a redelivered restore converges.
/// </summary>
internal sealed partial class GraphGateway
{
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
