using System.Globalization;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>Groups as GET /v1.0/groups answers them.</summary>
internal static class DirectoryShapes
{
    private static readonly string[] Prefixes = ["SG", "GRP", "AAD", "INT", "M365"];

    private static readonly string[] Areas =
    [
        "Win11", "Win10", "iOS", "Android", "macOS", "Kiosk", "Pilot", "Finance", "HR", "Sales", "Engineering", "Marketing",
        "Legal", "IT", "Operations", "Support", "Research", "Contractors", "Executives", "Frontline",
    ];

    private static readonly string[] Kinds =
    [
        "Devices", "Users", "Admins", "Ring0", "Ring1", "Ring2", "Testers", "BYOD", "Corporate", "Shared", "Autopilot",
    ];

    public static string GroupName(SeedRandom rng, int index) =>
        $"{rng.Pick(Prefixes)}-{rng.Pick(Areas)}-{rng.Pick(Kinds)}-{index:D4}";

    public static JsonObject Group(SeedRandom rng, string id, string displayName, string domain, DateTimeOffset created)
    {
        var roll = rng.Next(10);
        var unified = roll >= 7 && roll < 9;
        var dynamic = roll == 9;
        var nickname = new string(displayName.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        var groupTypes = unified ? Json.Strings(["Unified"]) : dynamic ? Json.Strings(["DynamicMembership"]) : Json.Empty();
        var sid = string.Create(CultureInfo.InvariantCulture, $"S-1-12-1-{rng.UInt()}-{rng.UInt()}-{rng.UInt()}-{rng.UInt()}");
        return new JsonObject
        {
            ["id"] = id,
            ["deletedDateTime"] = null,
            ["classification"] = null,
            ["createdDateTime"] = SeedRandom.DirectoryTime(created),
            ["creationOptions"] = unified ? Json.Strings(["YammerProvisioning"]) : Json.Empty(),
            ["description"] = unified ? $"Microsoft 365 group for {displayName}" : rng.Chance(0.5) ? $"Security group {displayName}" : null,
            ["displayName"] = displayName,
            ["expirationDateTime"] = null,
            ["groupTypes"] = groupTypes,
            ["isAssignableToRole"] = null,
            ["mail"] = unified ? $"{nickname}@{domain}" : null,
            ["mailEnabled"] = unified,
            ["mailNickname"] = unified ? nickname : rng.Guid()[..10],
            ["membershipRule"] = dynamic ? rng.Pick(DynamicRules) : null,
            ["membershipRuleProcessingState"] = dynamic ? "On" : null,
            ["onPremisesDomainName"] = null,
            ["onPremisesLastSyncDateTime"] = null,
            ["onPremisesNetBiosName"] = null,
            ["onPremisesSamAccountName"] = null,
            ["onPremisesSecurityIdentifier"] = null,
            ["onPremisesSyncEnabled"] = null,
            ["preferredDataLocation"] = null,
            ["preferredLanguage"] = null,
            ["proxyAddresses"] = unified ? Json.Strings([$"SMTP:{nickname}@{domain}"]) : Json.Empty(),
            ["renewedDateTime"] = SeedRandom.DirectoryTime(created),
            ["resourceBehaviorOptions"] = Json.Empty(),
            ["resourceProvisioningOptions"] = unified && rng.Chance(0.5) ? Json.Strings(["Team"]) : Json.Empty(),
            ["securityEnabled"] = !unified || rng.Chance(0.3),
            ["securityIdentifier"] = sid,
            ["theme"] = null,
            ["uniqueName"] = null,
            ["visibility"] = unified ? rng.Pick(Visibilities) : null,
            ["onPremisesProvisioningErrors"] = Json.Empty(),
            ["serviceProvisioningErrors"] = Json.Empty(),
        };
    }

    private static readonly string[] Visibilities = ["Private", "Public"];

    private static readonly string[] DynamicRules =
    [
        "(device.deviceOSType -eq \"Windows\")",
        "(device.deviceOSType -eq \"iPhone\") or (device.deviceOSType -eq \"iPad\")",
        "(device.devicePhysicalIds -any (_ -contains \"[ZTDId]\"))",
        "(user.department -eq \"Sales\")",
        "(user.country -eq \"Germany\")",
    ];
}
