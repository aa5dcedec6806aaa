using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Fidelity;

/// <summary>
/// Every seeded object the emulator serves carries every property its schema declares, each of the declared kind, and
/// is answered with an @odata.context of Graph's form. Needs no Microsoft example, so it runs everywhere.
/// </summary>
public sealed partial class SeededSchemaTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    public static TheoryData<string> IntuneFamilies()
    {
        var data = new TheoryData<string>();
        foreach (var family in FamilyRegistry.Families.Where(f => f.IsIntune))
        {
            data.Add(family.Name);
        }

        return data;
    }

    [Fact]
    public void The_schema_describes_every_type_the_families_know_and_every_type_it_names()
    {
        var problems = FamilyRegistry.Families.Where(f => f.IsIntune).SelectMany(f => f.KnownTypes)
            .Where(t => GraphSchema.Find(t) is null).Select(t => $"{t} has no schema").ToList();
        problems.AddRange(GraphSchema.Types.SelectMany(t => t.Properties.Where(p => p.Kind.IsObject && GraphSchema.Find(GraphSchema.Prefix + p.Kind.Base) is null)
            .Select(p => $"{t.Name}.{p.Name} names '{p.Kind.Base}', which the schema does not describe")));

        problems.Should().BeEmpty();
        GraphSchema.Find("microsoft.graph.group").Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(IntuneFamilies))]
    public async Task Every_seeded_object_carries_every_property_of_its_schema_with_the_declared_kinds(string familyName)
    {
        var family = FamilyRegistry.Get(familyName);
        var tenant = SeededTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var items = tenant.List(family.Name);
        items.Should().NotBeEmpty();
        var problems = new List<string>();

        foreach (var id in items.Select(i => i["id"].Str()))
        {
            var item = await client.GetJsonAsync($"beta/{family.CollectionPath}/{id}");
            item["@odata.context"].Str().Should().MatchRegex(
                $"^{Regex.Escape(client.BaseAddress!.ToString())}beta/\\$metadata#{Regex.Escape(family.CollectionPath)}/\\$entity$", "Graph's form for an item");
            var type = item["@odata.type"]?.GetValue<string>() ?? family.KnownTypes[0];
            var schema = GraphSchema.Find(type);
            if (schema is null)
            {
                problems.Add($"{id}: the emulator serves '{type}', which its schema does not describe");
                continue;
            }

            Check(item, schema, $"{schema.Name}({id})", problems);
        }

        problems.Should().BeEmpty("every seeded {0} item matches its schema", familyName);
    }

    [Fact]
    public async Task Seeded_items_below_an_object_carry_every_property_of_their_schema()
    {
        var tenant = SeededTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var problems = new List<string>();

        foreach (var policy in tenant.List(GraphFamilies.DeviceCompliancePolicies).Take(5))
        {
            var read = await client.GetJsonAsync(
                $"beta/deviceManagement/deviceCompliancePolicies/{policy["id"]}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)");
            foreach (var rule in read["scheduledActionsForRule"]!.AsArray().OfType<JsonObject>())
            {
                var actions = rule["scheduledActionConfigurations"]!.AsArray();
                actions.Should().NotBeEmpty();
                rule.Remove("scheduledActionConfigurations");
                Check(rule, GraphSchema.Get("microsoft.graph.deviceComplianceScheduledActionForRule"), "rule", problems);
                foreach (var action in actions.OfType<JsonObject>())
                {
                    Check(action, GraphSchema.Get("microsoft.graph.deviceComplianceActionItem"), "action", problems);
                }
            }
        }

        foreach (var policy in tenant.List(GraphFamilies.ConfigurationPolicies).Take(5))
        {
            var settings = await client.GetJsonAsync($"beta/deviceManagement/configurationPolicies/{policy["id"]}/settings");
            settings["@odata.context"].Str().Should().EndWith($"/beta/$metadata#deviceManagement/configurationPolicies('{policy["id"]}')/settings");
            foreach (var setting in settings.Values().OfType<JsonObject>())
            {
                Check(setting, GraphSchema.Get("microsoft.graph.deviceManagementConfigurationSetting"), "setting", problems);
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_seeded_group_carries_every_property_of_the_group_schema_and_graphs_context()
    {
        var tenant = SeededTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var id = tenant.List(GraphFamilies.Groups)[0]["id"].Str();

        var group = await client.GetJsonAsync($"v1.0/groups/{id}");

        group["@odata.context"].Str().Should().Be($"{client.BaseAddress}v1.0/$metadata#groups/$entity");
        group.Select(p => p.Key).Should().Contain(GraphSchema.Get("microsoft.graph.group").Properties.Select(p => p.Name));
    }

    [Fact]
    public void The_same_seed_seeds_the_same_objects()
    {
        var first = SeededTenant().List(GraphFamilies.DeviceConfigurations).Select(p => p.ToJsonString());
        var second = SeededTenant().List(GraphFamilies.DeviceConfigurations).Select(p => p.ToJsonString());

        second.Should().Equal(first);
    }

    private TenantState SeededTenant() => fixture.NewTenant(spec =>
    {
        spec.Seed = 16;
        spec.FamilyCounts = new()
        {
            [GraphFamilies.DeviceConfigurations] = 40,
            [GraphFamilies.DeviceCompliancePolicies] = 12,
            [GraphFamilies.MobileAppConfigurations] = 6,
            [GraphFamilies.IosManagedAppProtections] = 3,
            [GraphFamilies.AndroidManagedAppProtections] = 3,
            [GraphFamilies.TargetedManagedAppConfigurations] = 3,
            [GraphFamilies.MobileApps] = 6,
            [GraphFamilies.WindowsAutopilotDeploymentProfiles] = 6,
            [GraphFamilies.WindowsFeatureUpdateProfiles] = 3,
            [GraphFamilies.WindowsQualityUpdateProfiles] = 3,
            [GraphFamilies.WindowsDriverUpdateProfiles] = 3,
            [GraphFamilies.CompliancePolicies] = 3,
            [GraphFamilies.WindowsManagedAppProtections] = 3,
            [GraphFamilies.WindowsInformationProtectionPolicies] = 3,
            [GraphFamilies.MdmWindowsInformationProtectionPolicies] = 3,
            [GraphFamilies.PolicySets] = 3,
        };
    });

    /// <summary>Checks an object against a schema by this test's own reading of the kinds (not the emulator's validator).</summary>
    private static void Check(JsonObject obj, TypeSchema schema, string path, List<string> problems)
    {
        foreach (var property in schema.Properties)
        {
            if (!obj.TryGetPropertyValue(property.Name, out var value))
            {
                problems.Add($"{path}.{property.Name} is missing");
                continue;
            }

            CheckValue(value, property.Kind, $"{path}.{property.Name}", problems);
        }
    }

    private static void CheckValue(JsonNode? value, PropertyKind kind, string path, List<string> problems)
    {
        if (value is null)
        {
            // Graph answers null for an unset text, object or nullable value; switches, numbers, enums and collections always have one.
            if (!(kind.IsNullable || kind.IsObject || kind.Base == PropertyKind.Any || (kind.IsText && kind.Base != PropertyKind.Enum)) || kind.IsCollection)
            {
                problems.Add($"{path} is null; the schema declares {kind}");
            }

            return;
        }

        if (kind.IsCollection)
        {
            if (value is not JsonArray items)
            {
                problems.Add($"{path} is not a collection; the schema declares {kind}");
                return;
            }

            foreach (var item in items)
            {
                CheckValue(item, kind with { IsCollection = false }, path + "[]", problems);
            }

            return;
        }

        if (kind.IsObject)
        {
            if (value is not JsonObject nested)
            {
                problems.Add($"{path} is not an object; the schema declares {kind}");
                return;
            }

            var type = nested["@odata.type"]?.GetValue<string>();
            if (type is not null && !type.StartsWith('#'))
            {
                problems.Add($"{path}.@odata.type '{type}' lacks the '#' Graph sends");
            }

            if (GraphSchema.Find(type ?? GraphSchema.Prefix + kind.Base) is { } schema)
            {
                Check(nested, schema, path, problems);
            }

            return;
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var ok = kind.Base switch
        {
            PropertyKind.Any => true,
            PropertyKind.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            PropertyKind.Int32 => value.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<int>(out _),
            PropertyKind.Double => value.GetValueKind() == JsonValueKind.Number,
            PropertyKind.DateTimeOffset => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            PropertyKind.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            PropertyKind.TimeOfDay => TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out _),
            PropertyKind.Duration => text is not null && IsDuration(text),
            PropertyKind.Binary => text is not null && Convert.TryFromBase64String(text, new byte[text.Length], out _),
            PropertyKind.Enum => text is not null && EnumMember().IsMatch(text),
            _ => text is not null,
        };
        if (!ok)
        {
            problems.Add($"{path} is {value.ToJsonString()}; the schema declares {kind}");
        }
    }

    private static bool IsDuration(string text)
    {
        try
        {
            XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An enum member (or Graph's comma-joined flags).</summary>
    [GeneratedRegex(@"^[a-z][A-Za-z0-9]*(,[a-z][A-Za-z0-9]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnumMember();
}
