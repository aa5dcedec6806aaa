using Microsoft.EntityFrameworkCore;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Graph.Data;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Testing.Database;

namespace TenantAtlas.Graph.Tests.Support;

/// <summary>
/// Per test class: an emulator on real Kestrel, a fresh database with the Graph module's migrations, and one app.
/// Each test makes its own emulated tenant (fresh ids), so faults, logs and budgets never leak between tests.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public GraphEmulatorHost Emulator { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public GraphTestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await GraphEmulatorHost.StartAsync(new GraphEmulatorOptions());
        Database = await TestDatabase.CreateAsync(MigrateAsync);
        App = new GraphTestApp(Emulator, Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    public GraphTestApp NewApp(IDictionary<string, string?>? settings = null) => new(Emulator, Database.ConnectionString, settings);

    public TenantState NewTenant(Action<TenantSpec>? configure = null)
    {
        var spec = new TenantSpec
        {
            TenantId = Guid.NewGuid().ToString(),
            AppId = Guid.NewGuid().ToString(),
            AppSecret = "s3cr3t~" + Guid.NewGuid().ToString("N"),
            DisplayName = "Test tenant",
            Seed = 42,
            Groups = 30,
            Policies = 40,
        };
        configure?.Invoke(spec);
        return Emulator.CreateTenant(spec);
    }

    /// <summary>The Graph calls the emulator saw for a tenant (batch items included), oldest first.</summary>
    public IReadOnlyList<RequestLogEntry> GraphLog(TenantState tenant) =>
        [.. Emulator.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph")];

    public static async Task MigrateAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<GraphDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, connectionString, GraphDbContext.Schema);
        await using var db = new GraphDbContext(options.Options);
        await db.Database.MigrateAsync();
    }
}
