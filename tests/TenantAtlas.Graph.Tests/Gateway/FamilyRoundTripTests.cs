using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

/// <summary>
/// Issue 16, item 1: each family added to the registry is restorable through the gateway's write paths — an object read
/// whole from one tenant is created in another, assigned with its own assignment shape, updated, and reads back the same.
/// </summary>
public sealed class FamilyRoundTripTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Theory]
    [InlineData(GraphResourceKeys.DeviceHealthScripts)]
    [InlineData(GraphResourceKeys.DeviceShellScripts)]
    [InlineData(GraphResourceKeys.DeviceCustomAttributeShellScripts)]
    [InlineData(GraphResourceKeys.DeviceComplianceScripts)]
    [InlineData(GraphResourceKeys.WindowsFeatureUpdateProfiles)]
    [InlineData(GraphResourceKeys.WindowsQualityUpdateProfiles)]
    [InlineData(GraphResourceKeys.WindowsDriverUpdateProfiles)]
    [InlineData(GraphResourceKeys.CompliancePolicies)]
    public async Task An_object_read_from_one_tenant_is_created_assigned_and_updated_in_another_and_reads_back_the_same(string family)
    {
        // Same seed: the target tenant has the same groups and filters, so the assignments need no mapping here.
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 8 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var policyId = source.List(family).First(p => p["assignments"] is JsonArray { Count: > 0 })["id"]!.GetValue<string>();
        var original = await App.Gateway.GetPolicyAsync(sourceId, family, policyId);
        original.Assignments.Should().NotBeEmpty();

        var created = await App.Gateway.CreateObjectAsync(targetId, family, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        await App.Gateway.AssignAsync(targetId, family, createdId, original.Assignments);
        var restored = await App.Gateway.GetPolicyAsync(targetId, family, createdId);

        createdId.Should().NotBe(policyId);
        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"{family} reads back as it was backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        var assignments = GraphObjectDiff.CompareAssignments(Array(original.Assignments), Array(restored.Assignments));
        restored.Assignments.Should().HaveCount(original.Assignments.Count);
        assignments.IsIdentical.Should().BeTrue($"{family} keeps its assignments, each in the family's own shape");

        var changed = (JsonObject)original.Content.DeepClone();
        changed["description"] = "Updated by the round trip";
        await App.Gateway.UpdateObjectAsync(targetId, family, createdId, changed);
        target.Get(family, createdId)!["description"]!.GetValue<string>().Should().Be("Updated by the round trip");
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new([.. items.Select(i => i.DeepClone())]);

    [Fact]
    public async Task A_remediation_keeps_both_scripts_and_each_assignments_schedule_which_the_listing_leaves_out()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceHealthScripts] = 4 });
        var id = App.AddTenant(tenant);
        var listed = (await App.ListAllAsync(id, GraphResourceKeys.DeviceHealthScripts)).SelectMany(p => p.Items)
            .First(p => p.Raw["assignments"] is JsonArray { Count: > 0 });

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceHealthScripts, listed.Id);

        listed.Raw["detectionScriptContent"].Should().BeNull();
        listed.Raw["remediationScriptContent"].Should().BeNull();
        Convert.FromBase64String(detail.Content["detectionScriptContent"]!.GetValue<string>()).Should().NotBeEmpty();
        Convert.FromBase64String(detail.Content["remediationScriptContent"]!.GetValue<string>()).Should().NotBeEmpty();
        detail.Assignments.Should().NotBeEmpty().And.OnlyContain(a => a["runSchedule"] is JsonObject && a["runRemediationScript"] != null);
        fixture.GraphLog(tenant).Should().Contain(e => e.PathAndQuery == $"/beta/deviceManagement/deviceHealthScripts/{listed.Id}?$expand=assignments");
    }
}
