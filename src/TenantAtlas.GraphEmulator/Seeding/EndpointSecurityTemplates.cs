using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>
/// The emulator's endpoint security templates: a few of the kinds Intune offers (antivirus, firewall, disk encryption,
/// attack surface reduction, an old security baseline Intune no longer creates profiles from), each with the settings an
/// intent made from it carries. The ids are the emulator's own stand-ins for Intune's built-in template ids, which are
/// the same in every tenant; so are the setting definition ids.
/// </summary>
internal static class EndpointSecurityTemplates
{
    public const string Boolean = "microsoft.graph.deviceManagementBooleanSettingInstance";
    public const string Integer = "microsoft.graph.deviceManagementIntegerSettingInstance";
    public const string Text = "microsoft.graph.deviceManagementStringSettingInstance";
    public const string Collection = "microsoft.graph.deviceManagementCollectionSettingInstance";
    public const string Complex = "microsoft.graph.deviceManagementComplexSettingInstance";

    /// <summary>The setting instance types an intent's settings are (and a write may name).</summary>
    public static IReadOnlyList<string> SettingTypes { get; } = [Boolean, Integer, Text, Collection, Complex];

    /// <param name="Values">valueJson choices; the first is the template's default.</param>
    internal sealed record Setting(string DefinitionId, string Type, string[] Values);

    internal sealed record Template(
        string Id, string DisplayName, string Description, string VersionInfo, string TemplateType, string Subtype, bool Deprecated,
        string Published, Setting[] Settings);

    private const string Av = "deviceConfiguration--windows10GeneralConfiguration_";
    private const string Ep = "deviceConfiguration--windows10EndpointProtectionConfiguration_";

    public static IReadOnlyList<Template> Catalog { get; } =
    [
        new("e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a01", "Microsoft Defender Antivirus", "Windows Defender Antivirus settings", "Version 1",
            "securityTemplate", "antivirus", false, "2020-09-01T00:00:00Z",
        [
            new(Av + "defenderRequireRealTimeMonitoring", Boolean, ["true", "false"]),
            new(Av + "defenderScanMaxCpu", Integer, ["50", "30", "70"]),
            new(Av + "defenderScanType", Text, ["\"quick\"", "\"full\"", "\"userDefined\""]),
            new(Av + "defenderFileExtensionsToExclude", Collection, ["[]", "[\"log\",\"tmp\"]", "[\"bak\"]"]),
        ]),
        new("e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a02", "Microsoft Defender Firewall", "Windows Defender Firewall settings", "Version 1",
            "securityTemplate", "firewall", false, "2020-09-01T00:00:00Z",
        [
            new(Ep + "firewallProfileDomain", Complex,
            [
                "{\"firewallEnabled\":\"allowed\",\"inboundConnectionsBlocked\":true,\"outboundConnectionsBlocked\":false}",
                "{\"firewallEnabled\":\"allowed\",\"inboundConnectionsBlocked\":false,\"outboundConnectionsBlocked\":false}",
            ]),
            new(Ep + "firewallBlockStatefulFTP", Boolean, ["false", "true"]),
            new(Ep + "firewallIdleTimeoutForSecurityAssociationInSeconds", Integer, ["300", "600", "900"]),
        ]),
        new("e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a03", "BitLocker", "BitLocker drive encryption settings", "Version 1",
            "securityTemplate", "diskEncryption", false, "2020-09-01T00:00:00Z",
        [
            new(Ep + "bitLockerEncryptDevice", Boolean, ["true", "false"]),
            new(Ep + "bitLockerSystemDrivePolicy", Complex,
            [
                "{\"encryptionMethod\":\"xtsAes256\",\"startupAuthenticationRequired\":true}",
                "{\"encryptionMethod\":\"xtsAes128\",\"startupAuthenticationRequired\":false}",
            ]),
            new(Ep + "bitLockerRecoveryPasswordRotation", Text, ["\"notConfigured\"", "\"enabledForAzureAd\"", "\"enabledForAzureAdAndHybrid\""]),
        ]),
        new("e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a04", "Attack surface reduction rules", "Attack surface reduction rules", "Version 1",
            "securityTemplate", "attackSurfaceReduction", false, "2020-09-01T00:00:00Z",
        [
            new(Ep + "defenderAttackSurfaceReductionExcludedPaths", Collection, ["[]", "[\"C:\\\\Tools\"]"]),
            new(Ep + "defenderOfficeAppsOtherProcessInjectionType", Text, ["\"userDefined\"", "\"block\"", "\"auditMode\""]),
            new(Ep + "defenderScriptObfuscatedMacroCodeType", Text, ["\"userDefined\"", "\"block\"", "\"auditMode\""]),
        ]),
        new("e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a05", "Security Baseline for Windows 10 and later", "Security baseline (an older version)", "November 2019",
            "securityBaseline", "none", true, "2019-11-01T00:00:00Z",
        [
            new(Av + "defenderRequireRealTimeMonitoring", Boolean, ["true", "false"]),
            new(Ep + "firewallBlockStatefulFTP", Boolean, ["true", "false"]),
            new(Ep + "defenderOfficeAppsOtherProcessInjectionType", Text, ["\"block\"", "\"auditMode\""]),
        ]),
    ];

    public static Template? Find(string id) => Catalog.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The template as Graph lists it; its settings (the defaults) are the template's settings navigation.</summary>
    public static StoredResource Resource(Template template)
    {
        var resource = new StoredResource(new JsonObject
        {
            ["id"] = template.Id,
            ["displayName"] = template.DisplayName,
            ["description"] = template.Description,
            ["versionInfo"] = template.VersionInfo,
            ["isDeprecated"] = template.Deprecated,
            ["intentCount"] = 0,
            ["templateType"] = template.TemplateType,
            ["platformType"] = "windows10AndLater",
            ["templateSubtype"] = template.Subtype,
            ["publishedDateTime"] = template.Published,
        });
        for (var i = 0; i < template.Settings.Length; i++)
        {
            resource.Settings.Add(Instance(template.Settings[i], $"{template.Id[..^2]}{i + 10:D2}", template.Settings[i].Values[0]));
        }

        return resource;
    }

    /// <summary>A setting instance: its type, definition id and value as JSON text, and for the typed kinds the value itself.</summary>
    public static JsonObject Instance(Setting setting, string id, string valueJson)
    {
        var instance = new JsonObject
        {
            ["@odata.type"] = "#" + setting.Type,
            ["id"] = id,
            ["definitionId"] = setting.DefinitionId,
            ["valueJson"] = valueJson,
        };
        if (TypedValue(setting.Type, valueJson) is { } value)
        {
            instance["value"] = value;
        }

        return instance;
    }

    /// <summary>The value of a boolean, integer or string instance from its JSON text; null for the other kinds or a mismatch.</summary>
    public static JsonNode? TypedValue(string type, string valueJson)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(valueJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return type switch
        {
            Boolean when parsed is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => parsed,
            Integer when parsed is JsonValue v && v.TryGetValue<int>(out _) => parsed,
            Text when parsed is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String => parsed,
            _ => null,
        };
    }
}
