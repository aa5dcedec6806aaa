using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using TenantAtlas.Backup.Data;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Testing.Database;

namespace TenantAtlas.Backup.Tests.Sets;

/// <summary>
/// Issue 16: the abstract <c>managedAppPolicies</c> family is retired; the migration AppProtectionPlatformFamilies rewrites
/// the schedules that backed it up to its platform families (in its place, without duplicates) and leaves everything else
/// — other schedules, backup sets and items of the old family — as it was. Runs the real migrations on a database of its
/// own, from the migration before it.
/// </summary>
public sealed class RetiredFamilyMigrationTests
{
    private const string Before = "20261207054648_PreRestoreSnapshots";

    [Fact]
    public async Task Schedules_of_the_abstract_app_protection_family_back_up_its_platform_families_and_old_items_stay()
    {
        var admin = await PostgresServer.GetAdminConnectionStringAsync();
        var name = "ta_migration_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        try
        {
            await using var db = Context(connectionString);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(Before);
            var middle = await InsertScheduleAsync(connectionString, ["deviceConfigurations", "managedAppPolicies", "windowsAutopilotDeploymentProfiles"]);
            var already = await InsertScheduleAsync(connectionString, ["managedAppPolicies", "androidManagedAppProtections"]);
            var untouched = await InsertScheduleAsync(connectionString, ["deviceConfigurations", "configurationPolicies"]);
            await ExecuteAsync(connectionString, $"""
                INSERT INTO backup.backup_sets (id, workspace_id, tenant_id, schedule_id, operation_run_id, run_type, families, created_at, item_count, failed_count, size_bytes)
                VALUES ('{Guid.NewGuid()}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', '{middle}', 42, 'backup.run_now', ARRAY['managedAppPolicies'], now(), 1, 0, 10)
                """);
            await ExecuteAsync(connectionString, """
                INSERT INTO backup.backup_items (backup_set_id, family, graph_id, display_name, content, assignments, content_hash, size_bytes)
                SELECT id, 'managedAppPolicies', 'T_1', 'iOS - App Protection', '{}', '[]', repeat('0', 64), 10 FROM backup.backup_sets
                """);

            await migrator.MigrateAsync();

            (await FamiliesAsync(connectionString, middle)).Should().Equal(
                "deviceConfigurations", "iosManagedAppProtections", "androidManagedAppProtections", "targetedManagedAppConfigurations", "windowsAutopilotDeploymentProfiles");
            (await FamiliesAsync(connectionString, already)).Should().Equal(
                "iosManagedAppProtections", "androidManagedAppProtections", "targetedManagedAppConfigurations");
            (await FamiliesAsync(connectionString, untouched)).Should().Equal("deviceConfigurations", "configurationPolicies");
            (await ScalarAsync(connectionString, "SELECT count(*) FROM backup.backup_items WHERE family = 'managedAppPolicies'")).Should().Be(1, "old items stay viewable");
            (await ScalarAsync(connectionString, "SELECT count(*) FROM backup.backup_sets WHERE families = ARRAY['managedAppPolicies']")).Should().Be(1);

            await migrator.MigrateAsync(Before);
            (await FamiliesAsync(connectionString, middle)).Should().Equal(["deviceConfigurations", "managedAppPolicies", "windowsAutopilotDeploymentProfiles"], "Down puts the old key back in its place");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private static BackupDbContext Context(string connectionString)
    {
        var options = new DbContextOptionsBuilder<BackupDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, connectionString, BackupDbContext.Schema);
        return new BackupDbContext(options.Options);
    }

    private static async Task<Guid> InsertScheduleAsync(string connectionString, string[] families)
    {
        var id = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO backup.backup_schedules (id, workspace_id, tenant_id, name, cron_expression, time_zone_id, families, keep_last, enabled, watermark, created_at, updated_at)
            VALUES ($1, $2, $3, $4, '0 2 * * *', 'Europe/Berlin', $5, 30, true, now(), now(), now())
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
        command.Parameters.Add(new NpgsqlParameter { Value = "Nightly " + id.ToString("N")[..6] });
        command.Parameters.Add(new NpgsqlParameter { Value = families });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private static async Task<string[]> FamiliesAsync(string connectionString, Guid scheduleId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT families FROM backup.backup_schedules WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = scheduleId });
        return (string[])(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
