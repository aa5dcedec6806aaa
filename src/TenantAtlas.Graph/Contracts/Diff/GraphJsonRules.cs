using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>
/// What Graph's Intune JSON means for a comparison, as data: which properties the service owns, which arrays are
/// collections of keyed elements (and by what key), which arrays of plain values are sets.
/// </summary>
internal static class GraphJsonRules
{
    /// <summary>Set by the service at every depth (an object's and each of its settings' / values' / actions').</summary>
    public static readonly FrozenSet<string> Timestamps = FrozenSet.ToFrozenSet(
        ["createdDateTime", "lastModifiedDateTime", "modifiedDateTime"], StringComparer.Ordinal);

    /// <summary>
    /// GRAPH.md's read-only properties of an entity: the object itself and each element of its collections (settings,
    /// definition values, scheduled actions…, whose <c>id</c>s are assigned by the service per object).
    /// </summary>
    public static readonly FrozenSet<string> EntityReadOnly = FrozenSet.ToFrozenSet(
        ["id", "version", "supportsScopeTags", "settingCount", "creationSource", "isAssigned"], StringComparer.Ordinal);

    /// <summary>
    /// Counters and states the service keeps; they change without anyone changing the policy (a policy set's and its
    /// items' <c>status</c> and <c>errorCode</c> are Intune's validation). Ignored by comparisons only.
    /// </summary>
    public static readonly FrozenSet<string> CompareOnlyReadOnly = FrozenSet.ToFrozenSet(
        ["deployedAppCount", "deviceReporting", "newUpdates", "inventorySyncStatus", "referencingConfigurationPolicyCount", "status", "errorCode", "applicableDeviceCount"], StringComparer.Ordinal);

    /// <summary>
    /// Wrappers of the settings catalog's setting tree that a person does not need in a path:
    /// <c>settings[X].settingInstance.choiceSettingValue.value</c> reads <c>settings[X].value</c>.
    /// </summary>
    public static readonly FrozenSet<string> Transparent = FrozenSet.ToFrozenSet(
        ["settingInstance", "choiceSettingValue", "simpleSettingValue", "groupSettingValue"], StringComparer.Ordinal);

    /// <summary>
    /// Arrays of plain values whose order carries no meaning, compared as (multi)sets: scope tags, CC lists, targeted
    /// apps, and any property whose name ends in <c>Ids</c>. Every other array of plain values is a list (home page URLs,
    /// the lines of a multi-text presentation value: order matters).
    /// </summary>
    public static readonly FrozenSet<string> UnorderedValueArrays = FrozenSet.ToFrozenSet(
        ["roleScopeTagIds", "notificationMessageCCList", "targetedMobileApps"], StringComparer.Ordinal);

    public static bool IsAnnotation(string name) => name.Contains('@', StringComparison.Ordinal) && name != "@odata.type";

    public static bool IsUnordered(string name, DiffOptions options) =>
        UnorderedValueArrays.Contains(name) || options.UnorderedArrays.Contains(name) || (name.EndsWith("Ids", StringComparison.Ordinal) && name.Length > 3);

    /// <summary>How the elements of a named array of objects are matched and named in a path.</summary>
    /// <param name="Key">The element's identity (same in both tenants); <c>null</c> when the element lacks it.</param>
    /// <param name="Label">The element's name in a readable path; falls back to the key.</param>
    /// <param name="SettingId">For setting instances: the definition id, so that child labels can be made relative to it.</param>
    /// <param name="References">Navigation properties of the element that only reference its key (not compared).</param>
    /// <param name="FallbackLabel">The label when no element of either side has one (derived from the key).</param>
    public sealed record KeyedArray(
        Func<JsonObject, string?> Key,
        Func<JsonObject, SettingLabels, string?>? Label = null,
        Func<JsonObject, string?>? SettingId = null,
        IReadOnlyList<string>? References = null,
        Func<JsonObject, SettingLabels, string?>? FallbackLabel = null);

