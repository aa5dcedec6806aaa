using Npgsql;
using TenantAtlas.Testing.Database;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Import from the old database": <c>legacy import --from</c> reads the old system's PostgreSQL.</summary>
public sealed class OldDatabaseImportTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task The_old_database_is_copied_with_its_own_column_types_and_missing_tables_reported()
    {
        await using var old = await TestDatabase.CreateAsync(_ => Task.CompletedTask);
        var contoso = await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu);
        // Laravel's shapes: integer ids in places, no user_email column, no restore_runs table at all.
        await old.ExecuteAsync($"""
            CREATE TABLE tenants (id bigserial PRIMARY KEY, name varchar(255), entra_tenant_id varchar(255), created_at timestamp, updated_at timestamp);
            CREATE TABLE inventory_sync_runs (id bigserial PRIMARY KEY, tenant_id integer NOT NULL, status varchar(255), started_at timestamp, finished_at timestamp,
              error_message text, triggered_by_user_id bigint, created_at timestamp, updated_at timestamp, items_synced bigint, items_failed integer);
            CREATE TABLE entra_group_sync_runs (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL, status varchar(255), started_at timestamp, finished_at timestamp,
              error_message text, triggered_by_user_id bigint, user_email varchar(255), created_at timestamp, updated_at timestamp, groups_synced integer, groups_deleted integer);
            CREATE TABLE backup_schedule_runs (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL, backup_schedule_id bigint NOT NULL, scheduled_for timestamp, status varchar(255),
              started_at timestamp, finished_at timestamp, error_message text, triggered_by_user_id bigint, user_email varchar(255), created_at timestamp, updated_at timestamp,
              items_backed_up integer, items_failed integer);
            CREATE TABLE role_definition_sync_runs (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL, status varchar(255), started_at timestamp, finished_at timestamp,
              error_message text, triggered_by_user_id bigint, user_email varchar(255), created_at timestamp, updated_at timestamp, roles_synced integer);
            INSERT INTO tenants (name, entra_tenant_id, created_at) VALUES ('Contoso', '{contoso}', '2024-01-01'), ('Nope', 'not-a-guid', '2024-01-01');
            INSERT INTO inventory_sync_runs (tenant_id, status, started_at, finished_at, created_at, items_synced, items_failed)
              SELECT 1 + (g % 2), (ARRAY['completed','success','error',NULL,'running'])[1 + g % 5], '2025-01-01'::timestamp + g * interval '1 hour',
                     '2025-01-01'::timestamp + g * interval '1 hour' + interval '5 minutes', '2025-01-01'::timestamp + g * interval '1 hour', g, 0
                FROM generate_series(1, 500) g;
            INSERT INTO backup_schedule_runs (tenant_id, backup_schedule_id, scheduled_for, status, created_at)
              VALUES (1, 3, '2025-02-01 02:00', 'completed', '2025-02-01 02:00'), (1, 3, '2025-02-01 02:00', 'completed', '2025-02-01 02:00');
            """);

        var import = await fixture.LegacyAsync("import", "--from", old.ConnectionString);

        import.Exit.Should().Be(0, import.Error);
        import.Output.Should().MatchRegex(@"inventory_sync_runs\s+500\s+500\s+0\s+0\s+250");
        import.Output.Should().Contain("restore_runs                not in the source, skipped");
        import.Output.Should().Contain("unmapped old tenant #2 Nope (not-a-guid): The old tenant's Entra tenant id is not a GUID.");
        (await fixture.CountAsync("SELECT count(*) FROM legacy.inventory_sync_runs WHERE user_email IS NULL")).Should().Be(500);
        (await fixture.Database.ScalarAsync<DateTime?>("SELECT started_at FROM legacy.inventory_sync_runs WHERE id = 1"))
            .Should().Be(new DateTime(2025, 1, 1, 1, 0, 0));

        var backfill = await fixture.LegacyAsync("backfill");
        backfill.Output.Should().MatchRegex(@"inventory_sync_runs\s+250\s+250\s+0\s+250");
        backfill.Output.Should().MatchRegex(@"backup_schedule_runs\s+2\s+2\s+0\s+0");
    }
}
