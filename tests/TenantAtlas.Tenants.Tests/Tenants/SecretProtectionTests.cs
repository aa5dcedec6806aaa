using Microsoft.AspNetCore.DataProtection;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Tenants.Tests.Tenants;

/// <summary>Spec 000-foundation, "Secrets": encrypted at rest with keys in PostgreSQL, readable by another process of the app.</summary>
public sealed class SecretProtectionTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Secret_round_trips_through_a_second_host_sharing_only_the_database()
    {
        var connection = await fixture.App.Services.GetRequiredService<ITenantConnectionSource>().GetAsync(fixture.Demo.ContosoEu);
        connection!.ProtectedClientSecret.Should().NotBeNullOrEmpty().And.NotContain("emulator-demo-secret-contoso");
        connection.ToString().Should().NotContain(connection.ProtectedClientSecret!);

        // A second process (worker) started elsewhere: same database, same application name, no shared memory.
        await using var worker = new TenantAtlasApp(fixture.Database.ConnectionString);
        var protector = worker.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TenantSecretProtection.Purpose);

        protector.Unprotect(connection.ProtectedClientSecret!).Should().Be("emulator-demo-secret-contoso");
    }

    [Fact]
    public async Task Keys_live_in_postgresql() =>
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM platform.data_protection_keys")).Should().BeGreaterThan(0);

    [Fact]
    public void A_different_purpose_cannot_read_the_secret()
    {
        var protector = fixture.App.Services.GetRequiredService<IDataProtectionProvider>();
        var payload = protector.CreateProtector(TenantSecretProtection.Purpose).Protect("x");

        FluentActions.Invoking(() => protector.CreateProtector("something-else").Unprotect(payload))
            .Should().Throw<System.Security.Cryptography.CryptographicException>();
    }
}
