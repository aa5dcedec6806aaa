using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Tenants.Tests.Pages;

/// <summary>Spec 000-foundation, "Tenant pages": 404 for non-members, 403 for members lacking tenant.manage, real status codes.</summary>
public sealed class TenantPageAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.OK)]
    [InlineData("readonly@demo.test", HttpStatusCode.OK)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    [InlineData("admin@demo.test", HttpStatusCode.NotFound)]
    public async Task Tenant_overview(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        (await client.GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}")).StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("readonly@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    public async Task Edit_and_add_tenant_forms_need_tenant_manage(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        (await client.GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}/edit")).StatusCode.Should().Be(expected);
        (await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new")).StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData("/admin/tenants/not-a-guid")]
    [InlineData("/admin/tenants/00000000-0000-0000-0000-000000000000")]
    [InlineData("/admin/tenants/6b1c7d2e-9f3a-4e5b-8c7d-112233445566")]
    public async Task Unknown_or_malformed_tenant_ids_are_404(string path)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        (await client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Overview_never_renders_the_secret()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync($"/admin/tenants/{fixture.Demo.ContosoEu}");
        var edit = await client.GetStringAsync($"/admin/tenants/{fixture.Demo.ContosoEu}/edit");

        html.Should().Contain("Contoso-EU").And.Contain("stored, encrypted").And.NotContain("emulator-demo-secret-contoso");
        edit.Should().NotContain("emulator-demo-secret-contoso");
    }
}
