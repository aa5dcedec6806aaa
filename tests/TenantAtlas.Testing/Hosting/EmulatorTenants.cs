extern alias GraphEmulator;
using System.Security.Cryptography;
using GraphEmulator::TenantAtlas.GraphEmulator;
using GraphEmulator::TenantAtlas.GraphEmulator.State;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Testing.Hosting;

/// <summary>
/// The in-process Graph emulator on real Kestrel, and how TenantAtlas meets it: the app trusts the emulator's certificate
/// (<see cref="TrustSetting"/>), and an emulated tenant is registered in a workspace with its real secret. Emulator-backed
/// fixtures own one: <see cref="EmulatorTenantFixture"/>, <see cref="Browser.EmulatorBrowserFixture"/>, and a module's own
/// fixture when it already derives from another.
/// </summary>
public sealed class EmulatorTenants : IAsyncDisposable
{
    /// <summary>The app setting that pins the emulator's self-signed certificate (its Entra authority is https).</summary>
    public const string TrustSetting = "Graph:TrustedCertificateThumbprints:0";

    private EmulatorTenants(GraphEmulatorHost emulator) => Emulator = emulator;

    public GraphEmulatorHost Emulator { get; }

    /// <summary>The value of <see cref="TrustSetting"/> for this emulator.</summary>
    public string Thumbprint => Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256);

    public static async Task<EmulatorTenants> StartAsync(params TenantSpec[] tenants) => new(await GraphEmulatorHost.StartAsync(tenants));

    /// <summary>Registers an emulated tenant in TenantAtlas under <paramref name="displayName"/>, with its real secret.</summary>
    public async Task<Guid> RegisterAsync(IServiceProvider services, Guid workspaceId, string displayName, TenantSpec spec)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ITenantAdministration>().EnsureTenantAsync(
            workspaceId, displayName, Guid.Parse(spec.TenantId), Guid.Parse(spec.AppId), spec.AppSecret, Emulator.BaseAddress, Emulator.AuthorityHost!);
    }

    /// <summary>
    /// A new emulated tenant: a copy of <paramref name="defaults"/> with fresh ids and secret, then <paramref name="configure"/>;
    /// registered in TenantAtlas as "Emulated {first 8 characters of its id}". Returns both sides.
    /// </summary>
    public async Task<(TenantState Emulated, Guid TenantId)> CreateAsync(IServiceProvider services, Guid workspaceId, TenantSpec defaults, Action<TenantSpec>? configure)
    {
        var spec = defaults.Clone();
        spec.TenantId = Guid.NewGuid().ToString();
        spec.AppId = Guid.NewGuid().ToString();
        spec.AppSecret = "s3cr3t~" + Guid.NewGuid().ToString("N");
        configure?.Invoke(spec);
        var emulated = Emulator.CreateTenant(spec);
        var id = await RegisterAsync(services, workspaceId, "Emulated " + spec.TenantId[..8], spec);
        return (emulated, id);
    }

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
