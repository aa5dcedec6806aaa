using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>
/// A fixed set of ADMX-backed group policy definitions, the same in every tenant (like Microsoft's
/// built-in definitions, whose ids are global), each with its presentations.
/// </summary>
internal static class AdministrativeTemplateCatalog
{
    public sealed record Presentation(string Id, string ODataType, string Label, string ValueType);

    public sealed record Definition(
        string Id, string DisplayName, string ClassType, string CategoryPath, string ExplainText, IReadOnlyList<Presentation> Presentations);

    private static readonly (string Name, string Class, string Category, (string Type, string Label, string ValueType)[] Presentations)[] Source =
    [
        ("Configure the home page URL", "user", "\\Microsoft Edge\\Startup, home page and new tab page", [("groupPolicyPresentationTextBox", "Home page URL", "Text")]),
        ("Allow Cortana", "machine", "\\Windows Components\\Search", []),
        ("Turn off Microsoft Defender Antivirus", "machine", "\\Windows Components\\Microsoft Defender Antivirus", []),
        ("Configure Automatic Updates", "machine", "\\Windows Components\\Windows Update\\Manage end user experience", [("groupPolicyPresentationDropdownList", "Configure automatic updating:", "Text"), ("groupPolicyPresentationDecimalTextBox", "Scheduled install time", "Decimal")]),
        ("Prevent access to the command prompt", "user", "\\System", [("groupPolicyPresentationDropdownList", "Disable the command prompt script processing also?", "Text")]),
        ("Interactive logon: Message text for users attempting to log on", "machine", "\\Windows Components\\Logon", [("groupPolicyPresentationMultiTextBox", "Message text", "MultiText")]),
        ("Enable saving passwords to the password manager", "user", "\\Google\\Google Chrome\\Password manager", []),
        ("Configure the list of force-installed apps and extensions", "machine", "\\Google\\Google Chrome\\Extensions", [("groupPolicyPresentationListBox", "Extension/App IDs and update URLs to be silently installed", "List")]),
        ("Set default download directory", "user", "\\Microsoft Edge", [("groupPolicyPresentationTextBox", "Set default download directory", "Text")]),
        ("Block third party cookies", "user", "\\Microsoft Edge\\Content settings", []),
        ("Turn off AutoPlay", "machine", "\\Windows Components\\AutoPlay Policies", [("groupPolicyPresentationDropdownList", "Turn off Autoplay on:", "Text")]),
        ("Require a password when a computer wakes (plugged in)", "machine", "\\System\\Power Management\\Sleep Settings", []),
        ("Do not display the lock screen", "machine", "\\Control Panel\\Personalization", []),
        ("Specify intranet Microsoft update service location", "machine", "\\Windows Components\\Windows Update\\Manage updates offered from Windows Server Update Service", [("groupPolicyPresentationTextBox", "Set the intranet update service for detecting updates:", "Text"), ("groupPolicyPresentationTextBox", "Set the intranet statistics server:", "Text")]),
        ("Silently move Windows known folders to OneDrive", "machine", "\\OneDrive", [("groupPolicyPresentationTextBox", "Tenant ID:", "Text"), ("groupPolicyPresentationCheckBox", "Show notification to users after folders have been redirected:", "Boolean")]),
        ("Use OneDrive Files On-Demand", "machine", "\\OneDrive", []),
        ("Disable Internet Explorer 11 as a standalone browser", "machine", "\\Windows Components\\Internet Explorer\\Advanced Settings\\Browsing", [("groupPolicyPresentationDropdownList", "Notify that Internet Explorer 11 browser is disabled", "Text")]),
        ("Configure Windows Defender SmartScreen", "machine", "\\Windows Components\\File Explorer", [("groupPolicyPresentationDropdownList", "Pick one of the following settings:", "Text")]),
        ("Allow Microsoft accounts to be optional", "machine", "\\Windows Components\\App runtime", []),
        ("Turn off the advertising ID", "machine", "\\System\\User Profiles", []),
    ];

    public static IReadOnlyList<Definition> Definitions { get; } = Build();

    private static List<Definition> Build()
    {
        // A fixed seed: definition ids are global, identical in every tenant.
        var rng = new SeedRandom(20_190_521, "groupPolicyDefinitions");
        return Source.Select(s => new Definition(
            rng.Guid(),
            s.Name,
            s.Class,
            s.Category,
            $"This policy setting lets you decide: {s.Name.ToLowerInvariant()}.",
            s.Presentations.Select(p => new Presentation(rng.Guid(), $"#microsoft.graph.{p.Type}", p.Label, p.ValueType)).ToList())).ToList();
    }

    public static Definition? Find(string id) => Definitions.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));

    public static JsonObject DefinitionJson(Definition definition) => new()
    {
        ["id"] = definition.Id,
        ["classType"] = definition.ClassType,
        ["displayName"] = definition.DisplayName,
        ["explainText"] = definition.ExplainText,
        ["categoryPath"] = definition.CategoryPath,
        ["supportedOn"] = "At least Windows 10 Server, Windows 10 or Windows 10 RT",
        ["policyType"] = "admxBacked",
        ["hasRelatedDefinitions"] = false,
        ["groupPolicyCategoryId"] = null,
        ["minDeviceCspVersion"] = "5.0",
        ["minUserCspVersion"] = "5.0",
        ["version"] = "1.0",
        ["lastModifiedDateTime"] = "2024-02-20T18:23:41.3395617Z",
    };

    public static JsonObject PresentationJson(Presentation presentation) => new()
    {
        ["@odata.type"] = presentation.ODataType,
        ["id"] = presentation.Id,
        ["label"] = presentation.Label,
        ["lastModifiedDateTime"] = "2024-02-20T18:23:41.3395617Z",
    };

    /// <summary>A presentation value of the type that matches the presentation, with a plausible value.</summary>
    public static JsonObject PresentationValueJson(SeedRandom rng, Presentation presentation, string created)
    {
        var value = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.groupPolicyPresentationValue{presentation.ValueType}",
            ["id"] = rng.Guid(),
            ["lastModifiedDateTime"] = created,
            ["createdDateTime"] = created,
        };
        switch (presentation.ValueType)
        {
            case "Decimal":
                value["value"] = rng.Between(0, 23);
                break;
            case "Boolean":
                value["value"] = rng.Chance(0.5);
                break;
            case "MultiText":
                value["values"] = Json.Strings(["Authorized use only.", "Activity may be monitored."]);
                break;
            case "List":
                value["values"] = Json.Array([new JsonObject { ["name"] = "ghbmnnjooekpmoecnnnilnnbdlolhkhi", ["value"] = "https://clients2.google.com/service/update2/crx" }]);
                break;
            default:
                value["value"] = rng.Pick(TextValues);
                break;
        }

        value["presentation"] = PresentationJson(presentation);
        return value;
    }

    private static readonly string[] TextValues =
    [
        "https://intranet.contoso.com", "%USERPROFILE%\\Downloads", "https://wsus.contoso.local:8531", "1", "2", "4",
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
    ];
}
