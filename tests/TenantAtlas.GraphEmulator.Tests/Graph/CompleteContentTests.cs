using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

/// <summary>
/// What a backup must not lose and a restore must expect: expanded collections paged with nextLinks inside the item,
/// encrypted OMA-URI values read through getOmaSettingPlainTextValue, and Multi Admin Approval refusing writes.
/// </summary>
public sealed class CompleteContentTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task An_expanded_collection_larger_than_a_page_carries_a_nextLink_inside_the_item_that_reads_the_rest()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 3 };
            s.ExpandedPageSize = 10;
            s.OversizedPolicies = 1;
        });
        var policyId = tenant.Ids(GraphFamilies.ConfigurationPolicies).Single(id => tenant.Get(GraphFamilies.ConfigurationPolicies, id)!["settings"]!.AsArray().Count > 10);
        var seeded = tenant.Get(GraphFamilies.ConfigurationPolicies, policyId)!;
        using var client = Host.CreateClient(tenant.TenantId);

        var item = await client.GetJsonAsync($"beta/deviceManagement/configurationPolicies/{policyId}?$expand=assignments,settings");

        foreach (var name in new[] { "settings", "assignments" })
        {
            var total = seeded[name]!.AsArray().Count;
            total.Should().BeGreaterThan(20, $"the oversized policy has more {name} than two pages");
            item[name]!.AsArray().Should().HaveCount(10, $"the first page of {name} comes inline");
            var next = item[$"{name}@odata.nextLink"].Str();
            next.Should().StartWith($"{Host.GraphBetaUrl}/deviceManagement/configurationPolicies('{policyId}')/{name}?$skiptoken=");

            var ids = item[name]!.AsArray().Select(i => i!["id"].Str()).ToList();
            var pages = 1;
            while (next is not null)
            {
                var page = await client.GetJsonAsync(next);
                ids.AddRange(page.Values().Select(i => i!["id"].Str()));
                next = page["@odata.nextLink"]?.GetValue<string>();
                pages++;
            }

            ids.Should().Equal(seeded[name]!.AsArray().Select(i => i!["id"].Str()), $"every one of the {name}, in order, once");
            pages.Should().Be((total + 9) / 10);
        }

        var listed = await client.GetJsonAsync("beta/deviceManagement/configurationPolicies?$expand=assignments");
        var inList = listed.Values().Single(p => p!["id"].Str() == policyId)!;
        inList["assignments"]!.AsArray().Should().HaveCount(10);
        inList["assignments@odata.nextLink"].Should().NotBeNull("a listing pages expanded assignments the same way");
        listed.Values().Where(p => p!["id"].Str() != policyId).Should().OnlyContain(p => p!["assignments@odata.nextLink"] == null);
    }

    [Fact]
    public async Task A_nested_skiptoken_belongs_to_its_object_and_collection()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 2 };
            s.ExpandedPageSize = 5;
            s.OversizedPolicies = 2;
        });
        var ids = tenant.Ids(GraphFamilies.ConfigurationPolicies);
        using var client = Host.CreateClient(tenant.TenantId);
        var item = await client.GetJsonAsync($"beta/deviceManagement/configurationPolicies/{ids[0]}?$expand=settings");
        var next = item["settings@odata.nextLink"].Str();

        using var other = await client.GetAsync(next.Replace(ids[0], ids[1], StringComparison.Ordinal));

        other.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_encrypted_oma_value_is_served_as_a_blob_and_its_clear_text_only_by_getOmaSettingPlainTextValue()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 0 });
        var added = tenant.AddPolicy(GraphFamilies.DeviceConfigurations, "WIN - Custom Wi-Fi", "#microsoft.graph.windows10CustomConfiguration");
        var id = added["id"].Str();
        var (reference, plain) = tenant.PlainTextOmaValues(id).Single();
        using var client = Host.CreateClient(tenant.TenantId);

        var read = await client.GetJsonAsync($"beta/deviceManagement/deviceConfigurations/{id}");
        var clear = await client.GetJsonAsync($"beta/deviceManagement/deviceConfigurations/{id}/getOmaSettingPlainTextValue(secretReferenceValueId='{reference}')");
        using var unknown = await client.GetAsync($"beta/deviceManagement/deviceConfigurations/{id}/getOmaSettingPlainTextValue(secretReferenceValueId='{Guid.NewGuid()}')");

        var encrypted = read["omaSettings"]!.AsArray().Single(s => s!["isEncrypted"]!.GetValue<bool>())!;
        encrypted["@odata.type"].Str().Should().Be("#microsoft.graph.omaSettingString");
        encrypted["secretReferenceValueId"].Str().Should().Be(reference);
        encrypted["value"].Str().Should().NotBeNullOrEmpty().And.NotContain(plain);
        read.ToJsonString().Should().NotContain(plain, "the object itself never carries the clear text");
        read["omaSettings"]!.AsArray().Where(s => !s!["isEncrypted"]!.GetValue<bool>()).Should().NotBeEmpty("profiles mix encrypted and clear values");
        clear["value"].Str().Should().Be(plain);
        clear["@odata.context"].Str().Should().EndWith("/beta/$metadata#Edm.String");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Multi_admin_approval_refuses_writes_to_a_protected_family_and_lets_reads_and_other_families_pass()
    {
        var tenant = fixture.NewTenant(s => s.ApprovalProtectedFamilies = [GraphFamilies.DeviceConfigurations]);
        var id = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        using var client = Host.CreateClient(tenant.TenantId);
        var body = new JsonObject { ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration", ["displayName"] = "WIN - New" };

        using var create = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/deviceConfigurations", body);
        using var update = await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceManagement/deviceConfigurations/{id}", new JsonObject { ["description"] = "x" });
        using var assign = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/deviceConfigurations/{id}/assign", new JsonObject { ["assignments"] = new JsonArray() });
        using var delete = await client.DeleteAsync($"beta/deviceManagement/deviceConfigurations/{id}");
        using var read = await client.GetAsync($"beta/deviceManagement/deviceConfigurations/{id}");
        using var otherFamily = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/deviceManagementScripts", new JsonObject
        {
            ["displayName"] = "Script",
            ["scriptContent"] = Convert.ToBase64String("Write-Host 1"u8.ToArray()),
        });

        foreach (var refused in new[] { create, update, assign, delete })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            var error = (await refused.ReadJsonAsync())["error"]!;
            error["message"].Str().Should().Contain("x-msft-approval-justification");
        }

        IsRefused(read).Should().BeFalse();
        otherFamily.StatusCode.Should().Be(HttpStatusCode.Created);
        tenant.Get(GraphFamilies.DeviceConfigurations, id).Should().NotBeNull("a refused delete deleted nothing");

        tenant.RequireApproval(GraphFamilies.DeviceConfigurations, required: false);
        using var afterwards = await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceManagement/deviceConfigurations/{id}", new JsonObject { ["description"] = "x" });
        afterwards.StatusCode.Should().Be(HttpStatusCode.NoContent);

        static bool IsRefused(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.Forbidden;
    }
}
