using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Operations.Api;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Jobs;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations;

public static class OperationsModule
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

    /// <summary>Registers the recurring upkeep (stale runs, orphaned queued runs). Idempotent across processes.</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        var cron = app.Configuration["Operations:MaintenanceCron"] ?? new OperationsOptions().MaintenanceCron;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<OperationsMaintenance>(OperationsMaintenance.RecurringJobId, m => m.RunAsync(CancellationToken.None), cron);
        return app;
    }

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder endpoints) => endpoints.MapOperationsApi();
}
