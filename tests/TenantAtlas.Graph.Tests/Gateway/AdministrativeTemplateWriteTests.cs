using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

/// <summary>
/// Administrative templates keep their settings as definition values below the policy: a create writes every value with
/// its bindings, an update writes only what differs (a value not as backed up is deleted and created again), and an
/// update that changes no setting sends no definition-value write at all.
/// </summary>
public sealed class AdministrativeTemplateWriteTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private const string Templates = GraphResourceKeys.GroupPolicyConfigurations;
    private const string ValuesPath = "/definitionValues";

    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task A_template_created_in_another_tenant_reads_back_with_every_setting()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 6 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var original = await TemplateWithSettingsAsync(source, sourceId);

        var created = await App.Gateway.CreateObjectAsync(targetId, Templates, original.Content);
        var restored = await App.Gateway.GetPolicyAsync(targetId, Templates, created["id"]!.GetValue<string>());

        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"the template reads back as backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        ((JsonArray)restored.Content["definitionValues"]!).Should().HaveCount(((JsonArray)original.Content["definitionValues"]!).Count);
        fixture.GraphLog(target).Count(e => e.Method == "POST" && e.PathAndQuery.EndsWith(ValuesPath, StringComparison.Ordinal))
            .Should().Be(((JsonArray)original.Content["definitionValues"]!).Count, "one create per definition value");
    }

    [Fact]
    public async Task An_update_writes_only_the_settings_that_differ_and_none_when_they_are_the_same()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 6 });
        var tenantId = App.AddTenant(tenant);
        var original = await TemplateWithSettingsAsync(tenant, tenantId);

        var before = fixture.GraphLog(tenant).Count;
        var renamed = (JsonObject)original.Content.DeepClone();
        renamed["description"] = "Only the description changed";
        await App.Gateway.UpdateObjectAsync(tenantId, Templates, original.Id, renamed);
        fixture.GraphLog(tenant).Skip(before).Where(IsWrite)
            .Select(e => $"{e.Method} {e.PathAndQuery}").Should().Equal($"PATCH /beta/deviceManagement/groupPolicyConfigurations/{original.Id}");

        // In the portal: one setting removed, another switched off. The update puts back exactly those two.
        var values = ((JsonArray)original.Content["definitionValues"]!).OfType<JsonObject>().ToList();
        tenant.EditDefinitionValues(original.Id, stored =>
        {
            stored.RemoveAll(v => v["definition"]!["id"]!.GetValue<string>() == values[0]["definition"]!["id"]!.GetValue<string>());
            stored.Single(v => v["definition"]!["id"]!.GetValue<string>() == values[1]["definition"]!["id"]!.GetValue<string>())["enabled"] =
                !values[1]["enabled"]!.GetValue<bool>();
        });
        before = fixture.GraphLog(tenant).Count;
        await App.Gateway.UpdateObjectAsync(tenantId, Templates, original.Id, original.Content);

        var writes = fixture.GraphLog(tenant).Skip(before).Where(IsWrite).ToList();
        writes.Count(e => e.Method == "DELETE" && e.PathAndQuery.Contains(ValuesPath + "/", StringComparison.Ordinal)).Should().Be(1, "the switched-off setting is replaced");
        writes.Count(e => e.Method == "POST" && e.PathAndQuery.EndsWith(ValuesPath, StringComparison.Ordinal)).Should().Be(2, "the removed and the switched-off setting");
        var after = await App.Gateway.GetPolicyAsync(tenantId, Templates, original.Id);
        var diff = GraphObjectDiff.Compare(original.Content, after.Content);
        diff.IsIdentical.Should().BeTrue($"the settings are as backed up again: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
    }

    /// <summary>A request that writes (the $batch of a read carries the presentation values' GETs).</summary>
    private static bool IsWrite(GraphEmulator.RequestLogEntry entry) => entry.Method != "GET" && !entry.PathAndQuery.EndsWith("/$batch", StringComparison.Ordinal);

    private async Task<GraphPolicyDetail> TemplateWithSettingsAsync(GraphEmulator.State.TenantState tenant, Guid tenantId)
    {
        foreach (var id in tenant.Ids(Templates))
        {
            var detail = await App.Gateway.GetPolicyAsync(tenantId, Templates, id);
            if (detail.Content["definitionValues"] is JsonArray { Count: > 2 })
            {
                return detail;
            }
        }

        throw new InvalidOperationException("The seed gave no template three or more definition values.");
    }
}
