using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// Administrative templates keep their settings as definition values below the policy, each bound to a definition of
/// Microsoft's catalog and holding presentation values bound to that definition's presentations. A create or update of
/// the policy writes them as the backed-up content has them: values already there as intended are kept, the others
/// deleted, the missing ones created with their bindings. Idempotent, so a redelivered restore converges.
/// </summary>
internal sealed partial class GraphGateway
{
    private const string DefinitionValues = "definitionValues";

    private static bool WritesDefinitionValues(GraphResourceContract contract, JsonObject content, out JsonArray desired)
    {
        desired = content[DefinitionValues] as JsonArray ?? [];
        return contract.WriteNavigations.Contains(DefinitionValues, StringComparer.Ordinal) && content[DefinitionValues] is JsonArray;
    }

    private async Task WriteDefinitionValuesAsync(
        TenantGraphClient client, GraphResourceContract contract, string policyId, JsonArray desired, bool isNew, CancellationToken cancellationToken)
    {
        var toCreate = desired.OfType<JsonObject>().ToList();
        if (toCreate.FirstOrDefault(v => DefinitionId(v) is null) is { } unbound)
        {
            throw new GraphRequestException(GraphFailureKind.BadRequest, "definitionMissing",
                $"A backed-up definition value ({Str(unbound["id"]) ?? "without id"}) does not name its definition: the template's settings cannot be written.")
            {
                TenantId = client.TenantId,
                ResourceKey = contract.Key,
            };
        }

        // A value already there as intended is kept (and needs no create); every other value there is deleted.
        var toDelete = new List<JsonObject>();
        var existing = isNew ? [] : (await ReadDefinitionValuesAsync(client, contract, policyId, cancellationToken)).OfType<JsonObject>();
        foreach (var value in existing)
        {
            var signature = Signature(value);
            var same = toCreate.FindIndex(w => Signature(w) == signature);
            if (same >= 0)
            {
                toCreate.RemoveAt(same);
            }
            else
            {
                toDelete.Add(value);
            }
        }

        foreach (var value in toDelete)
        {
            var valueId = ObjectId(Str(value["id"]) ?? "", contract.Key);
            try
            {
                await GraphRequests.SendAsync(client, Method.DELETE, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{policyId}/{DefinitionValues}/{valueId}"),
                    null, null, contract.Key, cancellationToken);
            }
            catch (GraphRequestException e) when (e.HttpStatus == 404)
            {
                // Already gone (a redelivered write): nothing to delete.
            }
        }

        foreach (var value in toCreate)
        {
            await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{policyId}/{DefinitionValues}"),
                DefinitionValueBody(client, contract, value), null, contract.Key, cancellationToken);
        }

        if (toDelete.Count + toCreate.Count > 0)
        {
            logger.LogInformation("Wrote the definition values of {ResourceKey} object {ObjectId} in tenant {TenantId}: {Deleted} deleted, {Created} created",
                contract.Key, policyId, client.TenantId, toDelete.Count, toCreate.Count);
        }
    }

    /// <summary>The create body Graph takes: the value's own settings and every binding as an absolute URL of the catalog.</summary>
    private static JsonObject DefinitionValueBody(TenantGraphClient client, GraphResourceContract contract, JsonObject value)
    {
        var definitionId = DefinitionId(value)!;
        var definitionUrl = client.Url(contract.ApiVersion, $"deviceManagement/groupPolicyDefinitions('{definitionId}')").AbsoluteUri;
        var body = new JsonObject
        {
            ["enabled"] = value["enabled"]?.DeepClone() ?? true,
            ["definition@odata.bind"] = definitionUrl,
        };
        if (value["configurationType"] is { } configurationType)
        {
            body["configurationType"] = configurationType.DeepClone();
        }

        var presentations = new JsonArray();
        foreach (var presentationValue in (value["presentationValues"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Str(presentationValue["presentation"]?["id"]) is not { } presentationId)
            {
                continue;
            }

            var written = new JsonObject
            {
                ["@odata.type"] = presentationValue["@odata.type"]?.DeepClone(),
                ["presentation@odata.bind"] = client.Url(contract.ApiVersion, $"deviceManagement/groupPolicyDefinitions('{definitionId}')/presentations('{presentationId}')").AbsoluteUri,
            };
            foreach (var name in new[] { "value", "values" })
            {
                if (presentationValue[name] is { } setting)
                {
                    written[name] = setting.DeepClone();
                }
            }

            presentations.Add(written);
        }

        body["presentationValues"] = presentations;
        return body;
    }

    private static string? DefinitionId(JsonObject value) => Str(value["definition"]?["id"]);

    /// <summary>What makes two definition values the same setting: the definition, enabled, and each presentation's value.</summary>
    private static string Signature(JsonObject value)
    {
        var presentations = (value["presentationValues"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => $"{Str(p["presentation"]?["id"])}={p["value"]?.ToJsonString()}{p["values"]?.ToJsonString()}")
            .Order(StringComparer.Ordinal);
        return $"{DefinitionId(value)}|{value["enabled"]?.ToJsonString() ?? "true"}|{string.Join(';', presentations)}";
    }
}
