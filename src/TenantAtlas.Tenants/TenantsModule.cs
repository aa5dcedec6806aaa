using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Tenants.Data;
using TenantAtlas.Tenants.Tenants;

namespace TenantAtlas.Tenants;

public static class TenantsModule
{
    public static IServiceCollection AddTenants(this IServiceCollection services)
    {
        services.AddModuleDbContext<TenantsDbContext>("Tenants", TenantsDbContext.Schema);
        services.AddSingleton<TenantQueries>();
        services.AddSingleton<ITenantCatalog>(sp => sp.GetRequiredService<TenantQueries>());
        services.AddSingleton<ITenantConnectionSource>(sp => sp.GetRequiredService<TenantQueries>());
        services.AddSingleton<ITenantAccess, TenantAccess>();
        services.AddSingleton<ITenantEditor, TenantEditor>();
        services.AddScoped<ITenantAdministration, TenantAdministration>();
        return services;
    }
}
