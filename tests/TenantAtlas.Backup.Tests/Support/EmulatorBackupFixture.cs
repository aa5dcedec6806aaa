using System.Security.Cryptography;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Backup.Tests.Support;

/// <summary>The Backup fixture with a Graph emulator on real Kestrel; each test makes its own emulated tenant.</summary>
public class EmulatorBackupFixture : BackupFixture, IAsyncLifetime
{
    public GraphEmulatorHost Emulator { get; private set; } = null!;

    protected override IDictionary<string, string?> GraphSettings
    {
        get
        {
            var settings = base.GraphSettings;
            settings["Graph:TrustedCertificateThumbprints:0"] = Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256);
            return settings;
        }
    }

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

    /// <summary>An emulated tenant, registered in TenantAtlas (workspace Contoso) with its real secret; returns both ids.</summary>
    public async Task<(TenantState Emulated, Guid TenantId)> NewTenantAsync(Action<TenantSpec>? configure = null)
    {
        var spec = new TenantSpec
        {
            TenantId = Guid.NewGuid().ToString(),
            AppId = Guid.NewGuid().ToString(),
            AppSecret = "s3cr3t~" + Guid.NewGuid().ToString("N"),
            DisplayName = "Backup test tenant",
            Seed = 7,
            Groups = 5,
            Policies = 24,
        };
        configure?.Invoke(spec);
        var emulated = Emulator.CreateTenant(spec);
        await using var scope = App.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<ITenantAdministration>().EnsureTenantAsync(
            Demo.Contoso, "Emulated " + spec.TenantId[..8], Guid.Parse(spec.TenantId), Guid.Parse(spec.AppId), spec.AppSecret,
            Emulator.BaseAddress, Emulator.AuthorityHost!);
        return (emulated, id);
    }
}
