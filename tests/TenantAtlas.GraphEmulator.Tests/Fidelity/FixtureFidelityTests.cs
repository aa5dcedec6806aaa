using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Fidelity;

/// <summary>
/// The emulator against Microsoft's own example JSON (extracted by Fixtures/extract.py from the Graph API reference,
/// never committed; where it is looked for: <see cref="GraphFixtures"/>): every property of the example GET answer, of
/// the same kind, nested objects alike; the example create bodies accepted; a body Graph would refuse refused in Graph's
/// envelope. Without the fixtures these tests are reported skipped; WriteValidationTests and SeededSchemaTests check
/// the same rules with bodies of our own.
/// </summary>
public sealed partial class FixtureFidelityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    /// <summary>Fixture folder → how to reach one item of it in the emulator.</summary>
    private static readonly Dictionary<string, (string Family, string? Navigation)> Families = new(StringComparer.Ordinal)
    {
        ["deviceConfigurations"] = (GraphFamilies.DeviceConfigurations, null),
        ["deviceCompliancePolicies"] = (GraphFamilies.DeviceCompliancePolicies, null),
        ["configurationPolicies"] = (GraphFamilies.ConfigurationPolicies, null),
        ["groupPolicyConfigurations"] = (GraphFamilies.GroupPolicyConfigurations, null),
        ["deviceManagementScripts"] = (GraphFamilies.DeviceManagementScripts, null),
        ["deviceHealthScripts"] = (GraphFamilies.DeviceHealthScripts, null),
        ["deviceShellScripts"] = (GraphFamilies.DeviceShellScripts, null),
        ["deviceCustomAttributeShellScripts"] = (GraphFamilies.DeviceCustomAttributeShellScripts, null),
        ["deviceComplianceScripts"] = (GraphFamilies.DeviceComplianceScripts, null),
        ["windowsFeatureUpdateProfiles"] = (GraphFamilies.WindowsFeatureUpdateProfiles, null),
        ["windowsQualityUpdateProfiles"] = (GraphFamilies.WindowsQualityUpdateProfiles, null),
        ["windowsDriverUpdateProfiles"] = (GraphFamilies.WindowsDriverUpdateProfiles, null),
        ["compliancePolicies"] = (GraphFamilies.CompliancePolicies, null),
        ["intents"] = (GraphFamilies.Intents, null),
        ["templates"] = (GraphFamilies.Templates, null),
        ["reusablePolicySettings"] = (GraphFamilies.ReusablePolicySettings, null),
        ["deviceEnrollmentConfigurations"] = (GraphFamilies.DeviceEnrollmentConfigurations, null),
        ["termsAndConditions"] = (GraphFamilies.TermsAndConditions, null),
        ["notificationMessageTemplates"] = (GraphFamilies.NotificationMessageTemplates, null),
        ["intuneBrandingProfiles"] = (GraphFamilies.IntuneBrandingProfiles, null),
        ["mobileAppConfigurations"] = (GraphFamilies.MobileAppConfigurations, null),
        ["iosManagedAppProtections"] = (GraphFamilies.IosManagedAppProtections, null),
        ["androidManagedAppProtections"] = (GraphFamilies.AndroidManagedAppProtections, null),
        ["windowsManagedAppProtections"] = (GraphFamilies.WindowsManagedAppProtections, null),
        ["windowsInformationProtectionPolicies"] = (GraphFamilies.WindowsInformationProtectionPolicies, null),
        ["mdmWindowsInformationProtectionPolicies"] = (GraphFamilies.MdmWindowsInformationProtectionPolicies, null),
        ["policySets"] = (GraphFamilies.PolicySets, null),
        ["targetedManagedAppConfigurations"] = (GraphFamilies.TargetedManagedAppConfigurations, null),
        ["mobileApps"] = (GraphFamilies.MobileApps, null),
        ["windowsAutopilotDeploymentProfiles"] = (GraphFamilies.WindowsAutopilotDeploymentProfiles, null),
        ["assignmentFilters"] = (GraphFamilies.AssignmentFilters, null),
        ["roleScopeTags"] = (GraphFamilies.RoleScopeTags, null),
        ["roleDefinitions"] = (GraphFamilies.RoleDefinitions, null),
        ["groups"] = (GraphFamilies.Groups, null),
        ["conditionalAccessPolicies"] = (GraphFamilies.ConditionalAccessPolicies, null),
        ["namedLocations"] = (GraphFamilies.NamedLocations, null),
    };

    /// <summary>Types served below an item rather than as the family's items.</summary>
    private static readonly HashSet<string> NestedTypes = new(StringComparer.Ordinal)
    {
        "deviceComplianceScheduledActionForRule", "deviceComplianceActionItem", "deviceManagementConfigurationSetting",
        "groupPolicyDefinitionValue", "groupPolicyPresentationValueText", "groupPolicyDefinition",
        "deviceManagementComplianceScheduledActionForRule", "deviceManagementComplianceActionItem",
        "termsAndConditionsAssignment", "localizedNotificationMessage",
        "deviceManagementBooleanSettingInstance", "deviceManagementIntegerSettingInstance", "deviceManagementStringSettingInstance",
        "deviceManagementCollectionSettingInstance", "deviceManagementComplexSettingInstance",
        "windowsInformationProtectionAppLockerFile", "deviceConfigurationPolicySetItem", "deviceCompliancePolicyPolicySetItem",
        "mobileAppPolicySetItem", "managedAppProtectionPolicySetItem",
    };

    public static TheoryData<string> GetFixtures() => Fixtures("get");

    public static TheoryData<string> CreateFixtures() => Fixtures("create");

    /// <summary>The example rules for noncompliance (classic and settings-catalog compliance), each a row.</summary>
    public static TheoryData<string> RuleCreateFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var fixture in GraphFixtures.Index.Where(f => f.EndsWith("ScheduledActionForRule.create.json", StringComparison.Ordinal)))
        {
            data.Add(fixture);
        }

        return data;
    }

    private static TheoryData<string> Fixtures(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var fixture in GraphFixtures.Index.Where(f => f.EndsWith($".{kind}.json", StringComparison.Ordinal)))
        {
            data.Add(fixture);
        }

        return data;
    }

    [Fact]
    public void Every_family_the_emulator_serves_is_in_the_fixture_index()
    {
        var folders = GraphFixtures.Index.Select(f => f.Split('/')[1]).ToHashSet();

        FamilyRegistry.Families.Select(f => f.Name).Should().OnlyContain(name => folders.Contains(name), "each family is checked against Microsoft's example");
        GraphFixtures.Index.Should().OnlyContain(f => Families.ContainsKey(f.Split('/')[1]), "each fixture folder maps to a family");
    }

    [FixtureTheory]
    [MemberData(nameof(GetFixtures))]
    public async Task The_emulators_answer_has_every_property_of_microsofts_example_of_the_same_kind(string fixtureFile)
    {
        var (version, folder, type) = Parse(fixtureFile);
        var expected = Load(fixtureFile);
        var family = FamilyRegistry.Get(Families[folder].Family);
        var tenant = SeededTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);

        var actual = NestedTypes.Contains(type)
            ? await NestedItemAsync(client, tenant, type)
            : await ItemAsync(client, tenant, family, version, type);

        if (!NestedTypes.Contains(type))
        {
            actual["@odata.context"].Str().Should().MatchRegex(
                $"^http://[^/]+/{Regex.Escape(version)}/\\$metadata#{Regex.Escape(family.CollectionPath)}/\\$entity$");
        }

        var problems = new List<string>();
        var polymorphic = NestedTypes.Contains(type) ? type.StartsWith("groupPolicyPresentationValue", StringComparison.Ordinal) : family.Polymorphic;
        Compare(expected, actual, type, exactNames: !family.IsDirectory, topLevel: true, polymorphic, problems);
        problems.Should().BeEmpty("the emulator answers {0} like Microsoft's example", fixtureFile);
    }

    [FixtureTheory]
    [MemberData(nameof(CreateFixtures))]
    public async Task Microsofts_example_create_body_is_accepted_and_read_back_in_full(string fixtureFile)
    {
        var (version, folder, type) = Parse(fixtureFile);
        if (NestedTypes.Contains(type))
        {
            return; // Sent inside their parent's create (compliance rules) or settings PUT; covered there.
        }

        var family = FamilyRegistry.Get(Families[folder].Family);
        var tenant = fixture.NewTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var body = CreateBody(fixtureFile, family);

        using var response = await client.SendJsonAsync(HttpMethod.Post, $"{version}/{family.CollectionPath}", body);
        var created = await response.ReadJsonAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Created, created.ToJsonString());
        var getFixture = fixtureFile.Replace(".create.", ".get.", StringComparison.Ordinal);
        var example = File.Exists(GraphFixtures.PathOf(getFixture)) ? Load(getFixture) : null;
        created["id"].Str().Should().NotBeNullOrEmpty().And.NotBe(example?["id"]?.ToString());
        created["@odata.context"].Str().Should().EndWith($"#{family.CollectionPath}/$entity");
        if (created.ContainsKey("createdDateTime"))
        {
            created["createdDateTime"].Str().Should().NotStartWith("2017-01-01", "the service sets the timestamps");
        }

        var read = await client.GetJsonAsync($"{version}/{family.CollectionPath}/{created["id"].Str()}");
        var problems = new List<string>();
        if (!family.IsDirectory && example is not null)
        {
            CompareNames(example, read, family.Polymorphic, problems);
        }

        problems.Should().BeEmpty("a created {0} reads back with every property", type);
    }

    [FixtureTheory]
    [MemberData(nameof(CreateFixtures))]
    public async Task A_create_body_with_an_unknown_property_or_a_value_of_the_wrong_kind_is_refused_in_graphs_envelope(string fixtureFile)
    {
        var (version, folder, type) = Parse(fixtureFile);
        if (NestedTypes.Contains(type))
        {
            return;
        }

        var family = FamilyRegistry.Get(Families[folder].Family);
        var tenant = fixture.NewTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var unknown = CreateBody(fixtureFile, family);
        unknown["notAGraphProperty"] = true;
        var wrongKind = CreateBody(fixtureFile, family);
        var (name, value) = wrongKind.First(p => p.Value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False or JsonValueKind.String && p.Key != "@odata.type");
        wrongKind[name] = value!.GetValueKind() == JsonValueKind.String ? JsonValue.Create(true) : JsonValue.Create("yes");

        using var unknownResponse = await client.SendJsonAsync(HttpMethod.Post, $"{version}/{family.CollectionPath}", unknown);
        using var wrongKindResponse = await client.SendJsonAsync(HttpMethod.Post, $"{version}/{family.CollectionPath}", wrongKind);
        var unknownError = await unknownResponse.ReadJsonAsync();
        var wrongKindError = await wrongKindResponse.ReadJsonAsync();

        var code = family.IsDirectory ? "Request_BadRequest" : "BadRequest";
        unknownResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unknownResponse.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        unknownError["error"]!["code"].Str().Should().Be(code);
        unknownError["error"]!["message"].Str().Should().Contain("notAGraphProperty");
        unknownError["error"]!["innerError"]!["request-id"].Str().Should().NotBeNullOrEmpty();
        wrongKindResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"'{name}' was sent with the wrong kind");
        wrongKindError["error"]!["code"].Str().Should().Be(code);
        tenant.List(family.Name).Should().NotContain(p => p[family.NameProperty] != null && p[family.NameProperty]!.ToString() == unknown[family.NameProperty]!.ToString());
    }

    /// <summary>
    /// A rule and its action are never created alone: they travel inside their policy's create (the create theories
    /// above skip them). Microsoft's example rule, holding Microsoft's example action, is sent in the example policy's
    /// create and read back expanded with every property of the example GET answers; a wrong kind inside the action is
    /// refused like one at the top.
    /// </summary>
    [FixtureTheory]
    [MemberData(nameof(RuleCreateFixtures))]
    public async Task Microsofts_example_rule_and_action_are_accepted_inside_their_policys_create_and_read_back_in_full(string ruleFixture)
    {
        var (version, folder, _) = Parse(ruleFixture);
        var family = FamilyRegistry.Get(Families[folder].Family);
        var tenant = fixture.NewTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var actionFixture = GraphFixtures.ActionOf(ruleFixture);
        var body = PolicyWithRule(ruleFixture, family, action => { });
        var wrongKind = PolicyWithRule(ruleFixture, family, action => action["gracePeriodHours"] = "yes");

        using var response = await client.SendJsonAsync(HttpMethod.Post, $"{version}/{family.CollectionPath}", body);
        var created = await response.ReadJsonAsync();
        using var wrongKindResponse = await client.SendJsonAsync(HttpMethod.Post, $"{version}/{family.CollectionPath}", wrongKind);
        var wrongKindError = await wrongKindResponse.ReadJsonAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Created, created.ToJsonString());
        var read = await client.GetJsonAsync(
            $"{version}/{family.CollectionPath}/{created["id"].Str()}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)");
        var rule = read["scheduledActionsForRule"].Should().BeOfType<JsonArray>().Which.Should().ContainSingle().Which!.AsObject();
        var action = rule["scheduledActionConfigurations"].Should().BeOfType<JsonArray>().Which.Should().ContainSingle().Which!.AsObject();
        var problems = new List<string>();
        CompareNames(Load(ruleFixture.Replace(".create.", ".get.", StringComparison.Ordinal)), rule, polymorphic: false, problems);
        CompareNames(Load(actionFixture.Replace(".create.", ".get.", StringComparison.Ordinal)), action, polymorphic: false, problems);
        problems.Should().BeEmpty("the rule and action created with a {0} read back with every property", family.Name);
        rule["ruleName"].Str().Should().Be(Load(ruleFixture)["ruleName"].Str());
        action["actionType"].Str().Should().Be("block");
        action["id"].Str().Should().NotBeNullOrEmpty().And.NotBe(Load(actionFixture.Replace(".create.", ".get.", StringComparison.Ordinal))["id"].Str());

        wrongKindResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest, "gracePeriodHours inside the action was sent as a string");
        wrongKindError["error"]!["code"].Str().Should().Be("BadRequest");
        wrongKindError["error"]!["message"].Str().Should().Contain("Cannot convert the literal 'yes' to the expected type 'Edm.Int32'");
        tenant.List(family.Name).Should().NotContain(p => p[family.NameProperty] != null && p[family.NameProperty]!.ToString() == wrongKind[family.NameProperty]!.ToString());
    }

    [Theory]
    [InlineData("beta/deviceManagement/configurationPolicies", 25)]
    [InlineData("beta/deviceManagement/deviceConfigurations", 100)]
    [InlineData("v1.0/groups", 100)]
    public async Task List_answers_page_at_graphs_documented_sizes(string url, int pageSize)
    {
        var tenant = fixture.NewTenant(spec =>
        {
            spec.Groups = 120;
            spec.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 30, [GraphFamilies.DeviceConfigurations] = 110 };
        });
        using var client = fixture.Host.CreateClient(tenant.TenantId);

        var page = await client.GetJsonAsync(url);

        page.Values().Count.Should().Be(pageSize);
        page["@odata.nextLink"].Str().Should().StartWith(client.BaseAddress!.ToString());
    }

    private TenantState SeededTenant() => fixture.NewTenant(spec =>
    {
        spec.Seed = 16;
        spec.FamilyCounts = new()
        {
            [GraphFamilies.DeviceConfigurations] = 80,
            [GraphFamilies.DeviceCompliancePolicies] = 30,
            [GraphFamilies.MobileAppConfigurations] = 12,
            [GraphFamilies.IosManagedAppProtections] = 5,
            [GraphFamilies.AndroidManagedAppProtections] = 5,
            [GraphFamilies.TargetedManagedAppConfigurations] = 5,
            [GraphFamilies.MobileApps] = 16,
            [GraphFamilies.WindowsAutopilotDeploymentProfiles] = 15,
            [GraphFamilies.WindowsFeatureUpdateProfiles] = 3,
            [GraphFamilies.WindowsQualityUpdateProfiles] = 3,
            [GraphFamilies.WindowsDriverUpdateProfiles] = 3,
            [GraphFamilies.CompliancePolicies] = 3,
            [GraphFamilies.WindowsManagedAppProtections] = 3,
            [GraphFamilies.WindowsInformationProtectionPolicies] = 3,
            [GraphFamilies.MdmWindowsInformationProtectionPolicies] = 3,
            [GraphFamilies.PolicySets] = 12,
        };
    });

    private static async Task<JsonObject> ItemAsync(HttpClient client, TenantState tenant, FamilyDefinition family, string version, string type)
    {
        var items = tenant.List(family.Name);
        var item = family.Polymorphic
            ? items.FirstOrDefault(i => i["@odata.type"]?.GetValue<string>() == $"#microsoft.graph.{type}")
            : items.FirstOrDefault(i => i["isBuiltIn"]?.GetValue<bool>() != true || family.Name != GraphFamilies.RoleScopeTags);
        item.Should().NotBeNull("the seeded tenant has a {0}", type);
        return await client.GetJsonAsync($"{version}/{family.CollectionPath}/{item!["id"].Str()}");
    }

    private static async Task<JsonObject> NestedItemAsync(HttpClient client, TenantState tenant, string type)
    {
        switch (type)
        {
            case "deviceComplianceScheduledActionForRule":
            case "deviceComplianceActionItem":
            case "deviceManagementComplianceScheduledActionForRule":
            case "deviceManagementComplianceActionItem":
            {
                var family = type.StartsWith("deviceManagement", StringComparison.Ordinal) ? GraphFamilies.CompliancePolicies : GraphFamilies.DeviceCompliancePolicies;
                var id = tenant.List(family)[0]["id"].Str();
                var policy = await client.GetJsonAsync(
                    $"beta/deviceManagement/{family}/{id}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)");
                var rule = policy["scheduledActionsForRule"]![0]!.AsObject();
                if (type.EndsWith("ActionItem", StringComparison.Ordinal))
                {
                    return rule["scheduledActionConfigurations"]![0]!.AsObject();
                }

                rule.Remove("scheduledActionConfigurations"); // expanded navigation, not a property
                return rule;
            }

            case "termsAndConditionsAssignment":
            {
                var id = tenant.List(GraphFamilies.TermsAndConditions).First(t => t["assignments"] is JsonArray { Count: > 0 })["id"].Str();
                var assignments = await client.GetJsonAsync($"beta/deviceManagement/termsAndConditions/{id}/assignments");
                return assignments.Values()[0]!.AsObject();
            }

            case "localizedNotificationMessage":
            {
                var id = tenant.List(GraphFamilies.NotificationMessageTemplates)[0]["id"].Str();
                var messages = await client.GetJsonAsync($"beta/deviceManagement/notificationMessageTemplates/{id}/localizedNotificationMessages");
                return messages.Values()[0]!.AsObject();
            }

            case "deviceManagementBooleanSettingInstance":
            case "deviceManagementIntegerSettingInstance":
            case "deviceManagementStringSettingInstance":
            case "deviceManagementCollectionSettingInstance":
            case "deviceManagementComplexSettingInstance":
            {
                // An intent's settings, read below it; every kind is among the seeded intents' settings.
                foreach (var intent in tenant.List(GraphFamilies.Intents))
                {
                    var settings = await client.GetJsonAsync($"beta/deviceManagement/intents/{intent["id"].Str()}/settings");
                    if (settings.Values().OfType<JsonObject>().FirstOrDefault(s => s["@odata.type"].Str() == "#microsoft.graph." + type) is { } setting)
                    {
                        return setting;
                    }
                }

                throw new InvalidOperationException($"No seeded intent has a {type}.");
            }

            case "windowsInformationProtectionAppLockerFile":
            {
                var id = tenant.List(GraphFamilies.WindowsInformationProtectionPolicies)[0]["id"].Str();
                var files = await client.GetJsonAsync($"beta/deviceAppManagement/windowsInformationProtectionPolicies/{id}/protectedAppLockerFiles");
                return files.Values()[0]!.AsObject();
            }

            case "deviceConfigurationPolicySetItem":
            case "deviceCompliancePolicyPolicySetItem":
            case "mobileAppPolicySetItem":
            case "managedAppProtectionPolicySetItem":
            {
                foreach (var set in tenant.List(GraphFamilies.PolicySets))
                {
                    var items = await client.GetJsonAsync($"beta/deviceAppManagement/policySets/{set["id"].Str()}/items");
                    if (items.Values().OfType<JsonObject>().FirstOrDefault(i => i["@odata.type"].Str() == $"#microsoft.graph.{type}") is { } item)
                    {
                        return item;
                    }
                }

                throw new InvalidOperationException($"The seeded tenant has no {type}.");
            }

            case "deviceManagementConfigurationSetting":
            {
                var id = tenant.List(GraphFamilies.ConfigurationPolicies)[0]["id"].Str();
                var settings = await client.GetJsonAsync($"beta/deviceManagement/configurationPolicies/{id}/settings");
                return settings.Values()[0]!.AsObject();
            }

            default:
            {
                var id = tenant.List(GraphFamilies.GroupPolicyConfigurations)[0]["id"].Str();
                var values = await client.GetJsonAsync($"beta/deviceManagement/groupPolicyConfigurations/{id}/definitionValues?$expand=definition");
                var value = values.Values().OfType<JsonObject>().First(v => v["enabled"]!.GetValue<bool>());
                if (type == "groupPolicyDefinition")
                {
                    return value["definition"]!.AsObject();
                }

                if (type == "groupPolicyDefinitionValue")
                {
                    value.Remove("definition");
                    value.Remove("definition@odata.context");
                    return value;
                }

                // A text presentation value: the first one in the tenant's administrative templates.
                foreach (var policy in tenant.List(GraphFamilies.GroupPolicyConfigurations))
                {
                    var policyId = policy["id"].Str();
                    var policyValues = await client.GetJsonAsync($"beta/deviceManagement/groupPolicyConfigurations/{policyId}/definitionValues");
                    foreach (var definitionValue in policyValues.Values().OfType<JsonObject>())
                    {
                        var presentations = await client.GetJsonAsync(
                            $"beta/deviceManagement/groupPolicyConfigurations/{policyId}/definitionValues/{definitionValue["id"].Str()}/presentationValues");
                        var text = presentations.Values().OfType<JsonObject>().FirstOrDefault(p => p["@odata.type"].Str() == "#microsoft.graph.groupPolicyPresentationValueText");
                        if (text is not null)
                        {
                            return text;
                        }
                    }
                }

                throw new InvalidOperationException("The seeded tenant has no text presentation value.");
            }
        }
    }

    private static JsonObject CreateBody(string fixtureFile, FamilyDefinition family)
    {
        var body = Load(fixtureFile);
        if (family.Name == GraphFamilies.DeviceCompliancePolicies)
        {
            // Intune refuses a compliance policy without its block action; the policy's example body leaves it out,
            // so it is sent with Microsoft's own example rule and action.
            var rule = Load("beta/deviceCompliancePolicies/deviceComplianceScheduledActionForRule.create.json");
            var action = Load("beta/deviceCompliancePolicies/deviceComplianceActionItem.create.json");
            action["actionType"] = "block";
            rule["scheduledActionConfigurations"] = new JsonArray(action);
            body["scheduledActionsForRule"] = new JsonArray(rule);
        }

        body[family.NameProperty] = $"Fidelity {Guid.NewGuid():N}";
        return body;
    }

    /// <summary>The example policy create of the rule's family, with the example rule holding the example action as its block action.</summary>
    private static JsonObject PolicyWithRule(string ruleFixture, FamilyDefinition family, Action<JsonObject> changeAction)
    {
        var body = Load(GraphFixtures.PolicyOf(ruleFixture));
        var rule = Load(ruleFixture);
        var action = Load(GraphFixtures.ActionOf(ruleFixture));
        action["actionType"] = "block"; // Intune refuses a compliance policy without its block action.
        changeAction(action);
        rule["scheduledActionConfigurations"] = new JsonArray(action);
        body["scheduledActionsForRule"] = new JsonArray(rule);
        body[family.NameProperty] = $"Fidelity {Guid.NewGuid():N}";
        return body;
    }

    private static void Compare(JsonObject expected, JsonObject actual, string path, bool exactNames, bool topLevel, bool polymorphic, List<string> problems)
    {
        foreach (var (name, value) in expected)
        {
            if (name == "@odata.type" && topLevel && !polymorphic)
            {
                continue; // Graph's minimal metadata leaves it out for a type without derived types; the docs always print it.
            }

            if (!actual.TryGetPropertyValue(name, out var got))
            {
                problems.Add($"{path}.{name} is missing");
                continue;
            }

            CompareValue(value, got, $"{path}.{name}", exactNames, polymorphic, problems);
        }

        if (exactNames)
        {
            problems.AddRange(actual.Where(p => !p.Key.Contains('@', StringComparison.Ordinal) && !expected.ContainsKey(p.Key))
                .Select(p => $"{path}.{p.Key} is not in Microsoft's example"));
        }
    }

    private static void CompareValue(JsonNode? expected, JsonNode? got, string path, bool exactNames, bool polymorphic, List<string> problems)
    {
        if (expected is null || got is null)
        {
            if (got is null && expected is JsonValue v && v.GetValueKind() is not JsonValueKind.String)
            {
                problems.Add($"{path} is null where Microsoft's example has a {v.GetValueKind()}");
            }

            return;
        }

        switch (expected)
        {
            case JsonObject obj when got is JsonObject gotObj:
                var wantType = obj["@odata.type"]?.GetValue<string>()?.TrimStart('#');
                var gotType = gotObj["@odata.type"]?.GetValue<string>();
                if (wantType is not null && gotType is not null && !gotType.StartsWith('#'))
                {
                    problems.Add($"{path}.@odata.type '{gotType}' lacks the '#'");
                }

                if (wantType is null || gotType is null || gotType.TrimStart('#') == wantType)
                {
                    Compare(obj, gotObj, path, exactNames, topLevel: false, polymorphic, problems);
                }

                break;
            case JsonArray array when got is JsonArray gotArray:
                if (array.Count > 0)
                {
                    foreach (var item in gotArray)
                    {
                        CompareValue(array[0], item, path + "[]", exactNames, polymorphic, problems);
                    }
                }

                break;
            case JsonValue value when got is JsonValue gotValue:
                var want = value.GetValueKind() is JsonValueKind.False ? JsonValueKind.True : value.GetValueKind();
                var have = gotValue.GetValueKind() is JsonValueKind.False ? JsonValueKind.True : gotValue.GetValueKind();
                if (want != have)
                {
                    problems.Add($"{path} is a {have} where Microsoft's example has a {want}");
                }

                break;
            default:
                problems.Add($"{path} is a {got.GetValueKind()} where Microsoft's example has a {expected.GetValueKind()}");
                break;
        }
    }

    private static void CompareNames(JsonObject expected, JsonObject actual, bool polymorphic, List<string> problems)
    {
        foreach (var name in expected.Select(p => p.Key).Where(n => n != "@odata.type" || polymorphic))
        {
            if (!actual.ContainsKey(name))
            {
                problems.Add($"{name} is missing");
            }
        }
    }

    private static (string Version, string Folder, string Type) Parse(string fixtureFile)
    {
        var parts = fixtureFile.Split('/');
        return (parts[0], parts[1], parts[2][..parts[2].IndexOf('.', StringComparison.Ordinal)]);
    }

    private static JsonObject Load(string fixtureFile) => JsonNode.Parse(File.ReadAllText(GraphFixtures.PathOf(fixtureFile)))!.AsObject();
}