    /// <summary>The keyed collections of the Intune families, by property name.</summary>
    public static readonly FrozenDictionary<string, KeyedArray> KeyedArrays = new Dictionary<string, KeyedArray>(StringComparer.Ordinal)
    {
        // Settings catalog: a policy's settings, each a { id, settingInstance } keyed by the instance's definition id;
        // endpoint security intents: setting instances { id, definitionId, valueJson } keyed by their definition id.
        ["settings"] = new(
            SettingKey,
            (e, labels) => labels.Named(SettingKey(e), e),
            SettingKey,
            FallbackLabel: (e, labels) => labels.Derived(SettingKey(e))),
        // Child setting instances of a choice value or of a group value.
        ["children"] = new(
            e => JsonValues.Text(e["settingDefinitionId"]),
            (e, labels) => labels.Named(JsonValues.Text(e["settingDefinitionId"]), e),
            e => JsonValues.Text(e["settingDefinitionId"]),
            FallbackLabel: (e, labels) => labels.Derived(JsonValues.Text(e["settingDefinitionId"]))),
        // Multi-select choices and multi-value simple settings: the selected value is the identity (a set).
        ["choiceSettingCollectionValue"] = new(e => ValueKey(e["value"]), (e, labels) => labels.Option(JsonValues.Text(e["value"]))),
        ["simpleSettingCollectionValue"] = new(e => ValueKey(e["value"]), (e, _) => DiffPreview.Fold(e["value"], 60)),
        // Administrative templates: a value per ADMX definition, then a value per presentation of that definition.
        ["definitionValues"] = new(
            e => JsonValues.Text(e["definition"]?["id"]) ?? BoundId(e["definition@odata.bind"]),
            (e, _) => JsonValues.Text(e["definition"]?["displayName"]),
            References: ["definition"]),
        ["presentationValues"] = new(
            e => JsonValues.Text(e["presentation"]?["id"]) ?? BoundId(e["presentation@odata.bind"]),
            (e, _) => JsonValues.Text(e["presentation"]?["label"]),
            References: ["presentation"]),
        // Compliance: actions per rule (Intune keeps one rule, PasswordRequired), one configuration per action type.
        ["scheduledActionsForRule"] = new(e => JsonValues.Text(e["ruleName"])),
        ["scheduledActionConfigurations"] = new(e => JsonValues.Text(e["actionType"])),
        // Custom (OMA-URI) profiles.
        ["omaSettings"] = new(e => JsonValues.Text(e["omaUri"])),
        // Notification message templates: one message per locale (the ids are each tenant's own).
        ["localizedNotificationMessages"] = new(e => JsonValues.Text(e["locale"]), (e, _) => JsonValues.Text(e["locale"])),
        // App protection and MAM app configuration: the targeted apps, named by their identifier (the same in every tenant).
        ["apps"] = new(e => AppKey(e["mobileAppIdentifier"]), (e, _) => AppKey(e["mobileAppIdentifier"])),
        // Windows Information Protection: the AppLocker files, named by their display name (ids are per tenant).
        ["protectedAppLockerFiles"] = new(e => JsonValues.Text(e["displayName"])),
        ["exemptAppLockerFiles"] = new(e => JsonValues.Text(e["displayName"])),
        // Policy sets: an item per bundled object, keyed by the object's id (payloadId), named by the object's name.
        ["items"] = new(e => JsonValues.Text(e["payloadId"]), (e, _) => JsonValues.Text(e["displayName"])),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Unknown arrays of objects are keyed by <c>id</c> when every element has one, else compared by position.</summary>
    public static readonly KeyedArray ById = new(e => JsonValues.Text(e["id"]));

    /// <summary>The id in an <c>@odata.bind</c> URL: <c>…/definitions('abc')</c> or <c>…/definitions/abc</c>.</summary>
    public static string? BoundId(JsonNode? bind)
    {
        if (JsonValues.Text(bind) is not { Length: > 0 } url)
        {
            return null;
        }

        var trimmed = url.TrimEnd('/');
        if (trimmed.EndsWith("')", StringComparison.Ordinal) && trimmed.LastIndexOf("('", StringComparison.Ordinal) is var open and >= 0)
        {
            return trimmed[(open + 2)..^2];
        }

        var slash = trimmed.LastIndexOf('/');
        return slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
    }

    private static string? SettingKey(JsonObject setting) =>
        JsonValues.Text(setting["settingInstance"]?["settingDefinitionId"]) ?? JsonValues.Text(setting["definitionId"]);

    /// <summary>A managed app's bundle id (iOS), package id (Android) or Windows app id.</summary>
    private static string? AppKey(JsonNode? identifier) =>
        JsonValues.Text(identifier?["bundleId"]) ?? JsonValues.Text(identifier?["packageId"]) ?? JsonValues.Text(identifier?["windowsAppId"]);

    private static string? ValueKey(JsonNode? value) => value is null ? null : JsonValues.Canonical(value);
}

/// <summary>Names of settings catalog settings for paths; relative to the parent setting inside <c>children</c>.</summary>
internal sealed class SettingLabels(DiffOptions options, string? parentSettingId)
{
    private static readonly string[] Prefixes =
    [
        "device_vendor_msft_policy_config_", "user_vendor_msft_policy_config_", "device_vendor_msft_", "user_vendor_msft_",
        "vendor_msft_", "com.apple.",
    ];

    /// <summary>The setting's name from the options' catalogue or from an expanded <c>settingDefinitions</c>; <c>null</c> when neither knows it.</summary>
    public string? Named(string? definitionId, JsonObject element) =>
        definitionId is null ? null : options.SettingLabel?.Invoke(definitionId) ?? ExpandedDisplayName(element, definitionId);

    /// <summary>A choice's option id names the option after the setting's id: <c>…_allowcamera_true</c> reads <c>true</c>.</summary>
    public string? Option(string? optionId) =>
        optionId is not null && parentSettingId is not null && optionId.StartsWith(parentSettingId + "_", StringComparison.Ordinal)
            ? optionId[(parentSettingId.Length + 1)..]
            : optionId;

    private static string? ExpandedDisplayName(JsonObject element, string definitionId) =>
        (element["settingDefinitions"] as JsonArray)?.OfType<JsonObject>()
            .Where(d => JsonValues.Text(d["id"]) == definitionId)
            .Select(d => JsonValues.Text(d["displayName"]))
            .FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));

    /// <summary>A name made from the id: known prefixes (or the parent's id) dropped, the parts joined with <c> › </c>.</summary>
    public string? Derived(string? definitionId)
    {
        if (definitionId is null)
        {
            return null;
        }

        var rest = definitionId;
        if (parentSettingId is not null && definitionId.StartsWith(parentSettingId + "_", StringComparison.Ordinal))
        {
            rest = definitionId[(parentSettingId.Length + 1)..];
        }
        else if (Prefixes.FirstOrDefault(p => definitionId.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix)
        {
            rest = definitionId[prefix.Length..];
        }

        var parts = rest.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? definitionId : string.Join(" › ", parts);
    }
}
