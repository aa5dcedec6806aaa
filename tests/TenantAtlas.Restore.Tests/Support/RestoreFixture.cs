using TenantAtlas.GraphEmulator;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Restore.Requests;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Support;

/// <summary>
/// The real host with Hangfire workers and a Graph emulator; each test makes its own emulated tenants, backs them up
/// through the real backup run and restores from those sets. Restore's (and Backup's) migrations are applied here too.
/// </summary>
public class RestoreFixture : EmulatorTenantFixture
{
    public static readonly string[] OwnModules = [RestoreModule.ModuleName, "Backup", "Graph", "Directory", "Inventory"];

    protected override TenantSpec TenantDefaults => new() { DisplayName = "Restore test tenant", Seed = 11, Groups = 6, Policies = 16 };

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var database in App.Services.GetServices<IModuleDatabase>().Where(d => OwnModules.Contains(d.Module)).GroupBy(d => d.Module).Select(g => g.First()))
        {
            await database.MigrateAsync(CancellationToken.None);
        }
    }

    public IRestoreRequests Requests => App.Services.GetRequiredService<IRestoreRequests>();

    internal RestoreRequests RequestService => App.Services.GetRequiredService<RestoreRequests>();

    public IBackupSets BackupSets => App.Services.GetRequiredService<IBackupSets>();

    /// <summary>Backs the tenant up (a real <c>backup_schedule.run_now</c> run) and returns the set it stored.</summary>
    public async Task<BackupSetInfo> BackupAsync(Guid tenantId, params string[] families)
    {
        var scheduleId = await App.Services.GetRequiredService<IBackupScheduleAdministration>().EnsureScheduleAsync(tenantId,
            new BackupScheduleSpec("Restore tests " + Guid.NewGuid().ToString("N")[..8], "0 3 * * *", "UTC",
                families.Length > 0 ? families : [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.ConfigurationPolicies], KeepLast: 100, KeepDays: null));
        var started = await Runs.StartAsync(Actor.User(Demo.Owner),
            new StartRequest(OperationTypes.BackupRunNow, tenantId) { Inputs = new System.Text.Json.Nodes.JsonObject { ["scheduleId"] = scheduleId.ToString() } });
        started.Started.Should().BeTrue(started.Message);
        var run = await WaitForCompletionAsync(started.Run!.Id, 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var sets = await BackupSets.ListAsync([tenantId]);
        return sets.Single(s => s.OperationRunId == run.Id);
    }
}

[CollectionDefinition(Name)]
public sealed class RestoreCollection : ICollectionFixture<RestoreFixture>
{
    public const string Name = "restore";
}
