using System.Globalization;
using System.Text;
using TenantAtlas.Legacy.Contracts;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Legacy.Tests.Support;

/// <summary>
/// The real host on its own migrated database with the demo seed (one per test class: the legacy tables are global, so a
/// class's counts are its own). Runs the host's <c>legacy</c> verb exactly as the command line does.
/// </summary>
public sealed class LegacyFixture : AppFixture
{
    public async Task<(int Exit, string Output, string Error)> LegacyAsync(params string[] args) => await LegacyAsync(App.Services, args);

    public static async Task<(int Exit, string Output, string Error)> LegacyAsync(IServiceProvider services, params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await LegacyCommand.RunAsync(services, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public async Task<Guid> EntraIdOfAsync(Guid tenantId) =>
        (await App.Services.GetRequiredService<ITenantCatalog>().GetAsync(tenantId))!.EntraTenantId;

    /// <summary>The run of each legacy row of <paramref name="table"/>: legacy id → (outcome, completion reason, identity rule).</summary>
    public async Task<Dictionary<long, (string Outcome, string? Reason, string Rule)>> RunsOfAsync(string table)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT legacy_id, outcome, completion_reason, identity_rule FROM operations.operation_runs WHERE legacy_table = $1", connection);
        command.Parameters.AddWithValue(table);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new Dictionary<long, (string, string?, string)>();
        while (await reader.ReadAsync())
        {
            runs.Add(reader.GetInt64(0), (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }

        return runs;
    }

    public Task<long?> CountAsync(string sql, params object[] parameters) => Database.ScalarAsync<long?>(sql, parameters);
}

/// <summary>
/// A small history of the old system as CSV files (one per table): three old tenants — #1 maps to Contoso-EU, #2 to
/// Fabrikam, #3 to no tenant — every status the old tables hold, Laravel dumps in error messages and a schedule slot
/// that ran three times.
/// </summary>
public sealed class LegacyHistoryFiles : IDisposable
{
    public static readonly string?[] Statuses = ["completed", "success", "partial", "failed", "error", "cancelled", "running", "pending", null, "Completed ", "exploded"];

    public const int InventoryMapped = 11;
    public const int Unmapped = 2;
    public const int MappedRuns = InventoryMapped + 3 + 4 + 2 + 2;

    public LegacyHistoryFiles(Guid contosoEuEntra, Guid fabrikamEntra, Guid? unknownEntra = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "legacy-csv-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        UnknownEntra = unknownEntra ?? Guid.NewGuid();
        Write("tenants", "id,name,entra_tenant_id,created_at,updated_at",
            $"1,Contoso EU (old),{contosoEuEntra},2024-01-01 00:00:00,2024-01-01 00:00:00",
            $"2,Fabrikam (old),{fabrikamEntra},2024-01-01 00:00:00,",
            $"3,Gone Ltd,{UnknownEntra},2024-01-01 00:00:00,");

        var inventory = new List<string> { "id,tenant_id,status,started_at,finished_at,error_message,triggered_by_user_id,user_email,created_at,updated_at,items_synced,items_failed" };
        for (var i = 0; i < Statuses.Length; i++)
        {
            var status = Statuses[i] is { } s ? s : "";
            inventory.Add($"{i + 1},1,{status},2025-02-01 10:{i:00}:00,2025-02-01 10:{i:00}:30,,5,owner@demo.test,2025-02-01 10:{i:00}:00,2025-02-01 10:{i:00}:30,{40 + i},{i % 2}");
        }

        inventory.Add("101,3,completed,2025-02-02 10:00:00,2025-02-02 10:01:00,,,,2025-02-02 10:00:00,,10,0");
        inventory.Add("102,3,failed,2025-02-02 11:00:00,2025-02-02 11:01:00,boom,,,2025-02-02 11:00:00,,0,1");
        Write("inventory_sync_runs", [.. inventory]);

        Write("entra_group_sync_runs", "id,tenant_id,status,started_at,finished_at,error_message,triggered_by_user_id,user_email,created_at,updated_at,groups_synced,groups_deleted",
            "1,2,completed,2025-03-01 01:00:00,2025-03-01 01:02:00,,,,2025-03-01 01:00:00,,120,3",
            "2,2,error,2025-03-02 01:00:00,2025-03-02 01:00:05,\"Graph said: Array\n(\n    [client_secret] => s3cr3t-value\n    [scope] => https://graph.microsoft.com/.default\n)\",,,2025-03-02 01:00:00,,,",
            "3,2,failed,2025-03-03 01:00:00,,\"Token request failed: ['client_id' => 'abc', 'client_secret' => 'hunter2']\",,nobody@old.example,2025-03-03 01:00:00,2025-03-03 01:00:09,,");

        Write("backup_schedule_runs", "id,tenant_id,status,started_at,finished_at,error_message,triggered_by_user_id,user_email,created_at,updated_at,backup_schedule_id,scheduled_for,items_backed_up,items_failed",
            "1,1,completed,2025-04-01 02:00:01,2025-04-01 02:01:00,,,,2025-04-01 02:00:00,,7,2025-04-01 02:00:00,30,0",
            "2,1,completed,2025-04-01 02:00:02,2025-04-01 02:01:10,,,,2025-04-01 02:00:00,,7,2025-04-01 02:00:00,30,0",
            "3,1,failed,2025-04-01 02:00:03,2025-04-01 02:00:09,duplicate worker,,,2025-04-01 02:00:00,,7,2025-04-01 02:00:00,0,30",
            "4,1,partial,2025-04-02 02:00:01,2025-04-02 02:01:00,,,,2025-04-02 02:00:00,,7,2025-04-02 02:00:00,28,2");

        Write("restore_runs", "id,tenant_id,status,started_at,finished_at,error_message,triggered_by_user_id,user_email,created_at,updated_at,restore_request_id,items_restored,items_failed",
            "1,1,completed,2025-05-01 09:00:00,2025-05-01 09:05:00,,,owner@demo.test,2025-05-01 09:00:00,,,12,0",
            $"2,1,failed,2025-05-02 09:00:00,2025-05-02 09:01:00,Restore failed,,,2025-05-02 09:00:00,,{Guid.NewGuid()},1,4");

        Write("role_definition_sync_runs", "id,tenant_id,status,started_at,finished_at,error_message,triggered_by_user_id,user_email,created_at,updated_at,roles_synced",
            "1,2,success,2025-06-01 01:00:00,2025-06-01 01:00:10,,,,2025-06-01 01:00:00,,14",
            "2,2,,2025-06-02 01:00:00,,,,,2025-06-02 01:00:00,,");
    }

    public string Directory { get; }

    public Guid UnknownEntra { get; }

    public void Write(string table, params string[] lines) =>
        File.WriteAllText(Path.Combine(Directory, table + ".csv"), string.Join("\n", lines) + "\n", Encoding.UTF8);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
