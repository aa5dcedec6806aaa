using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Seeding;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// Endpoint security intents' writes (beta reference: intune-deviceintent-devicemanagementtemplate-createinstance,
/// intune-deviceintent-devicemanagementintent-updatesettings): an intent is made from a template of the tenant (one that
/// is not deprecated) with the template's settings, the sent <c>settingsDelta</c> applied; <c>updateSettings</c> replaces
/// the values of the settings it names. Every setting names its type and a definition of the intent's template.
/// </summary>
internal static class EndpointSecurityHandlers
{
    private static readonly HashSet<string> CreateParameters = new(StringComparer.Ordinal) { "displayName", "description", "settingsDelta", "roleScopeTagIds" };

    private static readonly HashSet<string> SettingProperties = new(StringComparer.Ordinal) { "@odata.type", "id", "definitionId", "valueJson", "value" };

    /// <summary><c>POST templates/{id}/createInstance</c>: the new intent (200, as the reference shows).</summary>
    public static GraphResponse CreateInstance(GraphCall call, string templateId)
    {
        // The intent is what is written: an approval policy protecting intents holds this write too.
        if (call.Tenant.RequiresApproval(GraphFamilies.Intents))
        {
            throw GraphDispatcher.ApprovalRequired();
        }

        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        CollectionHandlers.RejectAnnotations(body, ErrorSource.Intune);
        if (body.FirstOrDefault(p => !CreateParameters.Contains(p.Key)) is { Key: { } unknown })
        {
            throw GraphException.BadRequest($"The parameter '{unknown}' is not in scope of the action 'createInstance'.", ErrorSource.Intune);
        }

        if (body["displayName"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetValue<string>()))
        {
            throw GraphException.BadRequest("The parameter 'displayName' is required.", ErrorSource.Intune);
        }

        if (body["roleScopeTagIds"] is { } tags && (tags is not JsonArray tagList || tagList.Any(t => t is not JsonValue)))
        {
            throw GraphException.BadRequest("The parameter 'roleScopeTagIds' must be a collection of strings.", ErrorSource.Intune);
        }

        var tenant = call.Tenant;
        lock (tenant.Sync)
        {
            var templates = FamilyRegistry.Get(GraphFamilies.Templates);
            var template = tenant.Collection(GraphFamilies.Templates).Find(templateId) ?? throw GraphException.NotFound(templates, templateId);
            if (template.Data["isDeprecated"]?.GetValue<bool>() == true)
            {
                // The reference: "Intents cannot be created from a deprecated template."
                throw GraphException.BadRequest($"Intents cannot be created from a deprecated template ('{template.Id}').", ErrorSource.Intune);
            }

            var settings = template.Settings.Select(s =>
            {
                var copy = (JsonObject)s.DeepClone();
                copy["id"] = Guid.NewGuid().ToString();
                return copy;
            }).ToList();
            Apply(template, settings, body["settingsDelta"], "settingsDelta");

            var id = Guid.NewGuid().ToString();
            var data = GraphSchema.Unset("microsoft.graph.deviceManagementIntent");
            data.Remove("@odata.type");
            data["id"] = id;
            data["displayName"] = body["displayName"]!.DeepClone();
            data["description"] = body["description"]?.DeepClone() ?? "";
            data["isAssigned"] = false;
            data["lastModifiedDateTime"] = SeedRandom.IntuneTime(call.Now);
            data["templateId"] = template.Id;
            data["roleScopeTagIds"] = body["roleScopeTagIds"] is JsonArray { Count: > 0 } sent ? sent.DeepClone() : new JsonArray("0");
            var intent = new StoredResource(data);
            intent.Settings.AddRange(settings);
            tenant.Collection(GraphFamilies.Intents).Add(intent);
            template.Data["intentCount"] = (template.Data["intentCount"]?.GetValue<int>() ?? 0) + 1;

            var json = (JsonObject)data.DeepClone();
            json.Insert(0, "@odata.context", $"{call.Metadata}#deviceManagement/intents/$entity");
            return new GraphResponse(200, json);
        }
    }

    /// <summary>
    /// <c>POST intents</c> (documented beside createInstance): the intent names a template of the tenant that is not
    /// deprecated and gets that template's settings.
    /// </summary>
    public static void FromTemplate(TenantState tenant, StoredResource intent)
    {
        var templateId = intent.Data["templateId"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        var template = tenant.Collection(GraphFamilies.Templates).Find(templateId)
            ?? throw GraphException.BadRequest($"The template '{templateId}' does not exist in this tenant.", ErrorSource.Intune);
        if (template.Data["isDeprecated"]?.GetValue<bool>() == true)
        {
            throw GraphException.BadRequest($"Intents cannot be created from a deprecated template ('{template.Id}').", ErrorSource.Intune);
        }

        intent.Settings.AddRange(template.Settings.Select(s =>
        {
            var copy = (JsonObject)s.DeepClone();
            copy["id"] = Guid.NewGuid().ToString();
            return copy;
        }));
        template.Data["intentCount"] = (template.Data["intentCount"]?.GetValue<int>() ?? 0) + 1;
    }

    /// <summary><c>POST intents/{id}/updateSettings</c> with <c>{"settings": [...]}</c>: the named settings take the sent values (204).</summary>
    public static GraphResponse UpdateSettings(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        CollectionHandlers.RejectAnnotations(body, ErrorSource.Intune);
        if (body.FirstOrDefault(p => p.Key != "settings") is { Key: { } unknown })
        {
            throw GraphException.BadRequest($"The parameter '{unknown}' is not in scope of the action 'updateSettings'.", ErrorSource.Intune);
        }

        if (body["settings"] is not JsonArray)
        {
            throw GraphException.BadRequest("The action 'updateSettings' requires the parameter 'settings'.", ErrorSource.Intune);
        }

        var tenant = call.Tenant;
        lock (tenant.Sync)
        {
            var intent = tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);
            var templateId = intent.Data["templateId"]?.GetValue<string>() ?? "";
            var template = tenant.Collection(GraphFamilies.Templates).Find(templateId)
                ?? throw GraphException.BadRequest($"The template '{templateId}' of the intent no longer exists.", ErrorSource.Intune);
            Apply(template, intent.Settings, body["settings"], "settings");
            tenant.Touch(family.Name, intent);
            return GraphResponse.NoContent();
        }
    }

