using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// Driver update profiles: the drivers approved by hand live in the profile's inventory (<c>driverInventories</c>), not in
/// the profile. A backup reads the inventory whole; a write approves again, with <c>executeAction</c>, the drivers the
/// backup has approved and the target's inventory has but has not approved (Microsoft's reference:
/// intune-softwareupdate-windowsdriverupdateprofile-executeaction).
/// </summary>
internal sealed partial class GraphGateway
{
    private const string Approved = "approved";

    private static async Task<List<JsonObject>> ReadDriverInventoryAsync(TenantGraphClient client, GraphResourceContract contract, string profileId, CancellationToken cancellationToken)
    {
        var drivers = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Uri? url = client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{profileId}/{GraphResourceContract.DriverInventoriesProperty}");
        while (url is not null)
        {
            var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
            drivers.AddRange(Values(page).Select(d => Clean((JsonObject)d.DeepClone())));
            url = GraphRequests.NextLink(client, page, seen, contract.Key);
        }

        return drivers;
    }

    private static async Task ApproveDriversAsync(
        TenantGraphClient client, GraphResourceContract contract, string profileId, JsonObject content, ICollection<string>? notes, CancellationToken cancellationToken)
    {
        if (contract.DriverApprovalAction is null || content[GraphResourceContract.DriverInventoriesProperty] is not JsonArray backedUp)
        {
            return;
        }

        var approved = backedUp.OfType<JsonObject>().Where(d => Str(d["approvalStatus"]) == Approved).ToList();
        if (approved.Count == 0)
        {
            return;
        }

        // The same driver has the same id in every tenant's inventory; a driver listed again under another id is still
        // the same name, version and manufacturer.
        var target = await ReadDriverInventoryAsync(client, contract, profileId, cancellationToken);
        var toApprove = new List<(string Id, string? DeploymentDate)>();
        var missing = new List<string>();
        foreach (var driver in approved)
        {
            var match = target.FirstOrDefault(t => string.Equals(Str(t["id"]), Str(driver["id"]), StringComparison.OrdinalIgnoreCase))
                ?? target.FirstOrDefault(t => Str(t["name"]) == Str(driver["name"]) && Str(t["version"]) == Str(driver["version"])
                    && Str(t["manufacturer"]) == Str(driver["manufacturer"]));
            if (match is null)
            {
                missing.Add(DriverName(driver));
            }
            else if (Str(match["approvalStatus"]) != Approved && Str(match["id"]) is { } id)
            {
                toApprove.Add((id, Str(driver["deployDateTime"])));
            }
        }

        // One action per deployment date: the backup's own, so a driver deploys when it was meant to (a past date at once).
        foreach (var batch in toApprove.GroupBy(d => d.DeploymentDate ?? DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture), StringComparer.Ordinal))
        {
            var body = new JsonObject
            {
                ["actionName"] = "approve",
                ["driverIds"] = new JsonArray([.. batch.Select(d => (JsonNode)d.Id)]),
                ["deploymentDate"] = batch.Key,
            };
            var answer = await GraphRequests.SendAsync(
                client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{profileId}/{contract.DriverApprovalAction}"), body, null, contract.Key, cancellationToken);
            var result = answer?["value"] as JsonObject ?? answer;
            var refused = (result?["failedDriverIds"] as JsonArray ?? []).Concat(result?["notFoundDriverIds"] as JsonArray ?? []).Select(Str).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            missing.AddRange(approved.Where(d => refused.Contains(Str(d["id"]) ?? "")).Select(DriverName));
        }

        if (missing.Count > 0)
        {
            notes?.Add(missing.Count == 1
                ? $"1 driver approved in the backup is not in this tenant's driver inventory and was not approved: {missing[0]}."
                : $"{missing.Count} drivers approved in the backup are not in this tenant's driver inventory and were not approved: {string.Join(", ", missing)}.");
        }
    }

    private static string DriverName(JsonObject driver) => $"{Str(driver["name"]) ?? Str(driver["id"])} {Str(driver["version"])}".TrimEnd();
}
