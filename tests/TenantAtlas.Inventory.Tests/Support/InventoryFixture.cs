using Npgsql;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Inventory.Tests.Support;

/// <summary>Tests that run jobs share one non-parallel collection: Hangfire keeps global state.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InventoryCollection : ICollectionFixture<InventoryFixture>
{
    public const string Name = "inventory";
}

/// <summary>
/// The emulator-backed host (<see cref="EmulatorTenantFixture"/>, Inventory wired in by the host) with Inventory's settings;
/// each test's tenant holds more than one Graph page of policies in two families.
/// </summary>
public sealed class InventoryFixture : EmulatorTenantFixture
{
    protected override TenantSpec TenantDefaults => new()
    {
        DisplayName = "Inventory test tenant",
        Seed = 11,
        Groups = 5,
        Policies = 80,
        // The store's counts are what the listings show: Intune's built-in apps nobody assigned are left out of the apps
        // listing by its $filter (FamilyRoundTripTests.The_apps_listing_…), so the inventory tenants have none.
        BuiltInApps = 0,
        // More than one Graph page: device configurations come in pages of 100, the settings catalog in pages of 25.
        FamilyCounts = new Dictionary<string, int>
        {
            [GraphResourceKeys.DeviceConfigurations] = 130,
            [GraphResourceKeys.ConfigurationPolicies] = 60,
            // Families whose small weight gives an 80-policy tenant none of them.
            [GraphResourceKeys.WindowsFeatureUpdateProfiles] = 2,
            [GraphResourceKeys.WindowsQualityUpdateProfiles] = 2,
            [GraphResourceKeys.WindowsDriverUpdateProfiles] = 2,
            [GraphResourceKeys.CompliancePolicies] = 2,
        },
    };

    protected override TenantAtlasApp CreateApp(string connectionString) => base.CreateApp(connectionString)
        // Back-off without Retry-After starts at 0 s (a persistent 503 fails fast); Retry-After is still honoured.
        .WithSetting("Graph:RetryDelaySeconds", "0")
        // Small batches: several upsert statements per family even with small tenants.
        .WithSetting("Inventory:BatchSize", "40")
        .WithSetting("Operations:StaleAfter", "00:00:05")
        .WithSetting("Hangfire:WorkerCount", "2");

    public IInventoryQueries Queries => App.Services.GetRequiredService<IInventoryQueries>();

    public IReadOnlyList<string> PolicyFamilies =>
        [.. App.Services.GetRequiredService<IGraphContracts>().PolicyFamilies.Select(f => f.Key)];

    /// <summary>Sync now → a Hangfire worker runs the job → the completed run.</summary>
    public Task<OperationRunView> SyncAsync(Guid tenantId) => SyncAsync(OperationTypes.InventorySync, tenantId);

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

    public Task<long> RunsOfTenantAsync(Guid tenantId) => RunsOfAsync(OperationTypes.InventorySync, tenantId);
}

public sealed record StoredItem(
    string Family, string GraphId, string DisplayName, string? ODataType, string? Platform, DateTimeOffset? LastModifiedAt, string? Version,
    string ContentHash, int? AssignmentCount, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset? DeletedAt, long LastSeenRunId);
