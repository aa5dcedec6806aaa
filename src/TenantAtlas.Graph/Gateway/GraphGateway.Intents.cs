using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// Endpoint security intents: Graph does not expand their settings and assignments (an expanded assignments collection
/// comes back empty), Intune creates them only from a template (<c>templates/{id}/createInstance</c>) and changes their
/// settings only through <c>updateSettings</c>. A restore into another tenant needs the same template there: Intune's
/// built-in templates have the same ids in every tenant, and a template the target lacks or no longer offers is named
/// before anything is written.
/// </summary>
internal sealed partial class GraphGateway
{
    /// <summary>The navigations the family reads one by one below the object (every page, nextLinks followed).</summary>
    private static async Task ReadSeparatelyAsync(TenantGraphClient client, GraphResourceContract contract, string id, JsonObject json, CancellationToken cancellationToken)
    {
        foreach (var navigation in contract.SeparateReads)
        {
            var values = new JsonArray();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Uri? url = client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{navigation}");
            while (url is not null)
            {
                var page = await GraphRequests.GetAsync(client, url, contract.Key, cancellationToken);
                foreach (var value in Values(page))
                {
                    values.Add(value.DeepClone());
                }

                url = GraphRequests.NextLink(client, page, seen, contract.Key);
            }

            json[navigation] = values;
        }
    }

    /// <summary>
    /// <c>POST templates/{templateId}/createInstance</c> with the backed-up name, description, scope tags and every setting
    /// as <c>settingsDelta</c>; the template is read first, so a target without it (or where Intune retired it) fails
    /// with the template named and nothing created.
    /// </summary>
    private static async Task<JsonObject?> CreateFromTemplateAsync(
        TenantGraphClient client, GraphResourceContract contract, TemplateInstanceWrites writes, JsonObject content, CancellationToken cancellationToken)
    {
        var templateId = Str(content[writes.TemplateIdProperty]) is { Length: > 0 } named
            ? named
            : throw new GraphRequestException(GraphFailureKind.BadRequest, "templateMissing",
                "The backed-up endpoint security profile does not name the template it was made from, so Intune cannot create it again.")
            {
                TenantId = client.TenantId,
                ResourceKey = contract.Key,
            };
        var id = ObjectId(templateId, contract.Key);
        JsonObject template;
        try
        {
            template = await GraphRequests.GetAsync(client, client.Url(contract.ApiVersion, $"{writes.TemplatesPath}/{id}"), contract.Key, cancellationToken);
        }
        catch (GraphRequestException e) when (e.HttpStatus == 404)
        {
            throw new GraphRequestException(GraphFailureKind.NotFound, "templateNotInTenant",
                $"The target tenant has no endpoint security template {templateId}, which this profile was made from. "
                + "Intune creates such a profile only from its template: restore it into a tenant that offers the template, or recreate it there from a current template.",
                innerException: e)
            {
                TenantId = client.TenantId,
                ResourceKey = contract.Key,
            };
        }

        if (Bool(template["isDeprecated"]) == true)
        {
            throw new GraphRequestException(GraphFailureKind.BadRequest, "templateDeprecated",
                $"Intune no longer creates profiles from the template \"{Str(template["displayName"]) ?? templateId}\" ({templateId}), which this profile was made from. "
                + "Create the profile from the template's newer version in Intune, or restore over the existing profile instead.")
            {
                TenantId = client.TenantId,
                ResourceKey = contract.Key,
            };
        }

        var body = new JsonObject
        {
            ["displayName"] = content["displayName"]?.DeepClone(),
            ["description"] = content["description"]?.DeepClone(),
            ["settingsDelta"] = SettingsForWrite(content, writes),
            ["roleScopeTagIds"] = content["roleScopeTagIds"]?.DeepClone() ?? new JsonArray(),
        };
        return await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{writes.TemplatesPath}/{id}/{writes.CreateAction}"), body, null, contract.Key, cancellationToken);
    }

    /// <summary>
    /// The backed-up settings through <c>updateSettings</c>: every value as it was (each setting named by its definition id,
    /// without the source's setting ids). Content without settings (not read with them) writes none.
    /// </summary>
    private async Task UpdateTemplateSettingsAsync(
        TenantGraphClient client, GraphResourceContract contract, TemplateInstanceWrites writes, string id, JsonObject content, CancellationToken cancellationToken)
    {
        if (content[writes.SettingsProperty] is not JsonArray)
        {
            return;
        }

        var body = new JsonObject { ["settings"] = SettingsForWrite(content, writes) };
        await GraphRequests.SendAsync(client, Method.POST, client.Url(contract.ApiVersion, $"{contract.CollectionPath}/{id}/{writes.SettingsAction}"), body, null, contract.Key, cancellationToken);
        logger.LogInformation("Wrote the settings of {ResourceKey} object {ObjectId} in tenant {TenantId}", contract.Key, id, client.TenantId);
    }

    private static JsonArray SettingsForWrite(JsonObject content, TemplateInstanceWrites writes) =>
        new([.. (content[writes.SettingsProperty] as JsonArray ?? []).OfType<JsonObject>().Select(s =>
        {
            var setting = WithoutAnnotations((JsonObject)s.DeepClone());
            setting.Remove("id");
            return (JsonNode)setting;
        })]);
}
