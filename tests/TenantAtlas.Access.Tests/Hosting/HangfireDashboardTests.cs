using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Hosting;

/// <summary>Spec 000-foundation, "Hangfire": the dashboard is for platform administrators.</summary>
public sealed class HangfireDashboardTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Anonymous_is_redirected_to_sign_in()
    {
        var response = await fixture.App.CreateBrowserLikeClient().GetAsync("/admin/hangfire");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().StartWith("/Account/Login");
    }

    [Theory]
    [InlineData("owner@demo.test")]
    [InlineData("operator@demo.test")]
    [InlineData("outsider@demo.test")]
    public async Task Workspace_members_get_403(string email)
    {
        var client = await fixture.SignedInAsync(email);

        (await client.GetAsync("/admin/hangfire")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Platform_administrator_sees_the_dashboard()
    {
        var client = await fixture.SignedInAsync("admin@demo.test");

        var response = await client.GetAsync("/admin/hangfire");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("TenantAtlas · Hangfire");
    }

    [Fact]
    public async Task Test_hosts_run_no_hangfire_server_unless_asked()
    {
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server")).Should().Be(0);
    }
}
