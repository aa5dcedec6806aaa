using System.Net;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Tenants.Tests.Pages;

/// <summary>Spec 000-foundation, "Friendly errors": a failing page answers 500 with a reference, never a stack trace, outside Development.</summary>
public sealed class ErrorPageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private sealed class ExplodingCatalog : ITenantCatalog
    {
        public Task<TenantSummary?> GetAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("kaboom-internal-detail");

        public Task<IReadOnlyList<TenantSummary>> ListAsync(IReadOnlyCollection<Guid> workspaceIds, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("kaboom-internal-detail");
    }

    [Fact]
    public async Task Unhandled_error_gives_a_friendly_500_without_internals()
    {
        await using var app = new TenantAtlasApp(fixture.Database.ConnectionString)
            .WithServices(s => s.AddSingleton<ITenantCatalog, ExplodingCatalog>());
        var client = await app.SignedInClientAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("Something went wrong").And.NotContain("kaboom-internal-detail").And.NotContain("   at ");
    }
}
