using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Tests.Support;

/// <summary>
/// An emulator on real Kestrel per test class (starting one takes well under a second). Each test makes its
/// own small tenant with fresh ids, so faults, logs and delta state never leak between tests.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public GraphEmulatorHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await GraphEmulatorHost.StartAsync(new GraphEmulatorOptions());

    public async Task DisposeAsync() => await Host.DisposeAsync();

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
        return Host.CreateTenant(spec);
    }
}
