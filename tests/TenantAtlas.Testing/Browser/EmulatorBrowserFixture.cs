extern alias GraphEmulator;

using GraphEmulator::TenantAtlas.GraphEmulator;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Testing.Browser;

/// <summary>
/// The <see cref="BrowserFixture"/> with a Hangfire server and one tenant of an in-process Graph emulator (on real Kestrel,
/// trusted by the app), registered in workspace Contoso as <paramref name="tenantName"/>: journeys that run operations
/// against Graph from the browser.
/// </summary>
public abstract class EmulatorBrowserFixture(string tenantName, TenantSpec tenant) : BrowserFixture
{
    private EmulatorTenants tenants = default!;

    public GraphEmulatorHost Emulator => tenants.Emulator;

    /// <summary>The emulated tenant's id in TenantAtlas.</summary>
    public Guid Tenant { get; private set; }

    protected override void Configure(TenantAtlasApp app) => app
        .WithSetting(EmulatorTenants.TrustSetting, tenants.Thumbprint)
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.500");

    public override async Task InitializeAsync()
    {
        tenants = await EmulatorTenants.StartAsync(tenant);
        await base.InitializeAsync();
        Tenant = await tenants.RegisterAsync(App.Services, Demo.Contoso, tenantName, tenant);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await tenants.DisposeAsync();
    }
}
