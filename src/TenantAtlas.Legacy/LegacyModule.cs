using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Legacy.Backfill;
using TenantAtlas.Legacy.Contracts;
using TenantAtlas.Legacy.Data;
using TenantAtlas.Legacy.Import;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy;

/// <summary>
/// The Legacy module: the old system's five run tables (schema <c>legacy</c>, read-only, enforced by the database), the
/// importer (<c>legacy import</c>) and the backfill into operation runs through Operations (<c>legacy backfill</c>). Needs
/// from the host: Access, Tenants, Operations, a TimeProvider.
/// </summary>
internal static class LegacyModule
{
    public const string ModuleName = "Legacy";

    public static IServiceCollection AddLegacy(this IServiceCollection services)
    {
        services.AddModuleDbContext<LegacyDbContext>(ModuleName, LegacyDbContext.Schema);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LegacyConnections>();
        services.AddSingleton<LegacyImporter>();
        services.AddSingleton<LegacyBackfill>();
        services.AddSingleton<Pages.LegacyPageQueries>();
        services.AddOperationType(LegacyOperationTypes.Definition);
        services.AddOperationJob<LegacyBackfillJob>(LegacyOperationTypes.Backfill);
        return services;
    }
}

/// <summary>The Legacy module's line in the module catalogue (<c>src/modules.txt</c>).</summary>
internal sealed class LegacyModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddLegacy();
}
