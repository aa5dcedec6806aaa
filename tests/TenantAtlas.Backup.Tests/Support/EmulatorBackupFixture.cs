using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Support;

/// <summary>
/// The Backup fixture with a Graph emulator on real Kestrel; each test makes its own emulated tenant. It derives from
/// <see cref="BackupFixture"/> for the Backup wiring and helpers, so it owns its <see cref="EmulatorTenants"/> instead of
/// deriving from <see cref="EmulatorTenantFixture"/>.
/// </summary>
public class EmulatorBackupFixture : BackupFixture, IAsyncLifetime
{
    private EmulatorTenants tenants = null!;

    public GraphEmulatorHost Emulator => tenants.Emulator;

    protected override IDictionary<string, string?> GraphSettings
    {
        get
        {
            var settings = base.GraphSettings;
            settings[EmulatorTenants.TrustSetting] = tenants.Thumbprint;
            return settings;
        }
    }

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
        tenants.CreateAsync(App.Services, Demo.Contoso, new TenantSpec { DisplayName = "Backup test tenant", Seed = 7, Groups = 5, Policies = 24 }, configure);
}
