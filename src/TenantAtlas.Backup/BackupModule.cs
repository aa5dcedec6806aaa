using Cronos;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TenantAtlas.Backup.Compare;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Jobs;
using TenantAtlas.Backup.Pages;
using TenantAtlas.Backup.ScheduleAdmin;
using TenantAtlas.Backup.Scheduler;
using TenantAtlas.Backup.Sets;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Backup;

/// <summary>
/// The Backup module: schedules, the scheduler (a recurring Hangfire job), the backup job of the three backup operation
/// types, backup sets and retention. Needs from the host: Access, Tenants, Operations, Graph, Inventory (the compare page), Hangfire, a TimeProvider.
/// </summary>
internal static class BackupModule
{
    public const string ModuleName = "Backup";

    public static IServiceCollection AddBackup(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddModuleDbContext<BackupDbContext>(ModuleName, BackupDbContext.Schema);
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section)
            .Validate(o => o.GraceWindow > TimeSpan.Zero, "Backup:GraceWindow must be positive.")
            .Validate(o => o.MaxSlotsPerScheduleTick is >= 1 and <= 10_000, "Backup:MaxSlotsPerScheduleTick must be between 1 and 10000.")
            .Validate(o => TryParseSchedulerCron(o.SchedulerCron, out _), "Backup:SchedulerCron must be a 5- or 6-field cron expression.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ScheduleService>();
        services.AddSingleton<BackupRuns>();
        services.AddSingleton<IBackupScheduleAdministration, ScheduleAdministration>();
        services.AddTransient<BackupScheduler>();
        services.AddScoped<Retention>();
        services.AddSingleton<BackupSetQueries>();
        services.AddSingleton<IBackupSets, BackupSets>();
        services.AddSingleton<IPreRestoreSnapshots, PreRestoreSnapshots>();
        services.AddSingleton<BackupSetComparer>();
        services.AddSingleton(new TenantPanel(typeof(Pages.BackupTenantPanel), 20));
        services.AddOperationJob<RunBackupJob>(OperationTypes.BackupRunNow);
        services.AddOperationJob<RunBackupJob>(OperationTypes.BackupRetry);
        services.AddOperationJob<RunBackupJob>(OperationTypes.BackupScheduled);
        services.AddOperationInputs<BackupInputs>(OperationTypes.BackupRunNow);
        services.AddOperationInputs<BackupInputs>(OperationTypes.BackupRetry);
        services.AddOperationInputs<BackupInputs>(OperationTypes.BackupScheduled);
        services.AddOperationLinks<BackupRunLinks>(OperationTypes.BackupRunNow);
        services.AddOperationLinks<BackupRunLinks>(OperationTypes.BackupRetry);
        services.AddOperationLinks<BackupRunLinks>(OperationTypes.BackupScheduled);
        return services;
    }

    /// <summary>Registers the recurring scheduler tick (<c>Backup:SchedulerCron</c>, every minute by default). Idempotent across processes.</summary>
    public static WebApplication UseBackup(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cron = app.Configuration[$"{BackupOptions.Section}:{nameof(BackupOptions.SchedulerCron)}"] ?? new BackupOptions().SchedulerCron;
        var manager = app.Services.GetRequiredService<IRecurringJobManager>();
        // Like Operations' upkeep: a storage lock left by a killed process must not stop this process from starting.
        app.RegisterWithRetry($"the recurring job {BackupScheduler.RecurringJobId}",
            () => manager.AddOrUpdate<BackupScheduler>(BackupScheduler.RecurringJobId, s => s.RunAsync(CancellationToken.None), cron));
        return app;
    }

    /// <summary>The module's endpoints besides its pages: the backup set download, and redirects from the pages' old addresses.</summary>
    public static IEndpointRouteBuilder MapBackup(this IEndpointRouteBuilder endpoints) => endpoints.MapBackupSetDownload().MapMovedBackupRoutes();

    private static bool TryParseSchedulerCron(string cron, out CronExpression? expression)
    {
        var fields = (cron ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        var ok = CronExpression.TryParse(cron ?? "", format, out var parsed);
        expression = parsed;
        return ok && fields is 5 or 6;
    }
}

/// <summary>The Backup module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class BackupModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddBackup(configuration);

    public void Start(WebApplication app) => app.UseBackup();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapBackup();
}
