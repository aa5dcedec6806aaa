using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Scheduler;

/// <summary>
/// Spec 004-backup, "Hangfire end to end": the app with a real Hangfire server, the scheduler's recurring job every 2 seconds (<c>Backup:SchedulerCron</c> with
/// seconds) and the Graph emulator: a schedule fires by itself, exactly one run per slot, the run succeeds, the set is stored.
/// </summary>
public sealed class HangfireBackupFixture : EmulatorBackupFixture
{
    protected override TenantAtlasApp CreateApp(string connectionString) => base.CreateApp(connectionString)
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithSetting("Hangfire:SchedulePollingSeconds", "1")
        .WithSetting("Hangfire:WorkerCount", "4")
        .WithSetting("Backup:SchedulerCron", "*/2 * * * * *");
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BackupHangfireCollection
{
    public const string Name = "backup-hangfire";
}

[Collection(BackupHangfireCollection.Name)]
public sealed class HangfireSchedulerTests(HangfireBackupFixture fixture) : IClassFixture<HangfireBackupFixture>
{
    private static readonly string[] Families = [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.ConfigurationPolicies];

    [Fact]
    public async Task A_schedule_fires_through_hangfire_once_per_slot_and_its_run_stores_the_backup()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        // Every minute: the next minute boundary is the first slot.
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "* * * * *", zone: "Europe/Berlin") with { Families = Families }, tenant: tenantId);

        var runId = await WaitForValueAsync(TimeSpan.FromSeconds(120), () =>
            fixture.Database.ScalarAsync<long?>("SELECT min(id) FROM operations.operation_runs WHERE schedule_id = $1", schedule));
        var run = await WaitForAsync(TimeSpan.FromSeconds(90), async () =>
            await fixture.Runs.FindAsync(runId) is { Status: OperationRunStatus.Completed } done ? done : null);

        run.Type.Should().Be(OperationTypes.BackupScheduled);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.Initiator.IsSystem.Should().BeTrue();
        run.ScheduledFor!.Value.Second.Should().Be(0, "slots are whole minutes");
        var expected = Families.Sum(emulated.Count);
        run.Count(OperationSummaryKeys.Succeeded).Should().Be(expected);
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync())
        {
            var set = await db.Sets.AsNoTracking().Include(s => s.Items).SingleAsync(s => s.OperationRunId == runId);
            set.ScheduleId.Should().Be(schedule);
            set.ItemCount.Should().Be(expected);
            set.Items.Select(i => (i.Family, i.GraphId)).Should().BeEquivalentTo(Families.SelectMany(f => emulated.Ids(f).Select(id => (f, id))));
        }

        // Many more ticks (every 2 s) pass over the same slot: still one run for it, and never two for any slot.
        await Task.Delay(TimeSpan.FromSeconds(8));
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE schedule_id = $1 AND scheduled_for = $2", schedule, run.ScheduledFor!.Value))
            .Should().Be(1);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) - count(DISTINCT scheduled_for) FROM operations.operation_runs WHERE schedule_id = $1", schedule)).Should().Be(0);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%BackupScheduler%'"))
            .Should().BeGreaterThan(3, "the scheduler ticked several times through Hangfire");
    }

    private static async Task<T> WaitForValueAsync<T>(TimeSpan timeout, Func<Task<T?>> probe)
        where T : struct => (await WaitForAsync(timeout, async () => await probe() is { } value ? new StrongBox<T>(value) : null)).Value;

    private static async Task<T> WaitForAsync<T>(TimeSpan timeout, Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition was not met in time.");
            }

            await Task.Delay(250);
        }
    }
}
