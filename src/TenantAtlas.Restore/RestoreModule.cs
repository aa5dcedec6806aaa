using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Api;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Execution;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Restore.Requests;
using TenantAtlas.Restore.Review;
using TenantAtlas.Restore.Rollback;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Restore;

/// <summary>
/// The Restore module: restore requests (schema <c>restore</c>), the <c>restore.plan</c> operation type and its job, the
/// review pages, the <c>restore.execute</c> job (its type is one of Operations' seven) with its inputs check, and rollbacks
/// (a new request from an execute's pre-restore snapshot). Reads Backup, Directory, Inventory, Tenants and Graph through their Contracts only. Needs from the host:
/// Access, Tenants, Operations, Graph, Backup, Directory, Inventory, a TimeProvider.
/// </summary>
internal static class RestoreModule
{
    public const string ModuleName = "Restore";

    public static IServiceCollection AddRestore(this IServiceCollection services)
    {
        services.AddModuleDbContext<RestoreDbContext>(ModuleName, RestoreDbContext.Schema);
        services.AddOptions<RestoreOptions>().BindConfiguration(RestoreOptions.Section)
            .Validate(o => o.PlanMaxAge > TimeSpan.Zero, "Restore:PlanMaxAge must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RestoreRequests>();
        services.AddSingleton<IRestoreRequests>(sp => sp.GetRequiredService<RestoreRequests>());
        services.AddSingleton<IRestoreRollbacks, RestoreRollbacks>();
        services.AddSingleton<PlanFreshness>();
        services.AddSingleton<PlanQueries>();
        services.AddSingleton<LedgerQueries>();
        services.AddSingleton(new TenantPanel(typeof(Pages.RestoreTenantPanel), 30));
        services.AddSingleton<IBackupSetUsage, RestoreBackupSetUsage>();
        services.AddOperationType(RestoreOperationTypes.PlanDefinition);
        services.AddOperationInputs<RestorePlanInputs>(RestoreOperationTypes.Plan);
        services.AddOperationJob<RestorePlanJob>(RestoreOperationTypes.Plan);
        services.AddOperationLinks<RestoreRunLinks>(RestoreOperationTypes.Plan);
        services.AddSingleton<ExecuteReadiness>();
        services.AddSingleton<RestoreExecutions>();
        services.AddSingleton<IRestoreExecutions>(sp => sp.GetRequiredService<RestoreExecutions>());
        services.AddOperationInputs<RestoreExecuteInputs>(OperationTypes.RestoreExecute);
        services.AddOperationJob<RestoreExecuteJob>(OperationTypes.RestoreExecute);
        services.AddOperationLinks<RestoreRunLinks>(OperationTypes.RestoreExecute);
        return services;
    }
}

/// <summary>The Restore module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class RestoreModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddRestore();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapRestoreApi();
}
