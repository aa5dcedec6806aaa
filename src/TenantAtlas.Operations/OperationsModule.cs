using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Operations.Api;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Jobs;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations;

internal static class OperationsModule
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<OperationsDbContext>("Operations", OperationsDbContext.Schema);
        services.AddOptions<OperationsOptions>().Bind(configuration.GetSection("Operations"))
            .Validate(o => o.StaleAfter <= TimeSpan.FromMinutes(5) && o.HeartbeatInterval < o.StaleAfter,
                "Operations:StaleAfter must be at most 5 minutes and longer than Operations:HeartbeatInterval.")
            .Validate(o => o.QueuedJobCheckAfter > TimeSpan.Zero, "Operations:QueuedJobCheckAfter must be positive.")
            .Validate(o => o.MaxHandBacks >= 0 && o.HandBackTimeout > TimeSpan.Zero,
                "Operations:MaxHandBacks must not be negative and Operations:HandBackTimeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton<OperationTypeRegistry>();
        services.AddSingleton<OperationDispatcher>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunAccess>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<RunActions>();
        services.AddSingleton<OperationRuns>();
        // ADR 0004: bursts of identical starts are coalesced around the runs service unless switched off.
        if (configuration.GetValue("Operations:CoalesceStarts", true))
        {
            services.AddSingleton<IOperationRuns>(sp => ActivatorUtilities.CreateInstance<CoalescingOperationRuns>(sp, sp.GetRequiredService<OperationRuns>()));
        }
        else
        {
            services.AddSingleton<IOperationRuns>(sp => sp.GetRequiredService<OperationRuns>());
        }

        services.AddSingleton<IOperationRunQueries, Monitoring.OperationRunQueries>();
        services.AddSingleton<IScheduleRunQueries, Monitoring.ScheduleRunQueries>();
        services.AddSingleton<IOperationHistory, RunHistory>();
        services.AddSingleton<RunsInThisProcess>();
        services.AddTransient<OperationJobRunner>();
        services.AddTransient<OperationsMaintenance>();
        return services;
    }

    /// <summary>
    /// Registers the recurring upkeep (stale runs, orphaned queued runs). Idempotent across processes. A registration that
    /// fails does not stop the process: Hangfire takes a distributed lock for it, which a fleet starting at once contends
    /// for and which a process killed while holding it keeps for Hangfire.PostgreSql's lock timeout (10 minutes) — the
    /// worker restarted after a kill -9 must still start. It is retried in the background until it succeeds (the job is
    /// already registered in any database a process ever started on, so the upkeep keeps running meanwhile).
    /// </summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        var cron = app.Configuration["Operations:MaintenanceCron"] ?? new OperationsOptions().MaintenanceCron;
        var manager = app.Services.GetRequiredService<IRecurringJobManager>();
        app.RegisterWithRetry($"the recurring job {OperationsMaintenance.RecurringJobId}",
            () => manager.AddOrUpdate<OperationsMaintenance>(OperationsMaintenance.RecurringJobId, m => m.RunAsync(CancellationToken.None), cron));
        return app;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder endpoints) => endpoints.MapOperationsApi();
}

/// <summary>The Operations module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class OperationsModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddOperations(configuration);

    public void Start(WebApplication app) => app.UseOperations();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapOperations();
}
