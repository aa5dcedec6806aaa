using System.Security.Cryptography;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Directory.Tests.Support;

/// <summary>
/// The real host (Directory wired in) on its own migrated database with demo data, a Hangfire server on PostgreSQL, and a
/// Graph emulator on real Kestrel. Each test makes its own emulated tenant, registered in workspace Contoso.
/// </summary>
public sealed class DirectoryFixture : AppFixture, IAsyncLifetime
{
    public GraphEmulatorHost Emulator { get; private set; } = null!;

    public IOperationRuns Runs => App.Services.GetRequiredService<IOperationRuns>();

    public IDirectoryLookup Lookup => App.Services.GetRequiredService<IDirectoryLookup>();

    public ITenantDirectorySettings Settings => App.Services.GetRequiredService<ITenantDirectorySettings>();

    protected override TenantAtlasApp CreateApp(string connectionString) => new TenantAtlasApp(connectionString)
        .WithSetting("Graph:TrustedCertificateThumbprints:0", Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256))
        .WithSetting("Graph:RetryDelaySeconds", "1")
        .WithSetting("Graph:GroupsPageSize", "100")
        .WithSetting("Graph:Budget:Requests", "100000")
        .WithSetting("Graph:Budget:Writes", "10000")
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.200")
        .WithSetting("Operations:StaleAfter", "00:00:30")
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithSetting("Hangfire:WorkerCount", "4");

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

    /// <summary>An emulated tenant, registered in TenantAtlas (workspace Contoso) with its real secret.</summary>
    public async Task<(TenantState Emulated, Guid TenantId)> NewTenantAsync(Action<TenantSpec>? configure = null)
    {
        var spec = new TenantSpec
        {
            TenantId = Guid.NewGuid().ToString(),
            AppId = Guid.NewGuid().ToString(),
            AppSecret = "s3cr3t~" + Guid.NewGuid().ToString("N"),
            DisplayName = "Directory test tenant",
            Seed = 11,
            Groups = 30,
            Policies = 0,
            CustomRoleDefinitions = 2,
        };
        configure?.Invoke(spec);
        var emulated = Emulator.CreateTenant(spec);
        await using var scope = App.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<ITenantAdministration>().EnsureTenantAsync(
            Demo.Contoso, "Emulated " + spec.TenantId[..8], Guid.Parse(spec.TenantId), Guid.Parse(spec.AppId), spec.AppSecret,
            Emulator.BaseAddress, Emulator.AuthorityHost!);
        return (emulated, id);
    }

    public async Task<StartResult> StartAsync(string type, Guid tenantId, Guid? userId = null) =>
        await Runs.StartAsync(Actor.User(userId ?? Demo.Operator), new StartRequest(type, tenantId));

    /// <summary>Starts a sync as the operator and waits until a Hangfire worker completed it.</summary>
    public async Task<OperationRunView> SyncAsync(string type, Guid tenantId)
    {
        var started = await StartAsync(type, tenantId);
        started.Started.Should().BeTrue(started.Message);
        return await WaitForCompletionAsync(started.Run!.Id);
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

    /// <summary>The emulator's last request sequence number: what a test sends after it is logged with a higher one.</summary>
    public long LastRequestSequence() => Emulator.RequestLog() is { Count: > 0 } log ? log[^1].Sequence : 0;

    public Task<long> CachedGroupsAsync(Guid tenantId, bool deleted) =>
        Database.ScalarAsync<long>($"SELECT count(*) FROM directory.groups WHERE tenant_id = $1 AND deleted_at IS {(deleted ? "NOT " : "")}NULL", tenantId);

    public Task<string?> DeltaLinkAsync(Guid tenantId) =>
        Database.ScalarAsync<string>("SELECT groups_delta_link FROM directory.sync_states WHERE tenant_id = $1", tenantId);

    public Task<long> RunsOfAsync(string type, Guid tenantId) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE type = $1 AND tenant_id = $2", type, tenantId);
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
