using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Workspaces;

/// <summary>Spec 000-foundation, "Workspace pages": non-members get 404 (indistinguishable from unknown), members lacking the capability 403.</summary>
public sealed class WorkspacePageAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.OK)]
    [InlineData("readonly@demo.test", HttpStatusCode.OK)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    [InlineData("admin@demo.test", HttpStatusCode.NotFound)]
    public async Task Members_page_is_for_members_only(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        var response = await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}");

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("readonly@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    public async Task Audit_trail_needs_members_manage(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        var response = await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}/audit");

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task Not_a_member_and_unknown_workspace_give_the_same_404_page()
    {
        var client = await fixture.SignedInAsync("outsider@demo.test");

        var existing = await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}");
        var unknown = await client.GetAsync($"/admin/workspaces/{Guid.NewGuid()}");

        existing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        HtmlNormalizer.Normalize(await existing.Content.ReadAsStringAsync()).Should().Be(HtmlNormalizer.Normalize(await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Forbidden_page_explains_without_details()
    {
        var client = await fixture.SignedInAsync("readonly@demo.test");

        var body = await (await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}/audit")).Content.ReadAsStringAsync();

        body.Should().Contain("id=\"forbidden\"").And.NotContain("membership.");
    }

    [Theory]
    [InlineData("admin@demo.test", HttpStatusCode.OK)]
    [InlineData("owner@demo.test", HttpStatusCode.Forbidden)]
    public async Task New_workspace_page_is_for_platform_administrators(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        (await client.GetAsync("/admin/workspaces/new")).StatusCode.Should().Be(expected);
    }
}
