using System.Net;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Directory.Tests.Pages;

/// <summary>
/// The tenant directory and configuration pages (and the overview panel) render from the database only: a recorder of
/// every outbound HTTP request in the process and the emulator's own request log must both stay empty while they render.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class DirectoryPagesTests(DirectoryFixture fixture)
{
    private OperationRunView groupsRun = default!;
    private OperationRunView rolesRun = default!;

    private async Task<(Guid TenantId, string TenantName, string GroupId, string GroupName, string RoleId, string RoleName, string EmulatedId)> SyncedTenantAsync()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Groups = 120);
        groupsRun = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        rolesRun = await fixture.SyncAsync(OperationTypes.DirectoryRoleDefinitionsSync, tenantId);
        var group = emulated.List(GraphFamilies.Groups).OrderBy(g => g["displayName"]!.GetValue<string>(), StringComparer.Ordinal).First();
        var role = (await fixture.Lookup.ListRoleDefinitionsAsync(tenantId)).First(d => !d.IsBuiltIn);
        var name = await fixture.Database.ScalarAsync<string>("SELECT display_name FROM tenants.tenants WHERE id = $1", tenantId);
        return (tenantId, name!, group["id"]!.GetValue<string>(), group["displayName"]!.GetValue<string>(), role.Id, role.DisplayName, emulated.TenantId);
    }

    [Fact]
    public async Task Directory_configuration_and_overview_render_from_the_database_without_any_graph_call()
    {
        var t = await SyncedTenantAsync();
        var saved = await fixture.Settings.SaveAsync(Actor.User(fixture.Demo.Owner), t.TenantId,
            new TenantDirectorySettings([t.GroupId, "00000000-dead-beef-0000-000000000000"], t.RoleId));
        saved.Saved.Should().BeTrue();
        var client = await fixture.SignedInAsync("operator@demo.test");
        var after = fixture.LastRequestSequence();
        using var recorder = new OutboundHttpRecorder();

        var directory = await client.GetAsync($"/admin/tenants/{t.TenantId}/directory");
        var search = await client.GetAsync($"/admin/tenants/{t.TenantId}/directory?q={Uri.EscapeDataString(t.GroupName)}");
        var configuration = await client.GetAsync($"/admin/tenants/{t.TenantId}/configuration");
        var overview = await client.GetAsync($"/admin/tenants/{t.TenantId}");

        recorder.Requests.Should().BeEmpty("pages render from the database only");
        fixture.Emulator.RequestLog(t.EmulatedId, after).Should().BeEmpty();

        directory.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await directory.Content.ReadAsStringAsync());
        html.Should().Contain($"<title>Directory · {t.TenantName}").And.Contain(t.GroupName).And.Contain("120 groups")
            .And.Contain(t.RoleName).And.Contain("id=\"groups-grid\"")
            .And.Contain("id=\"sync-groups\"").And.Contain("id=\"sync-role-definitions\"")
            .And.Contain("id=\"groups-as-of\"").And.Contain($"/admin/operations/{groupsRun.Id}", "\"as of\" links to the last completed sync")
            .And.Contain($"/admin/operations/{rolesRun.Id}");
        var found = WebUtility.HtmlDecode(await search.Content.ReadAsStringAsync());
        found.Should().Contain($"data-group-id=\"{t.GroupId}\"");

        configuration.StatusCode.Should().Be(HttpStatusCode.OK);
        var config = WebUtility.HtmlDecode(await configuration.Content.ReadAsStringAsync());
        config.Should().Contain($"<title>Configuration · {t.TenantName}")
            .And.Contain(t.GroupName, "a selected group is labelled from the cache")
            .And.Contain("Unknown group (00000000-dead-beef-0000-000000000000)", "an id missing from the cache is shown as such")
            .And.Contain(t.RoleName)
            .And.Contain("id=\"configuration-readonly\"", "an operator cannot manage the tenant, so there is no Save")
            .And.Contain("id=\"sync-groups\"").And.Contain($"/admin/operations/{groupsRun.Id}");

        overview.StatusCode.Should().Be(HttpStatusCode.OK);
        var panel = WebUtility.HtmlDecode(await overview.Content.ReadAsStringAsync());
        panel.Should().Contain("id=\"directory-panel\"").And.Contain($"/admin/tenants/{t.TenantId}/directory").And.Contain($"/admin/tenants/{t.TenantId}/configuration");
    }

    [Fact]
    public async Task A_never_synced_tenant_says_what_to_do()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/admin/tenants/{tenantId}/directory"));

        html.Should().Contain("id=\"groups-empty\"").And.Contain("Never synced");
    }

    [Fact]
    public async Task Hand_edited_paging_and_flags_fall_back_instead_of_an_error()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/tenants/{tenantId}/directory?page=abc&deleted=maybe");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"groups-empty\"");
    }

    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.OK)]
    [InlineData("readonly@demo.test", HttpStatusCode.OK)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    [InlineData("admin@demo.test", HttpStatusCode.NotFound)]
    public async Task Page_access_matrix(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        foreach (var page in new[] { "directory", "configuration" })
        {
            var response = await client.GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}/{page}");
            response.StatusCode.Should().Be(expected, page);
            if (expected != HttpStatusCode.OK)
            {
                (await response.Content.ReadAsStringAsync()).Should().NotContain("Contoso-EU");
            }
        }
    }

    [Fact]
    public async Task Unknown_tenant_is_404_and_anonymous_is_sent_to_sign_in()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        (await client.GetAsync($"/admin/tenants/{Guid.NewGuid()}/directory")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var anonymous = await fixture.App.CreateBrowserLikeClient().GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}/configuration");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Redirect);
        anonymous.RedirectPath().Should().StartWith("/Account/Login");
    }
}