    /// <summary>Checks every sent setting against the template first (nothing changes on a refusal), then sets the values.</summary>
    private static void Apply(StoredResource template, List<JsonObject> settings, JsonNode? sent, string parameter)
    {
        if (sent is null)
        {
            return;
        }

        if (sent is not JsonArray items)
        {
            throw GraphException.BadRequest($"The parameter '{parameter}' must be a collection of setting instances.", ErrorSource.Intune);
        }

        var changes = new List<(JsonObject Target, string ValueJson)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (item is not JsonObject setting)
            {
                throw GraphException.BadRequest("Each setting must be an object.", ErrorSource.Intune);
            }

            var type = setting["@odata.type"] is JsonValue t && t.TryGetValue<string>(out var typeText) ? GraphSchema.TypeName(typeText) : null;
            if (type is null)
            {
                throw GraphException.BadRequest("A setting instance must name its @odata.type.", ErrorSource.Intune);
            }

            if (!EndpointSecurityTemplates.SettingTypes.Contains(type, StringComparer.Ordinal))
            {
                throw GraphException.BadRequest(
                    $"A type named '{type}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.", ErrorSource.Intune);
            }

            if (setting.FirstOrDefault(p => !SettingProperties.Contains(p.Key) || (p.Key == "value" && type is EndpointSecurityTemplates.Collection or EndpointSecurityTemplates.Complex)) is { Key: { } unknown })
            {
                throw GraphException.BadRequest($"The property '{unknown}' does not exist on type '{type}'.", ErrorSource.Intune);
            }

            var definitionId = setting["definitionId"] is JsonValue d && d.TryGetValue<string>(out var definitionText) ? definitionText : null;
            var target = settings.FirstOrDefault(s => string.Equals(s["definitionId"]?.GetValue<string>(), definitionId, StringComparison.OrdinalIgnoreCase));
            if (definitionId is null || target is null)
            {
                throw GraphException.BadRequest(
                    $"The setting definition '{definitionId}' is not part of the template '{template.Data["displayName"]}'.", ErrorSource.Intune);
            }

            var targetType = GraphSchema.TypeName(target["@odata.type"]!.GetValue<string>());
            if (targetType != type)
            {
                throw GraphException.BadRequest($"The setting '{definitionId}' is a {targetType}, not a {type}.", ErrorSource.Intune);
            }

            if (!seen.Add(definitionId))
            {
                throw GraphException.BadRequest($"The setting '{definitionId}' is sent more than once.", ErrorSource.Intune);
            }

            changes.Add((target, ValueJson(setting, type, definitionId)));
        }

        foreach (var (target, valueJson) in changes)
        {
            target["valueJson"] = valueJson;
            var type = GraphSchema.TypeName(target["@odata.type"]!.GetValue<string>());
            if (target.ContainsKey("value"))
            {
                target["value"] = EndpointSecurityTemplates.TypedValue(type, valueJson);
            }
        }
    }

    /// <summary>The value as JSON text: the sent valueJson, or the typed value written as JSON; both must fit the type.</summary>
    private static string ValueJson(JsonObject setting, string type, string definitionId)
    {
        string? valueJson = null;
        if (setting["valueJson"] is { } sentJson)
        {
            if (sentJson is not JsonValue text || !text.TryGetValue<string>(out valueJson))
            {
                throw GraphException.BadRequest($"The valueJson of the setting '{definitionId}' must be a string of JSON.", ErrorSource.Intune);
            }
        }

        if (setting["value"] is { } value)
        {
            var fromValue = value.ToJsonString();
            if (EndpointSecurityTemplates.TypedValue(type, fromValue) is null)
            {
                throw GraphException.BadRequest($"The value of the setting '{definitionId}' does not fit a {type}.", ErrorSource.Intune);
            }

            valueJson ??= fromValue;
        }

        if (valueJson is null)
        {
            throw GraphException.BadRequest($"The setting '{definitionId}' needs a value or valueJson.", ErrorSource.Intune);
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(valueJson);
        }
        catch (JsonException)
        {
            throw GraphException.BadRequest($"The valueJson of the setting '{definitionId}' is not JSON.", ErrorSource.Intune);
        }

        var fits = type switch
        {
            EndpointSecurityTemplates.Collection => parsed is JsonArray,
            EndpointSecurityTemplates.Complex => parsed is null or JsonObject,
            _ => EndpointSecurityTemplates.TypedValue(type, valueJson) is not null,
        };
        return fits ? valueJson : throw GraphException.BadRequest($"The valueJson of the setting '{definitionId}' does not fit a {type}.", ErrorSource.Intune);
    }
}
