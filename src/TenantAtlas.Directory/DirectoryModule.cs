using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Directory.Data;
using TenantAtlas.Directory.Lookup;
using TenantAtlas.Directory.Settings;
using TenantAtlas.Directory.Sync;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Directory;

/// <summary>
/// The Directory module: the cache of a tenant's Entra groups and Intune role definitions (schema <c>directory</c>), the two
/// sync jobs, the lookup other modules use, the tenant configuration (protected groups, delegated-admin role), the pickers
/// and the tenant directory / configuration pages. Needs from the host: Access, Tenants, Operations, Graph, a TimeProvider.
/// </summary>
internal static class DirectoryModule
{
    public const string ModuleName = "Directory";

    public static IServiceCollection AddDirectory(this IServiceCollection services)
    {
        services.AddModuleDbContext<DirectoryDbContext>(ModuleName, DirectoryDbContext.Schema);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<IDirectoryLookup, DirectoryLookup>();
        services.AddSingleton<ITenantDirectorySettings, DirectorySettingsService>();
        services.AddOperationJob<GroupsSyncJob>(OperationTypes.DirectoryGroupsSync);
        services.AddOperationJob<RoleDefinitionsSyncJob>(OperationTypes.DirectoryRoleDefinitionsSync);
        services.AddOperationLinks<DirectoryRunLinks>(OperationTypes.DirectoryGroupsSync);
        services.AddOperationLinks<DirectoryRunLinks>(OperationTypes.DirectoryRoleDefinitionsSync);
        services.AddSingleton(new TenantPanel(typeof(Pages.DirectoryPanel), 20));
        return services;
    }
}

/// <summary>The Directory module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class DirectoryModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddDirectory();
}
