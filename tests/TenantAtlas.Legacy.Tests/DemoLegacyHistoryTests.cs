using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Demo": the demo seed imports and backfills the shipped legacy history, idempotently.</summary>
public sealed class DemoLegacyHistoryTests
{
    [Fact]
    public async Task The_demo_seed_brings_a_year_of_legacy_history_into_the_run_list_once()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = new TenantAtlasApp(database.ConnectionString)
            .WithSetting("Demo:History", "true").WithSetting("Demo:LegacyHistory", "true");

        await app.SeedDemoAsync();
        var legacyRows = await database.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM legacy.inventory_sync_runs) + (SELECT count(*) FROM legacy.entra_group_sync_runs)
                 + (SELECT count(*) FROM legacy.backup_schedule_runs) + (SELECT count(*) FROM legacy.restore_runs)
                 + (SELECT count(*) FROM legacy.role_definition_sync_runs)
            """);
        var unmappedRows = await database.ScalarAsync<long>("SELECT count(*) FROM legacy.inventory_sync_runs WHERE tenant_id = 4");
        var runs = await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL");
        await app.SeedDemoAsync();

        legacyRows.Should().BeGreaterThan(2500, "a year of history");
        unmappedRows.Should().BeGreaterThan(0, "the old tenant that maps to none is kept");
        runs.Should().BeGreaterThan(1500).And.BeLessThan(legacyRows, "the unmapped tenant's rows have no run");
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL")).Should().Be(runs, "seeding again adds nothing");
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table = 'backup_schedule_runs' AND context ? 'slot_not_taken'"))
            .Should().BeGreaterThan(0, "the slot the old scheduler fired twice");
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL AND status <> 'completed'")).Should().Be(0);
    }
}
