using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Inventory.Data;
using TenantAtlas.Inventory.Queries;
using TenantAtlas.Inventory.Sync;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Inventory;

/// <summary>
/// The Inventory module: <c>inventory.inventory_items</c>, the <c>inventory.sync</c> job, <see cref="IInventoryQueries"/>,
/// the tenant inventory page and its panel on the tenant overview. Needs from the host: Access, Tenants, Operations, Graph.
/// </summary>
internal static class InventoryModule
{
    public const string ModuleName = "Inventory";

    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddModuleDbContext<InventoryDbContext>(ModuleName, InventoryDbContext.Schema);
        services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.Section)
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "Inventory:BatchSize must be between 1 and 10000.")
            .Validate(o => o.ParallelFamilies is >= 1 and <= 8, "Inventory:ParallelFamilies must be between 1 and 8.")
            .Validate(o => o.PagesInFlight is >= 1 and <= 64, "Inventory:PagesInFlight must be between 1 and 64.")
            .ValidateOnStart();
        services.AddSingleton<IInventoryQueries, InventoryQueries>();
        services.AddOperationJob<InventorySyncJob>(OperationTypes.InventorySync);
        services.AddOperationLinks<InventoryRunLinks>(OperationTypes.InventorySync);
        services.AddSingleton(new TenantPanel(typeof(Pages.InventoryPanel), 20));
        return services;
    }
}

/// <summary>The Inventory module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class InventoryModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddInventory(configuration);
}
