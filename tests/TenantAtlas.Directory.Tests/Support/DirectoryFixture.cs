using TenantAtlas.GraphEmulator;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Directory.Tests.Support;

/// <summary>
/// The emulator-backed host (<see cref="EmulatorTenantFixture"/>, Directory wired in by the host) with Directory's settings;
/// each test's tenant has 30 groups, no policies and two custom role definitions.
/// </summary>
public sealed class DirectoryFixture : EmulatorTenantFixture
{
    public IDirectoryLookup Lookup => App.Services.GetRequiredService<IDirectoryLookup>();

    public ITenantDirectorySettings Settings => App.Services.GetRequiredService<ITenantDirectorySettings>();

    protected override TenantSpec TenantDefaults => new()
    {
        DisplayName = "Directory test tenant",
        Seed = 11,
        Groups = 30,
        Policies = 0,
        CustomRoleDefinitions = 2,
    };

    protected override TenantAtlasApp CreateApp(string connectionString) => base.CreateApp(connectionString)
        .WithSetting("Graph:RetryDelaySeconds", "1")
        .WithSetting("Graph:GroupsPageSize", "100")
        // A test that holds every slot of its tenant sees "busy" in seconds, not after the default 30.
        .WithSetting("Graph:WorkSlotWait", "00:00:02")
        .WithSetting("Operations:StaleAfter", "00:00:30")
        .WithSetting("Hangfire:WorkerCount", "4");

    /// <summary>The emulator's last request sequence number: what a test sends after it is logged with a higher one.</summary>
    public long LastRequestSequence() => Emulator.RequestLog() is { Count: > 0 } log ? log[^1].Sequence : 0;

    public Task<long> CachedGroupsAsync(Guid tenantId, bool deleted) =>
        Database.ScalarAsync<long>($"SELECT count(*) FROM directory.groups WHERE tenant_id = $1 AND deleted_at IS {(deleted ? "NOT " : "")}NULL", tenantId);

    public Task<string?> DeltaLinkAsync(Guid tenantId) =>
        Database.ScalarAsync<string>("SELECT groups_delta_link FROM directory.sync_states WHERE tenant_id = $1", tenantId);
}

/// <summary>
/// Every test class of this project shares one collection: Hangfire keeps global state, and the page tests' outbound-HTTP
/// recorder sees the whole process, so nothing else may call Graph while a page renders.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DirectoryCollection : ICollectionFixture<DirectoryFixture>
{
    public const string Name = "directory";
}
