using System.Security.Cryptography;
using Npgsql;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Inventory.Tests.Support;

/// <summary>Tests that run jobs share one non-parallel collection: Hangfire keeps global state.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InventoryCollection : ICollectionFixture<InventoryFixture>
{
    public const string Name = "inventory";
}

/// <summary>
/// The real host (Inventory wired by the host itself) on its own migrated database with demo data, a real Hangfire
/// server on PostgreSQL, and a Graph emulator on real Kestrel; each test makes its own emulated tenant.
/// </summary>
public sealed class InventoryFixture : AppFixture, IAsyncLifetime
{
    public GraphEmulatorHost Emulator { get; private set; } = null!;

    protected override TenantAtlasApp CreateApp(string connectionString) => new TenantAtlasApp(connectionString)
        .WithSetting("Graph:TrustedCertificateThumbprints:0", Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256))
        // Back-off without Retry-After starts at 0 s (a persistent 503 fails fast); Retry-After is still honoured.
        .WithSetting("Graph:RetryDelaySeconds", "0")
        .WithSetting("Graph:Budget:Requests", "100000")
        .WithSetting("Graph:Budget:Writes", "10000")
        // Small batches: several upsert statements per family even with small tenants.
        .WithSetting("Inventory:BatchSize", "40")
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.200")
        .WithSetting("Operations:StaleAfter", "00:00:05")
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithSetting("Hangfire:WorkerCount", "2");

    public new async Task InitializeAsync()
    {
        Emulator = await GraphEmulatorHost.StartAsync(new GraphEmulatorOptions());
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    public IOperationRuns Runs => App.Services.GetRequiredService<IOperationRuns>();

    public IInventoryQueries Queries => App.Services.GetRequiredService<IInventoryQueries>();

    public IReadOnlyList<string> PolicyFamilies =>
        [.. App.Services.GetRequiredService<IGraphContracts>().PolicyFamilies.Select(f => f.Key)];

    /// <summary>An emulated tenant, registered in TenantAtlas (workspace Contoso) with its real secret; returns both ids.</summary>
    public async Task<(TenantState Emulated, Guid TenantId)> NewTenantAsync(Action<TenantSpec>? configure = null)
    {
        var spec = new TenantSpec
        {
            TenantId = Guid.NewGuid().ToString(),
            AppId = Guid.NewGuid().ToString(),
            AppSecret = "s3cr3t~" + Guid.NewGuid().ToString("N"),
            DisplayName = "Inventory test tenant",
            Seed = 11,
            Groups = 5,
            Policies = 80,
            // More than one Graph page: device configurations come in pages of 100, the settings catalog in pages of 25.
            FamilyCounts = new Dictionary<string, int> { [GraphResourceKeys.DeviceConfigurations] = 130, [GraphResourceKeys.ConfigurationPolicies] = 60 },
        };
        configure?.Invoke(spec);
        var emulated = Emulator.CreateTenant(spec);
        await using var scope = App.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<ITenantAdministration>().EnsureTenantAsync(
            Demo.Contoso, "Emulated " + spec.TenantId[..8], Guid.Parse(spec.TenantId), Guid.Parse(spec.AppId), spec.AppSecret,
            Emulator.BaseAddress, Emulator.AuthorityHost!);
        return (emulated, id);
    }

    public async Task<OperationRunView> StartAsync(Guid tenantId, Guid? user = null)
    {
        var result = await Runs.StartAsync(Actor.User(user ?? Demo.Operator), new StartRequest(OperationTypes.InventorySync, tenantId));
        result.Started.Should().BeTrue(result.Message);
        return result.Run!;
    }

    public async Task<OperationRunView> WaitForCompletionAsync(long runId, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = (await Runs.FindAsync(runId))!;
            if (run.Status == OperationRunStatus.Completed)
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} is still {run.Status}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Sync now → a Hangfire worker runs the job → the completed run.</summary>
    public async Task<OperationRunView> SyncAsync(Guid tenantId) => await WaitForCompletionAsync((await StartAsync(tenantId)).Id);

    /// <summary>Every stored item of a tenant (deleted ones too), straight from the table.</summary>
    public async Task<List<StoredItem>> ItemsAsync(Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT family, graph_id, display_name, odata_type, platform, last_modified_at, version, content_hash, assignment_count,
                   first_seen_at, last_seen_at, deleted_at, last_seen_run_id
            FROM inventory.inventory_items WHERE tenant_id = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        var items = new List<StoredItem>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(new StoredItem(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.GetInt64(12)));
        }

        return items;
    }

    public Task<long> RunsOfTenantAsync(Guid tenantId) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE tenant_id = $1 AND type = 'inventory.sync'", tenantId);
}

public sealed record StoredItem(
    string Family, string GraphId, string DisplayName, string? ODataType, string? Platform, DateTimeOffset? LastModifiedAt, string? Version,
    string ContentHash, int? AssignmentCount, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset? DeletedAt, long LastSeenRunId);
