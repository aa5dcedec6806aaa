using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.ArchitectureTests;

/// <summary>
/// No singleton holds a scoped service: a scoped service (a DbContext, a user store) captured by a singleton is shared
/// by every request and job at once — two legacy backfills running side by side failed one of them with EF Core's
/// "a second operation was started on this context instance". The host is built with the container's own checks on,
/// as in Development (the product runs with them off).
/// </summary>
public sealed class ServiceLifetimeTests
{
    private sealed class ValidatingApp(string connectionString) : TenantAtlasApp(connectionString)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseDefaultServiceProvider(options =>
            {
                options.ValidateOnBuild = true;
                options.ValidateScopes = true;
            });
        }
    }

    [Fact]
    public async Task The_host_builds_with_scope_validation_on_no_singleton_captures_a_scoped_service()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = new ValidatingApp(database.ConnectionString);

        var build = () => app.Services;

        build.Should().NotThrow("every singleton's dependencies are singletons (a scoped one is resolved in a scope of its own when needed)");
    }
}
