using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Inventory.Sync;

/// <summary>What inventory keeps of one listed policy, derived from the listing alone (no per-policy call).</summary>
internal readonly record struct ListedPolicy(
    string GraphId,
    string DisplayName,
    string? ODataType,
    string? Platform,
    DateTimeOffset? LastModifiedAt,
    string? Version,
    string ContentHash,
    int? AssignmentCount)
{
    public static ListedPolicy From(GraphObjectSummary item, ArrayBufferWriter<byte> buffer)
    {
        var raw = item.Raw;
        return new ListedPolicy(
            item.Id,
            item.DisplayName,
            item.ODataType,
            Platforms.Of(item.ResourceKey, item.ODataType, raw["platforms"], raw["settingDefinitionId"]),
            item.LastModifiedDateTime,
            VersionOf(raw["version"]),
            Hash(raw, buffer),
            raw["assignments"] is JsonArray assignments ? assignments.Count : null);
    }

    private static string? VersionOf(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            JsonValue value when value.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => node.ToJsonString(),
        };

    /// <summary>
    /// SHA-256 of the listed object (properties in Graph's order, assignments included), skipping OData annotations other
    /// than <c>@odata.type</c> (contexts carry the host's URL and would change the hash for nothing). Written straight
    /// into a reused buffer: no string per item.
    /// </summary>
    internal static string Hash(JsonObject raw, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in raw)
            {
                if (name.Contains("@odata.", StringComparison.Ordinal) && name != "@odata.type")
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>A policy's platform for the filter: the settings catalog says it (<c>platforms</c>), the others through <c>@odata.type</c>.</summary>
internal static class Platforms
{
    public const string Windows = "Windows";
    public const string MacOs = "macOS";
    public const string Ios = "iOS";
    public const string Android = "Android";
    public const string Linux = "Linux";
    public const string Multiple = "Multiple";

    public static string? Of(string family, string? odataType, JsonNode? platforms, JsonNode? settingDefinitionId = null)
    {
        if (platforms is JsonValue value && value.TryGetValue<string>(out var flags) && !string.IsNullOrWhiteSpace(flags))
        {
            // Settings catalog: flags such as "windows10", "macOS", "iOS", "linux", or several ("windows10,macOS").
            var named = flags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(FromName).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            return named.Count switch
            {
                0 => null,
                1 => named[0],
                _ => Multiple,
            };
        }

        if (odataType is not null && FromName(odataType.Replace("#microsoft.graph.", "", StringComparison.Ordinal)) is { } fromType)
        {
            return fromType;
        }

        // Families that exist for one platform only.
        return family switch
        {
            GraphResourceKeys.GroupPolicyConfigurations or GraphResourceKeys.DeviceManagementScripts or GraphResourceKeys.WindowsAutopilotDeploymentProfiles
                or GraphResourceKeys.DeviceHealthScripts or GraphResourceKeys.DeviceComplianceScripts
                or GraphResourceKeys.WindowsFeatureUpdateProfiles or GraphResourceKeys.WindowsQualityUpdateProfiles
                or GraphResourceKeys.WindowsDriverUpdateProfiles => Windows,
            GraphResourceKeys.DeviceShellScripts or GraphResourceKeys.DeviceCustomAttributeShellScripts => MacOs,
            GraphResourceKeys.IosManagedAppProtections => Ios,
            GraphResourceKeys.AndroidManagedAppProtections => Android,
            GraphResourceKeys.WindowsManagedAppProtections or GraphResourceKeys.WindowsInformationProtectionPolicies
                or GraphResourceKeys.MdmWindowsInformationProtectionPolicies => Windows,
            // A policy set bundles objects of any platform.
            GraphResourceKeys.PolicySets => Multiple,
            GraphResourceKeys.TargetedManagedAppConfigurations => Multiple,
            // Windows Hello for Business is Windows'; device limits and platform restrictions span every platform (the
            // enrollment status page is windows10… and named above).
            GraphResourceKeys.DeviceEnrollmentConfigurations => odataType?.Contains("WindowsHelloForBusiness", StringComparison.Ordinal) == true ? Windows : Multiple,
            // A reusable setting belongs to its setting's platform: Linux discovery scripts, else Windows' CSPs (firewall,
            // device control). An intent's listing names only its template, so its platform stays unknown there.
            GraphResourceKeys.ReusablePolicySettings => ReusablePlatform(settingDefinitionId),
            // Tenant-wide: the Company Portal's terms, branding and the compliance e-mails reach users of every platform.
            GraphResourceKeys.TermsAndConditions or GraphResourceKeys.NotificationMessageTemplates or GraphResourceKeys.IntuneBrandingProfiles => Multiple,
            _ => null,
        };
    }

    private static string? ReusablePlatform(JsonNode? settingDefinitionId) =>
        settingDefinitionId is JsonValue value && value.TryGetValue<string>(out var id)
            ? id.StartsWith("linux_", StringComparison.OrdinalIgnoreCase) ? Linux
            : id.StartsWith("device_vendor_msft_", StringComparison.OrdinalIgnoreCase) || id.StartsWith("vendor_msft_", StringComparison.OrdinalIgnoreCase) ? Windows
            : null
            : null;

    private static string? FromName(string name)
    {
        var n = name.ToLowerInvariant();
        return n switch
        {
            _ when n.StartsWith("windows", StringComparison.Ordinal) || n.StartsWith("win32", StringComparison.Ordinal)
                || n.StartsWith("mdmwindows", StringComparison.Ordinal) || n.Contains("windowsautopilot", StringComparison.Ordinal)
                || n.StartsWith("azureadwindows", StringComparison.Ordinal) || n.StartsWith("activedirectorywindows", StringComparison.Ordinal)
                || n.StartsWith("editionupgrade", StringComparison.Ordinal) || n.StartsWith("sharedpc", StringComparison.Ordinal) => Windows,
            _ when n.StartsWith("macos", StringComparison.Ordinal) => MacOs,
            _ when n.StartsWith("ios", StringComparison.Ordinal) => Ios,
            _ when n.StartsWith("android", StringComparison.Ordinal) || n.StartsWith("aosp", StringComparison.Ordinal) => Android,
            _ when n.StartsWith("linux", StringComparison.Ordinal) => Linux,
            // App configuration for managed apps and the default app protection apply to iOS and Android apps alike.
            _ when n.StartsWith("targetedmanagedappconfiguration", StringComparison.Ordinal) || n.StartsWith("defaultmanagedappprotection", StringComparison.Ordinal) => Multiple,
            _ => null,
        };
    }
}
