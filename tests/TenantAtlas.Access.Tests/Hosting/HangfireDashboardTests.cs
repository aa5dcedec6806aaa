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

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    [InlineData("-")]
    public async Task A_job_id_that_is_no_number_is_a_404_in_the_dashboard(string id)
    {
        var client = await fixture.SignedInAsync("admin@demo.test");

        var response = await client.GetAsync($"/admin/hangfire/jobs/details/{id}");

        // Issue 19, item 7: Hangfire.PostgreSql parses job ids as bigint and throws on anything else (a 500 before).
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Not found");
    }

    [Fact]
    public async Task A_numeric_job_id_still_reaches_the_dashboard()
    {
        var client = await fixture.SignedInAsync("admin@demo.test");

        var response = await client.GetAsync("/admin/hangfire/jobs/details/987654321");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("TenantAtlas · Hangfire");
    }

    [Fact]
    public async Task Workspace_members_still_get_403_for_a_malformed_job_id()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        (await client.GetAsync("/admin/hangfire/jobs/details/abc")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Test_hosts_run_no_hangfire_server_unless_asked()
    {
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server")).Should().Be(0);
    }
}
