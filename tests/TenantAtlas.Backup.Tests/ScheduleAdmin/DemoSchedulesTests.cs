using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.ScheduleAdmin;

public sealed class DemoSchedulesFixture : AppFixture
{
    protected override TenantAtlasApp CreateApp(string connectionString) =>
        new TenantAtlasApp(connectionString).WithSetting("Demo:BackupSchedules", "true");
}

/// <summary>The demo has a schedule per demo tenant, created once by the seed as the system, valid like a user's.</summary>
public sealed class DemoSchedulesTests(DemoSchedulesFixture fixture) : IClassFixture<DemoSchedulesFixture>
{
    [Fact]
    public async Task The_demo_seed_creates_one_schedule_per_demo_tenant_once()
    {
        await fixture.App.SeedDemoAsync(); // a second seed adds nothing

        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM backup.backup_schedules")).Should().Be(3);
        (await fixture.Database.ScalarAsync<long>("SELECT count(DISTINCT tenant_id) FROM backup.backup_schedules WHERE enabled")).Should().Be(3);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = 'backup_schedule.created' AND actor_label = 'system: demo seed'"))
            .Should().Be(3);
    }
}
