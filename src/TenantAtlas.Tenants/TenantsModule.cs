using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Tenants.Data;
using TenantAtlas.Tenants.Tenants;

namespace TenantAtlas.Tenants;

internal static class TenantsModule
{
    public static IServiceCollection AddTenants(this IServiceCollection services)
    {
        services.AddModuleDbContext<TenantsDbContext>("Tenants", TenantsDbContext.Schema);
        services.AddSingleton<TenantQueries>();
        services.AddSingleton<ITenantCatalog>(sp => sp.GetRequiredService<TenantQueries>());
        services.AddSingleton<ITenantsByEntraId>(sp => sp.GetRequiredService<TenantQueries>());
        services.AddSingleton<ITenantConnectionSource>(sp => sp.GetRequiredService<TenantQueries>());
        services.AddSingleton<ITenantAccess, TenantAccess>();
        services.AddSingleton<ITenantEditor, TenantEditor>();
        services.AddScoped<ITenantAdministration, TenantAdministration>();
        return services;
    }
}

/// <summary>The Tenants module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class TenantsModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddTenants();
}
