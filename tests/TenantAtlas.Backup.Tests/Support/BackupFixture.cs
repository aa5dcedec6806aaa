using Microsoft.Extensions.Time.Testing;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Scheduler;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Support;

/// <summary>
/// The real host (which composes Backup and Graph from the module catalogue) on its own migrated database with demo data;
/// the two modules' migrations are applied here too (idempotent — a no-op once the host's migrate step knows them).
/// </summary>
public class BackupFixture : AppFixture, IAsyncLifetime
{
    public static readonly string[] OwnModules = [BackupModule.ModuleName, "Graph"];

    protected virtual IDictionary<string, string?> GraphSettings => new Dictionary<string, string?>
    {
        ["Graph:RetryDelaySeconds"] = "1",
        ["Graph:Budget:Requests"] = "100000",
        ["Graph:Budget:Writes"] = "10000",
    };

    protected override TenantAtlasApp CreateApp(string connectionString) => Configure(new TenantAtlasApp(connectionString), GraphSettings);

    public static TenantAtlasApp Configure(TenantAtlasApp app, IDictionary<string, string?> graphSettings)
    {
        foreach (var (key, value) in graphSettings)
        {
            app.WithSetting(key, value);
        }

        return app
            .WithSetting("Operations:HeartbeatInterval", "00:00:00.200")
            .WithSetting("Operations:StaleAfter", "00:00:05");
    }

    // AppFixture.InitializeAsync is not virtual: re-implementing IAsyncLifetime runs ours (which runs the base first).
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await MigrateOwnModulesAsync(App.Services);
    }

    public static async Task MigrateOwnModulesAsync(IServiceProvider services)
    {
        foreach (var database in services.GetServices<IModuleDatabase>().Where(d => OwnModules.Contains(d.Module)).GroupBy(d => d.Module).Select(g => g.First()))
        {
            await database.MigrateAsync(CancellationToken.None);
        }
    }

    internal ScheduleService Schedules => App.Services.GetRequiredService<ScheduleService>();

    internal BackupRuns BackupRuns => App.Services.GetRequiredService<BackupRuns>();

    public IOperationRuns Runs => App.Services.GetRequiredService<IOperationRuns>();

    /// <summary>A schedule service whose clock is <paramref name="clock"/> (creation time = first watermark).</summary>
    internal ScheduleService SchedulesAt(TimeProvider clock) => ActivatorUtilities.CreateInstance<ScheduleService>(App.Services, clock);

    /// <summary>A scheduler process with its own clock; several of them race like several processes.</summary>
    internal BackupScheduler SchedulerAt(TimeProvider clock) => ActivatorUtilities.CreateInstance<BackupScheduler>(App.Services, clock);

    public static FakeTimeProvider ClockAt(DateTimeOffset utc) => new(utc);

    internal static ScheduleInput Nightly(string? name = null, string cron = "0 2 * * *", string zone = "Europe/Berlin") =>
        new(name ?? "Nightly " + Guid.NewGuid().ToString("N")[..6], cron, zone, [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.ConfigurationPolicies], KeepLast: 30, KeepDays: null);

    internal async Task<Guid> CreateScheduleAsync(ScheduleInput? input = null, ScheduleService? service = null, Guid? tenant = null)
    {
        var result = await (service ?? Schedules).CreateAsync(Demo.Owner, tenant ?? Demo.ContosoEu, input ?? Nightly());
        result.Saved.Should().BeTrue(string.Join("; ", result.Errors.Values));
        return result.ScheduleId!.Value;
    }

    public Task<long> RunsOfScheduleAsync(Guid scheduleId) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE schedule_id = $1", scheduleId);

    public Task<long> SchedulesNamedAsync(string name) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM backup.backup_schedules WHERE name = $1", name);

    public async Task<IReadOnlyList<DateTimeOffset>> SlotsOfAsync(Guid scheduleId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT scheduled_for FROM operations.operation_runs WHERE schedule_id = $1 ORDER BY scheduled_for", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = scheduleId });
        var slots = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            slots.Add(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero));
        }

        return slots;
    }
}
