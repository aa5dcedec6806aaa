using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

public sealed class PolicyDetailTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task A_settings_catalog_policy_comes_with_its_settings_and_assignments_in_one_call()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 6 });
        var id = App.AddTenant(tenant);
        var policyId = tenant.List(GraphFamilies.ConfigurationPolicies).First(p => p["assignments"] is JsonArray { Count: > 0 })["id"]!.GetValue<string>();
        var stored = tenant.Get(GraphFamilies.ConfigurationPolicies, policyId)!;

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.ConfigurationPolicies, policyId);

        detail.Id.Should().Be(policyId);
        detail.DisplayName.Should().Be(stored["name"]!.GetValue<string>());
        detail.Content["settings"]!.AsArray().Should().HaveCount(stored["settings"]!.AsArray().Count).And.NotBeEmpty();
        detail.Assignments.Should().HaveCount(stored["assignments"]!.AsArray().Count);
        detail.Content.ContainsKey("assignments").Should().BeFalse();
        detail.Content.ToJsonString().Should().NotContain("@odata.context");
        fixture.GraphLog(tenant).Should().ContainSingle().Which.PathAndQuery.Should()
            .Be($"/beta/deviceManagement/configurationPolicies/{policyId}?$expand=assignments,settings");
    }

    [Fact]
    public async Task A_compliance_policy_comes_with_its_scheduled_actions()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceCompliancePolicies] = 2 });
        var id = App.AddTenant(tenant);
        var policyId = tenant.Ids(GraphFamilies.DeviceCompliancePolicies)[0];

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceCompliancePolicies, policyId);

        var rules = detail.Content["scheduledActionsForRule"]!.AsArray();
        rules.Should().NotBeEmpty();
        rules[0]!["scheduledActionConfigurations"]!.AsArray().Should().NotBeEmpty();
        detail.ODataType.Should().StartWith("#microsoft.graph.");
    }

    [Fact]
    public async Task A_script_comes_with_its_content_which_the_listing_leaves_out()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceManagementScripts] = 2 });
        var id = App.AddTenant(tenant);
        var listed = (await App.ListAllAsync(id, GraphResourceKeys.DeviceManagementScripts)).SelectMany(p => p.Items).First();

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceManagementScripts, listed.Id);

        listed.Raw["scriptContent"].Should().BeNull();
        Convert.FromBase64String(detail.Content["scriptContent"]!.GetValue<string>()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task An_administrative_template_reads_definitions_in_one_call_and_presentation_values_in_batches()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 8 });
        var id = App.AddTenant(tenant);
        var policy = tenant.List(GraphFamilies.GroupPolicyConfigurations).OrderByDescending(p => p["definitionValues"]!.AsArray().Count).First();
        var policyId = policy["id"]!.GetValue<string>();
        var valueCount = policy["definitionValues"]!.AsArray().Count;
        valueCount.Should().BeGreaterThan(1, "the seed gives templates several definition values");

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.GroupPolicyConfigurations, policyId);

        var values = detail.Content["definitionValues"]!.AsArray();
        values.Should().HaveCount(valueCount);
        values.Should().OnlyContain(v => v!["definition"]!["displayName"] != null && v["presentationValues"] is JsonArray);
        values.SelectMany(v => v!["presentationValues"]!.AsArray()).Should().OnlyContain(p => p!["presentation"] != null);
        var expected = policy["definitionValues"]!.AsArray().Sum(v => (v!["presentationValues"] as JsonArray)?.Count ?? 0);
        values.Sum(v => v!["presentationValues"]!.AsArray().Count).Should().Be(expected);
        var log = fixture.GraphLog(tenant);
        log.Where(e => !e.IsBatchItem).Select(e => e.PathAndQuery).Should().Equal(
            $"/beta/deviceManagement/groupPolicyConfigurations/{policyId}?$expand=assignments",
            $"/beta/deviceManagement/groupPolicyConfigurations/{policyId}/definitionValues?$expand=definition",
            "/beta/$batch");
        log.Count(e => e.IsBatchItem).Should().Be(valueCount, "one batch item per definition value, all in one HTTP call");
    }

    [Fact]
    public async Task A_throttled_batch_item_is_retried_by_the_gateway_after_its_retry_after()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 8 });
        var id = App.AddTenant(tenant);
        var policy = tenant.List(GraphFamilies.GroupPolicyConfigurations).OrderByDescending(p => p["definitionValues"]!.AsArray().Count).First();
        var policyId = policy["id"]!.GetValue<string>();
        var valueId = policy["definitionValues"]![0]!["id"]!.GetValue<string>();
        fixture.Emulator.AddFault(FaultSpec.Throttle(
            $"/beta/deviceManagement/groupPolicyConfigurations/{policyId}/definitionValues/{valueId}/presentationValues", 1, times: 1, tenant.TenantId));

        using var scope = App.Metrics.BeginScope();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.GroupPolicyConfigurations, policyId);

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(0.9));
        detail.Content["definitionValues"]!.AsArray().Should().HaveCount(policy["definitionValues"]!.AsArray().Count);
        var log = fixture.GraphLog(tenant);
        log.Where(e => e.IsBatchItem && e.PathAndQuery.Contains(valueId, StringComparison.Ordinal)).Select(e => e.Status).Should().Equal(429, 200);
        log.Count(e => e.PathAndQuery == "/beta/$batch").Should().Be(2, "the second batch carries only the throttled item");
        scope.ThrottledRequests.Should().Be(1);
        scope.ThrottleWait.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_unknown_policy_is_not_found_with_graphs_request_id()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);

        var failure = await Assert.ThrowsAsync<GraphRequestException>(
            () => App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceConfigurations, Guid.NewGuid().ToString()));

        failure.Kind.Should().Be(GraphFailureKind.NotFound);
        failure.HttpStatus.Should().Be(404);
        failure.ErrorCode.Should().Be("ResourceNotFound");
        failure.RequestId.Should().Be(fixture.GraphLog(tenant).Single().RequestId);
        failure.Message.Should().StartWith("Graph answered 404 ResourceNotFound: Resource not found").And.NotContain("_version", "Intune's JSON-in-a-string message is unwrapped");
        failure.ResourceKey.Should().Be(GraphResourceKeys.DeviceConfigurations);
        failure.TenantId.Should().Be(id);
    }

    [Fact]
    public async Task Ids_that_would_change_the_path_are_refused_before_sending()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);

        var failure = await Assert.ThrowsAsync<GraphRequestException>(
            () => App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceConfigurations, "../../groups"));

        failure.ErrorCode.Should().Be("invalidId");
        fixture.GraphLog(tenant).Should().BeEmpty();
    }

    [Fact]
    public async Task Role_definitions_list_built_in_and_custom_roles()
    {
        var tenant = fixture.NewTenant(s => s.CustomRoleDefinitions = 2);
        var id = App.AddTenant(tenant);

        var roles = await App.Gateway.ListRoleDefinitionsAsync(id);

        roles.Should().HaveCount(tenant.Count(GraphFamilies.RoleDefinitions));
        roles.Count(r => !r.IsBuiltIn).Should().Be(2);
        roles.Should().Contain(r => r.IsBuiltIn).And.OnlyContain(r => r.DisplayName.Length > 0);
        fixture.GraphLog(tenant).Single().PathAndQuery.Should().StartWith("/beta/deviceManagement/roleDefinitions?$select=");
    }
}
