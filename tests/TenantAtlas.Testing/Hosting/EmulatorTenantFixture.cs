extern alias GraphEmulator;
using FluentAssertions;
using GraphEmulator::TenantAtlas.GraphEmulator;
using GraphEmulator::TenantAtlas.GraphEmulator.State;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using Xunit;

namespace TenantAtlas.Testing.Hosting;

/// <summary>
/// The real host on its own migrated database with demo data, a Hangfire server on PostgreSQL, and a Graph emulator on real
/// Kestrel that the host trusts; each test makes its own emulated tenant (<see cref="NewTenantAsync"/>), registered in
/// workspace Contoso, and runs operations on it through real workers. A module's fixture adds its settings
/// (<c>base.CreateApp(connectionString).WithSetting(…)</c>), what its tenants hold and its own queries.
/// </summary>
public abstract class EmulatorTenantFixture : AppFixture, IAsyncLifetime
{
    private EmulatorTenants tenants = null!;

    public GraphEmulatorHost Emulator => tenants.Emulator;

    public IOperationRuns Runs => App.Services.GetRequiredService<IOperationRuns>();

    /// <summary>What a new emulated tenant holds (display name, seed, sizes); its ids and secret are fresh each time.</summary>
    protected abstract TenantSpec TenantDefaults { get; }

    protected override TenantAtlasApp CreateApp(string connectionString) => new TenantAtlasApp(connectionString)
        .WithSetting(EmulatorTenants.TrustSetting, tenants.Thumbprint)
        .WithSetting("Graph:Budget:Requests", "100000")
        .WithSetting("Graph:Budget:Writes", "10000")
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.200")
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100");

    // AppFixture.InitializeAsync is not virtual: re-implementing IAsyncLifetime runs ours. The app needs the emulator's
    // certificate, so the emulator starts first and stops last.
    public new async Task InitializeAsync()
    {
        tenants = await EmulatorTenants.StartAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await tenants.DisposeAsync();
    }

    /// <summary>An emulated tenant, registered in TenantAtlas (workspace Contoso) with its real secret; returns both ids.</summary>
    public Task<(TenantState Emulated, Guid TenantId)> NewTenantAsync(Action<TenantSpec>? configure = null) =>
        tenants.CreateAsync(App.Services, Demo.Contoso, TenantDefaults, configure);

    public async Task<StartResult> StartAsync(string type, Guid tenantId, Guid? userId = null) =>
        await Runs.StartAsync(Actor.User(userId ?? Demo.Operator), new StartRequest(type, tenantId));

    /// <summary>Starts a run as the operator and waits until a Hangfire worker completed it.</summary>
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

    public Task<long> RunsOfAsync(string type, Guid tenantId) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE type = $1 AND tenant_id = $2", type, tenantId);
}
