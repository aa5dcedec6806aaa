using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Data;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Graph.Gateway;
using TenantAtlas.Graph.Jobs;
using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Throttling;

namespace TenantAtlas.Graph;

internal static class GraphModule
{
    /// <summary>
    /// The Graph module: <see cref="IGraphGateway"/>, <see cref="IGraphContracts"/>, <see cref="IGraphCallMetrics"/>,
    /// <see cref="IGraphTenantSlots"/>, <see cref="ITenantGraphJobEnvelope"/> (the frame of every tenant Graph job), and the
    /// <c>graph</c> schema (throttle budget) in the migrate step. Needs from the host: the Tenants module
    /// (<c>ITenantConnectionSource</c>), Data Protection, logging.
    /// </summary>
    public static IServiceCollection AddGraph(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<GraphDbContext>("Graph", GraphDbContext.Schema);
        services.AddOptions<GraphOptions>().Bind(configuration.GetSection(GraphOptions.Section))
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "Graph:MaxRetries must be between 0 and 10.")
            .Validate(o => o.RetryDelaySeconds is >= 0 and <= 180, "Graph:RetryDelaySeconds must be between 0 and 180.")
            .Validate(o => o.BatchSize is >= 1 and <= 20, "Graph:BatchSize must be between 1 and 20.")
            .Validate(o => o.GroupsPageSize is >= 1 and <= 999, "Graph:GroupsPageSize must be between 1 and 999.")
            .Validate(o => o.MaxConcurrentRequestsPerTenant >= 1 && o.WorkSlotsPerTenant >= 1, "Graph concurrency bounds must be at least 1.")
            .Validate(
                o => o.Budget.Window > TimeSpan.Zero && o.Budget.Slots >= 1 && o.Budget.Requests >= 1 && o.Budget.Writes >= 1,
                "Graph:Budget needs a positive Window, Slots, Requests and Writes.")
            .Validate(
                o => o.ConditionalAccessBudget.Window > TimeSpan.Zero && o.ConditionalAccessBudget.Slots >= 1
                    && o.ConditionalAccessBudget.Requests >= 1 && o.ConditionalAccessBudget.Writes >= 1,
                "Graph:ConditionalAccessBudget needs a positive Window, Slots, Requests and Writes.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new GraphContractRegistry(sp.GetRequiredService<IOptions<GraphOptions>>().Value.GroupsPageSize));
        services.AddSingleton<IGraphContracts>(sp => sp.GetRequiredService<GraphContractRegistry>());
        services.AddSingleton<GraphCallMetrics>();
        services.AddSingleton<IGraphCallMetrics>(sp => sp.GetRequiredService<GraphCallMetrics>());
        services.AddSingleton<TenantThrottleBudget>();
        services.AddSingleton<TenantRequestLimiter>();
        services.AddSingleton<GraphHttpTransport>();
        services.AddSingleton<TenantGraphClients>();
        services.AddSingleton<GraphRequests>();
        services.AddSingleton<ConnectionVerifier>();
        services.AddSingleton<IGraphGateway, GraphGateway>();
        services.AddSingleton<IGraphTenantSlots, GraphTenantSlots>();
        services.AddSingleton<ITenantGraphJobEnvelope, TenantGraphJobEnvelope>();
        services.AddSingleton(new TenantAtlas.Tenants.Contracts.TenantPanel(typeof(Pages.VerifyConnectionPanel), 10));
        return services;
    }
}

/// <summary>The Graph module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class GraphModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddGraph(configuration);
}
