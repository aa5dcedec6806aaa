using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Legacy.Data;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Read-only": PostgreSQL rejects every write to a legacy table that is not the importer's.</summary>
public sealed class ReadOnlyTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    /// <summary>A connection exactly as the application opens it: its own connection string, its own role.</summary>
    private async Task<NpgsqlConnection> AppConnectionAsync()
    {
        var connection = new NpgsqlConnection(fixture.App.Services.GetRequiredService<IConfiguration>().GetTenantAtlasConnectionString());
        await connection.OpenAsync();
        return connection;
    }

    [Theory]
    [InlineData("INSERT INTO legacy.inventory_sync_runs (id, tenant_id, status) VALUES (900001, 1, 'completed')")]
    [InlineData("INSERT INTO legacy.tenants (id, name) VALUES (900001, 'x')")]
    [InlineData("INSERT INTO legacy.tenant_mappings (legacy_tenant_id, mapped_at) VALUES (900001, now())")]
    [InlineData("UPDATE legacy.backup_schedule_runs SET status = 'failed'")]
    [InlineData("DELETE FROM legacy.restore_runs")]
    [InlineData("TRUNCATE legacy.role_definition_sync_runs")]
    [InlineData("UPDATE legacy.entra_group_sync_runs SET status = NULL WHERE id = -1")]
    public async Task A_write_through_the_applications_connection_fails(string sql)
    {
        await using var connection = await AppConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var write = () => command.ExecuteNonQueryAsync();

        (await write.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Only_the_importers_transaction_may_write_and_its_setting_ends_with_it()
    {
        await using var connection = await AppConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var allow = new NpgsqlCommand("SET LOCAL tenantatlas.legacy_import = 'on'", connection, transaction);
            await allow.ExecuteNonQueryAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO legacy.tenants (id, name) VALUES (900002, 'importer')", connection, transaction);
            (await insert.ExecuteNonQueryAsync()).Should().Be(1);
            await transaction.RollbackAsync();
        }

        await using var after = new NpgsqlCommand("INSERT INTO legacy.tenants (id, name) VALUES (900003, 'after')", connection);
        var write = () => after.ExecuteNonQueryAsync();
        (await write.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege,
            "SET LOCAL lasts only for the importer's transaction");
    }

    [Fact]
    public async Task The_module_context_has_no_way_to_save()
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<LegacyDbContext>>().CreateDbContextAsync();
        db.Tenants.Add(new LegacyTenant { Id = 900004, Name = "ef" });

        var save = () => db.SaveChangesAsync();

        await save.Should().ThrowAsync<InvalidOperationException>().WithMessage("*read-only*");
        (await fixture.CountAsync("SELECT count(*) FROM legacy.tenants WHERE id = 900004")).Should().Be(0);
    }
}
