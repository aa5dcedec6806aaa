using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class QueryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task Select_answers_only_those_properties_with_a_matching_context()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);

        var page = await client.Groups.GetAsync(r => r.QueryParameters.Select = ["id", "displayName"]);

        page!.AdditionalData["@odata.context"].Should().Be($"{Host.GraphV1Url}/$metadata#groups(id,displayName)");
        page.Value.Should().OnlyContain(g => g.Id != null && g.DisplayName != null && g.SecurityEnabled == null && g.GroupTypes == null);
    }

    [Fact]
    public async Task Intune_select_keeps_the_odata_type_and_rejects_unknown_properties()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 4 });
        using var client = Host.CreateClient(tenant.TenantId);

        var page = await client.GetJsonAsync("beta/deviceManagement/deviceConfigurations?$select=id,displayName");
        using var unknown = await client.GetAsync("beta/deviceManagement/deviceConfigurations?$select=passwordRequired");

        page["@odata.context"].Str().Should().Be($"{Host.GraphBetaUrl}/$metadata#deviceManagement/deviceConfigurations(id,displayName)");
        page.Values().Should().HaveCount(4).And.OnlyContain(p => p!.AsObject().Select(kv => kv.Key).SequenceEqual(new[] { "@odata.type", "id", "displayName" }));
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.ReadJsonAsync())["error"]!["message"].Str().Should().Be("Could not find a property named 'passwordRequired' on type 'microsoft.graph.deviceConfiguration'.");
    }

    [Fact]
    public async Task Filter_by_display_name_and_by_id()
    {
        var tenant = fixture.NewTenant();
        var named = tenant.AddGroup("Finance O'Brien Devices");
        var target = tenant.List(GraphFamilies.Groups)[7];
        var client = GraphSdk.Client(Host, tenant);

        var byName = await client.Groups.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'finance o''brien devices'");
        var byId = await client.Groups.GetAsync(r => r.QueryParameters.Filter = $"id eq '{target["id"]}'");
        var none = await client.Groups.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'nobody'");

        byName!.Value!.Select(g => g.Id).Should().Equal(named["id"].Str());
        byId!.Value!.Select(g => g.DisplayName).Should().Equal(target["displayName"].Str());
        none!.Value.Should().BeEmpty();
    }

    [Fact]
    public async Task Expand_assignments_on_a_beta_family_through_with_url()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 30 });
        var client = GraphSdk.Client(Host, tenant);
        var groups = tenant.Ids(GraphFamilies.Groups).ToHashSet();

        var page = await client.DeviceManagement.DeviceConfigurations
            .WithUrl($"{Host.GraphBetaUrl}/deviceManagement/deviceConfigurations?$expand=assignments")
            .GetAsync();

        page!.Value.Should().HaveCount(30);
        page.Value!.Select(p => p.OdataType).Should().OnlyContain(t => t!.StartsWith("#microsoft.graph.", StringComparison.Ordinal))
            .And.Contain(t => t!.StartsWith("#microsoft.graph.windows10", StringComparison.Ordinal));
        var assignments = page.Value!.SelectMany(p => p.Assignments!).ToList();
        assignments.Should().NotBeEmpty();
        assignments.Select(a => a.Target).OfType<GroupAssignmentTarget>().Select(t => t.GroupId).Should().NotBeEmpty().And.OnlyContain(id => groups.Contains(id!));
    }

    [Fact]
    public async Task Settings_catalog_expands_settings_and_serves_them_under_the_policy()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 5 });
        using var client = Host.CreateClient(tenant.TenantId);

        var expanded = await client.GetJsonAsync("beta/deviceManagement/configurationPolicies?$expand=settings");
        var policy = expanded.Values()[0]!.AsObject();
        var settings = await client.GetJsonAsync($"beta/deviceManagement/configurationPolicies/{policy["id"]}/settings");

        expanded["@odata.context"].Str().Should().EndWith("$metadata#deviceManagement/configurationPolicies(settings())");
        policy["settings"]!.AsArray().Should().HaveCount(policy["settingCount"]!.GetValue<int>());
        settings.Values().Select(s => s!.ToJsonString()).Should().Equal(policy["settings"]!.AsArray().Select(s => s!.ToJsonString()));
        settings.Values()[0]!["settingInstance"]!["@odata.type"].Str().Should().StartWith("#microsoft.graph.deviceManagementConfiguration");
    }

    [Fact]
    public async Task Administrative_templates_serve_definition_values_with_definitions_and_presentation_values()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 8 });
        using var client = Host.CreateClient(tenant.TenantId);
        var policy = (await client.GetJsonAsync("beta/deviceManagement/groupPolicyConfigurations")).Values()[0]!;

        var plain = await client.GetJsonAsync($"beta/deviceManagement/groupPolicyConfigurations/{policy["id"]}/definitionValues");
        var values = await client.GetJsonAsync($"beta/deviceManagement/groupPolicyConfigurations/{policy["id"]}/definitionValues?$expand=definition");
        var value = values.Values()[0]!;
        var presentations = await client.GetJsonAsync(
            $"beta/deviceManagement/groupPolicyConfigurations/{policy["id"]}/definitionValues/{value["id"]}/presentationValues?$expand=presentation");

        plain.Values()[0]!.AsObject().ContainsKey("definition").Should().BeFalse();
        value["definition"]!["displayName"].Str().Should().NotBeNullOrEmpty();
        value["definition"]!["policyType"].Str().Should().Be("admxBacked");
        presentations.Values().Should().OnlyContain(p => p!["@odata.type"].Str().StartsWith("#microsoft.graph.groupPolicyPresentationValue", StringComparison.Ordinal)
            && p["presentation"]!["@odata.type"].Str().StartsWith("#microsoft.graph.groupPolicyPresentation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compliance_expands_scheduled_actions_with_their_configurations()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceCompliancePolicies] = 3 });
        using var client = Host.CreateClient(tenant.TenantId);

        var shallow = await client.GetJsonAsync("beta/deviceManagement/deviceCompliancePolicies?$expand=scheduledActionsForRule");
        var deep = await client.GetJsonAsync("beta/deviceManagement/deviceCompliancePolicies?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)");

        shallow.Values()[0]!["scheduledActionsForRule"]![0]!.AsObject().ContainsKey("scheduledActionConfigurations").Should().BeFalse();
        var rule = deep.Values()[0]!["scheduledActionsForRule"]![0]!;
        rule["ruleName"].Str().Should().Be("PasswordRequired");
        rule["scheduledActionConfigurations"]![0]!["actionType"].Str().Should().Be("block");
    }

    [Fact]
    public async Task Scripts_list_without_content_and_a_get_by_id_returns_it_in_base64()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceManagementScripts] = 3 });
        using var client = Host.CreateClient(tenant.TenantId);

        var list = await client.GetJsonAsync("beta/deviceManagement/deviceManagementScripts");
        var script = await client.GetJsonAsync($"beta/deviceManagement/deviceManagementScripts/{list.Values()[0]!["id"]}");

        list.Values().Should().OnlyContain(s => s!["scriptContent"] == null);
        Encoding.UTF8.GetString(Convert.FromBase64String(script["scriptContent"].Str())).Should().Contain("$ErrorActionPreference");
        script["@odata.context"].Str().Should().EndWith("$metadata#deviceManagement/deviceManagementScripts/$entity");
    }

    [Fact]
    public async Task Scope_tags_filters_and_role_definitions_have_their_real_shapes()
    {
        var tenant = fixture.NewTenant(s => s.ScopeTags = 2);
        var client = GraphSdk.Client(Host, tenant);
        using var raw = Host.CreateClient(tenant.TenantId);

        var roles = await client.DeviceManagement.RoleDefinitions.GetAsync();
        var tags = await raw.GetJsonAsync("beta/deviceManagement/roleScopeTags");
        var filters = await raw.GetJsonAsync("beta/deviceManagement/assignmentFilters");

        roles!.Value.Should().Contain(r => r.DisplayName == "Policy and Profile manager" && r.IsBuiltIn == true)
            .And.Contain(r => r.IsBuiltIn == false);
        roles.Value.Should().OnlyContain(r => r.OdataType == "#microsoft.graph.deviceAndAppManagementRoleDefinition"
            && r.RolePermissions!.SelectMany(p => p.ResourceActions!).SelectMany(a => a.AllowedResourceActions!).Any());
        tags.Values().Select(t => t!["id"].Str()).Should().Equal("0", "1", "2");
        tags.Values()[0]!["displayName"].Str().Should().Be("Default");
        filters.Values().Should().OnlyContain(f => f!.AsObject().ContainsKey("roleScopeTags") && !f.AsObject().ContainsKey("roleScopeTagIds"));
    }

    [Fact]
    public async Task Organization_names_the_tenant_and_its_domain()
    {
        var tenant = fixture.NewTenant(s => s.Domain = "org-test.onmicrosoft.com");
        var client = GraphSdk.Client(Host, tenant);

        var organization = await client.Organization.GetAsync();

        organization!.Value.Should().ContainSingle().Which.Id.Should().Be(tenant.TenantId);
        organization.Value![0].VerifiedDomains!.Select(d => d.Name).Should().Equal("org-test.onmicrosoft.com");
    }

    [Fact]
    public async Task A_beta_only_family_is_not_on_v1()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);

        using var response = await client.GetAsync("v1.0/deviceManagement/configurationPolicies");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["error"]!["message"].Str().Should().Be("Resource not found for the segment 'configurationPolicies'.");
    }

    [Fact]
    public async Task The_apps_filter_of_admins_tools_leaves_out_built_in_apps_nobody_assigned_and_other_filters_are_refused_in_graphs_envelope()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.MobileApps] = 6 };
            s.BuiltInApps = 4;
        });
        using var client = Host.CreateClient(tenant.TenantId);
        var all = tenant.List(GraphFamilies.MobileApps);
        var builtIn = all.Where(a => a["appAvailability"]?.GetValue<string>() == "global").ToList();
        var assignedBuiltIn = builtIn[1]["id"].Str()!;
        using var assign = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceAppManagement/mobileApps/{assignedBuiltIn}/assign", JsonNode.Parse(
            """{"mobileAppAssignments":[{"@odata.type":"#microsoft.graph.mobileAppAssignment","intent":"available","target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}]}""")!);
        const string Managed = "(microsoft.graph.managedApp/appAvailability eq null or microsoft.graph.managedApp/appAvailability eq 'lineOfBusiness' or isAssigned eq true)";

        var page = await client.GetJsonAsync($"beta/deviceAppManagement/mobileApps?$filter={Uri.EscapeDataString(Managed)}");
        using var unknownType = await client.GetAsync($"beta/deviceAppManagement/mobileApps?$filter={Uri.EscapeDataString("microsoft.graph.win32LobApp/fileName eq 'x'")}");
        using var unknownProperty = await client.GetAsync($"beta/deviceAppManagement/mobileApps?$filter={Uri.EscapeDataString("microsoft.graph.managedApp/bundleId eq 'x'")}");
        using var unsupported = await client.GetAsync($"beta/deviceAppManagement/mobileApps?$filter={Uri.EscapeDataString("isof('microsoft.graph.managedApp')")}");

        assign.StatusCode.Should().Be(HttpStatusCode.NoContent);
        builtIn.Should().HaveCount(4).And.OnlyContain(a => a["isAssigned"]!.GetValue<bool>() == false || a["id"].Str() == assignedBuiltIn);
        page.Values().Select(a => a!["id"].Str()).Should().BeEquivalentTo(
            all.Where(a => a["appAvailability"]?.GetValue<string>() != "global").Select(a => a["id"].Str()).Append(assignedBuiltIn),
            "the tenant's own apps and the built-in app it assigned; not the three built-in apps nobody assigned");
        foreach (var refused in new[] { unknownType, unknownProperty, unsupported })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            var error = (await refused.ReadJsonAsync())["error"]!;
            error["code"].Str().Should().Be("BadRequest");
            error["innerError"]!["request-id"].Str().Should().NotBeNullOrEmpty();
        }
    }
}
