using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class WriteTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    private static JsonObject GroupTarget(string groupId) => new()
    {
        ["target"] = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget",
            ["deviceAndAppManagementAssignmentFilterId"] = null,
            ["deviceAndAppManagementAssignmentFilterType"] = "none",
            ["groupId"] = groupId,
        },
    };

    [Fact]
    public async Task Post_creates_with_a_new_id_timestamps_and_version()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        var body = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
            ["displayName"] = "WIN - Restored",
            ["passwordRequired"] = true,
        };

        using var response = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/deviceConfigurations", body);
        var created = await response.ReadJsonAsync();
        var read = await client.GetJsonAsync($"beta/deviceManagement/deviceConfigurations/{created["id"]}");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        Guid.TryParse(created["id"].Str(), out _).Should().BeTrue();
        created["createdDateTime"].Str().Should().NotBeNullOrEmpty();
        created["lastModifiedDateTime"].Str().Should().Be(created["createdDateTime"].Str());
        created["version"]!.GetValue<int>().Should().Be(1);
        read["passwordRequired"]!.GetValue<bool>().Should().BeTrue();
        read["@odata.type"].Str().Should().Be("#microsoft.graph.windows10GeneralConfiguration");
    }

    [Fact]
    public async Task Post_without_the_concrete_type_or_with_read_only_annotations_is_rejected()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);

        using var untyped = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/deviceConfigurations", new JsonObject { ["displayName"] = "x" });
        using var annotated = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/deviceConfigurations", new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
            ["assignments@odata.context"] = "https://graph.microsoft.com/beta/$metadata#x",
            ["displayName"] = "x",
        });

        untyped.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await untyped.ReadJsonAsync())["error"]!["message"].Str().Should().Contain("Cannot create an abstract class.");
        annotated.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await annotated.ReadJsonAsync())["error"]!["message"].Str().Should().Contain("The annotation 'odata.context' was found.");
    }

    [Fact]
    public async Task Patch_answers_204_and_stamps_the_object()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 2 });
        using var client = Host.CreateClient(tenant.TenantId);
        var id = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        var before = tenant.Get(GraphFamilies.DeviceConfigurations, id)!;

        using var patch = await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceManagement/deviceConfigurations/{id}", new JsonObject
        {
            ["@odata.type"] = before["@odata.type"]!.DeepClone(),
            ["description"] = "patched",
        });
        using var untypedDerived = await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceManagement/deviceConfigurations/{id}", new JsonObject { ["passwordRequired"] = false });
        var after = tenant.Get(GraphFamilies.DeviceConfigurations, id)!;

        patch.StatusCode.Should().Be(HttpStatusCode.NoContent);
        after["description"].Str().Should().Be("patched");
        after["version"]!.GetValue<int>().Should().Be(before["version"]!.GetValue<int>() + 1);
        after["lastModifiedDateTime"].Str().Should().NotBe(before["lastModifiedDateTime"].Str());
        untypedDerived.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Settings_catalog_updates_with_put_and_refuses_put_elsewhere()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 2, [GraphFamilies.DeviceConfigurations] = 1 });
        using var client = Host.CreateClient(tenant.TenantId);
        var id = tenant.Ids(GraphFamilies.ConfigurationPolicies)[0];
        var setting = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSetting",
            ["settingInstance"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                ["settingDefinitionId"] = "device_vendor_msft_policy_config_experience_allowcortana",
                ["choiceSettingValue"] = new JsonObject { ["value"] = "device_vendor_msft_policy_config_experience_allowcortana_0", ["children"] = new JsonArray() },
            },
        };

        using var put = await client.SendJsonAsync(HttpMethod.Put, $"beta/deviceManagement/configurationPolicies/{id}", new JsonObject
        {
            ["name"] = "SC - Replaced",
            ["description"] = "",
            ["platforms"] = "windows10",
            ["technologies"] = "mdm",
            ["templateReference"] = new JsonObject { ["templateId"] = "" },
            ["settings"] = new JsonArray(setting),
        });
        var settings = await client.GetJsonAsync($"beta/deviceManagement/configurationPolicies/{id}/settings");
        using var elsewhere = await client.SendJsonAsync(HttpMethod.Put,
            $"beta/deviceManagement/deviceConfigurations/{tenant.Ids(GraphFamilies.DeviceConfigurations)[0]}", new JsonObject { ["displayName"] = "x" });

        put.StatusCode.Should().Be(HttpStatusCode.NoContent);
        tenant.Get(GraphFamilies.ConfigurationPolicies, id)!["name"].Str().Should().Be("SC - Replaced");
        settings.Values().Should().ContainSingle().Which!["settingInstance"]!["settingDefinitionId"].Str().Should().Be("device_vendor_msft_policy_config_experience_allowcortana");
        tenant.Get(GraphFamilies.ConfigurationPolicies, id)!["settingCount"]!.GetValue<int>().Should().Be(1);
        elsewhere.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Assign_replaces_the_whole_assignment_set()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 1, [GraphFamilies.DeviceManagementScripts] = 1 });
        using var client = Host.CreateClient(tenant.TenantId);
        var id = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        var groups = tenant.Ids(GraphFamilies.Groups);
        using var first = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceConfigurations/{id}/assign",
            new JsonObject { ["assignments"] = new JsonArray(GroupTarget(groups[0]), GroupTarget(groups[1])) });

        using var second = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceConfigurations/{id}/assign",
            new JsonObject { ["assignments"] = new JsonArray(GroupTarget(groups[2])) });
        var assignments = await client.GetJsonAsync($"beta/deviceManagement/deviceConfigurations/{id}/assignments");
        var script = tenant.Ids(GraphFamilies.DeviceManagementScripts)[0];
        using var scriptAssign = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceManagementScripts/{script}/assign",
            new JsonObject { ["deviceManagementScriptAssignments"] = new JsonArray(GroupTarget(groups[3])) });

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await first.ReadJsonAsync()).Values().Should().HaveCount(2);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        assignments.Values().Should().ContainSingle().Which!["target"]!["groupId"].Str().Should().Be(groups[2]);
        assignments.Values()[0]!["id"].Str().Should().Be($"{id}_{groups[2]}");
        scriptAssign.StatusCode.Should().Be(HttpStatusCode.NoContent);
        tenant.Get(GraphFamilies.DeviceManagementScripts, script)!["assignments"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Assign_refuses_a_group_or_filter_that_does_not_exist_in_the_tenant_and_keeps_the_old_set()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 1 });
        using var client = Host.CreateClient(tenant.TenantId);
        var id = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        var groups = tenant.Ids(GraphFamilies.Groups);
        using var first = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceConfigurations/{id}/assign",
            new JsonObject { ["assignments"] = new JsonArray(GroupTarget(groups[0])) });
        var foreignGroup = Guid.NewGuid().ToString(); // another tenant's group id: unknown here
        var filtered = GroupTarget(groups[1]);
        filtered["target"]!["deviceAndAppManagementAssignmentFilterId"] = Guid.NewGuid().ToString();
        filtered["target"]!["deviceAndAppManagementAssignmentFilterType"] = "include";

        using var foreign = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceConfigurations/{id}/assign",
            new JsonObject { ["assignments"] = new JsonArray(GroupTarget(foreignGroup)) });
        using var unknownFilter = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceConfigurations/{id}/assign",
            new JsonObject { ["assignments"] = new JsonArray(filtered) });

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        foreign.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await foreign.ReadJsonAsync())["error"]!["message"].Str().Should().Contain(foreignGroup);
        unknownFilter.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        tenant.Get(GraphFamilies.DeviceConfigurations, id)!["assignments"]!.AsArray().Should().ContainSingle("a refused assign changes nothing")
            .Which!["target"]!["groupId"].Str().Should().Be(groups[0]);
    }

    [Fact]
    public async Task Delete_answers_204_and_then_the_object_is_gone()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.WindowsAutopilotDeploymentProfiles] = 2 });
        using var client = Host.CreateClient(tenant.TenantId);
        var id = tenant.Ids(GraphFamilies.WindowsAutopilotDeploymentProfiles)[0];

        using var delete = await client.DeleteAsync($"beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}");
        using var read = await client.GetAsync($"beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}");

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        read.StatusCode.Should().Be(HttpStatusCode.NotFound);
        tenant.Count(GraphFamilies.WindowsAutopilotDeploymentProfiles).Should().Be(1);
    }

    [Fact]
    public async Task Groups_created_through_graph_show_up_in_delta()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        var initial = await client.GetJsonAsync("v1.0/groups/delta?$deltatoken=latest");

        using var created = await client.SendJsonAsync(HttpMethod.Post, "v1.0/groups", new JsonObject
        {
            ["displayName"] = "SG-Created",
            ["mailEnabled"] = false,
            ["mailNickname"] = "sg-created",
            ["securityEnabled"] = true,
        });
        var id = (await created.ReadJsonAsync())["id"].Str();
        var changes = await client.GetJsonAsync(initial["@odata.deltaLink"].Str());

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        changes.Values().Should().ContainSingle().Which!["id"].Str().Should().Be(id);
        changes.Values()[0]!["membershipRule"].Should().BeNull();
    }

    [Fact]
    public async Task Compliance_needs_scheduled_actions_and_admin_templates_accept_bound_definition_values()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 1 });
        using var client = Host.CreateClient(tenant.TenantId);
        var template = tenant.Get(GraphFamilies.GroupPolicyConfigurations, tenant.Ids(GraphFamilies.GroupPolicyConfigurations)[0])!;
        var definition = template["definitionValues"]![0]!["definition"]!["id"].Str();

        using var compliance = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/deviceCompliancePolicies", new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windows10CompliancePolicy",
            ["displayName"] = "WIN - Compliance",
        });
        using var value = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/groupPolicyConfigurations/{template["id"]}/definitionValues", new JsonObject
        {
            ["enabled"] = true,
            ["definition@odata.bind"] = $"https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('{definition}')",
        });

        compliance.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        value.StatusCode.Should().Be(HttpStatusCode.Created);
        tenant.Get(GraphFamilies.GroupPolicyConfigurations, template["id"].Str())!["definitionValues"]!.AsArray().Should().HaveCount(template["definitionValues"]!.AsArray().Count + 1);
    }
}
