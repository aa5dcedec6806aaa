using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Browser;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.EndToEndTests;

/// <summary>The app with tenants pointing at an in-process Graph emulator (one good secret, one wrong one).</summary>
public sealed class EmulatedTenantsFixture : BrowserFixture
{
    public const string TenantId = "4d3c2b1a-0f9e-4d8c-a7b6-5e4d3c2b1a09";
    public const string AppId = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    public const string Secret = "right-secret-for-e2e";

    public GraphEmulatorHost Emulator { get; private set; } = default!;

    public Guid GoodTenant { get; private set; }

    public Guid WrongSecretTenant { get; private set; }

    protected override void Configure(TenantAtlasApp app) =>
        app.WithSetting("Graph:TrustedCertificateThumbprints:0", Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256))
           .WithSetting("Graph:TokenMaxRetries", "0");

    public override async Task InitializeAsync()
    {
        Emulator = await GraphEmulatorHost.StartAsync(new TenantSpec { TenantId = TenantId, AppId = AppId, AppSecret = Secret, Groups = 10, Policies = 5 });
        await base.InitializeAsync();
        await using var scope = App.Services.CreateAsyncScope();
        var tenants = scope.ServiceProvider.GetRequiredService<ITenantAdministration>();
        var graph = new Uri(Emulator.BaseAddress.ToString().TrimEnd('/'));
        GoodTenant = await tenants.EnsureTenantAsync(Demo.Contoso, "Emulated-Contoso", Guid.Parse(TenantId), Guid.Parse(AppId), Secret, graph, Emulator.AuthorityHost!);
        WrongSecretTenant = await tenants.EnsureTenantAsync(Demo.Contoso, "Emulated-WrongSecret", Guid.Parse(TenantId), Guid.Parse(AppId), "not-the-secret", graph, Emulator.AuthorityHost!);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>Journey 1 "Onboard a tenant": Verify connection reports success or a precise reason, only on click, for tenant.manage.</summary>
public sealed class OnboardTenantJourneyTests(EmulatedTenantsFixture fixture) : IClassFixture<EmulatedTenantsFixture>
{
    [Fact]
    public async Task Owner_verifies_a_good_connection_and_sees_a_precise_reason_for_a_wrong_secret()
    {
        var page = await fixture.SignedInPageAsync("owner@demo.test");
        try
        {
            fixture.Emulator.ClearRequestLog();
            await page.GotoAsync($"/admin/tenants/{fixture.GoodTenant}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            fixture.Emulator.RequestLog().Should().BeEmpty("opening the tenant page calls nothing: verifying is an explicit action");

            await page.ClickAsync("#verify-connection-button");

            await Assertions.Expect(page.Locator("#verify-connection-result")).ToHaveAttributeAsync("data-status", "Succeeded");
            await BrowserFixture.ScreenshotAsync(page, "tenant-verify-connection");

            await page.GotoAsync($"/admin/tenants/{fixture.WrongSecretTenant}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.ClickAsync("#verify-connection-button");

            await Assertions.Expect(page.Locator("#verify-connection-result")).ToHaveAttributeAsync("data-status", "InvalidClientSecret");
            await Assertions.Expect(page.Locator("#verify-connection-result")).ToContainTextAsync("secret");
            (await page.ContentAsync()).Should().NotContain("not-the-secret");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_operator_sees_the_panel_without_the_button()
    {
        var page = await fixture.SignedInPageAsync("operator@demo.test");
        try
        {
            await page.GotoAsync($"/admin/tenants/{fixture.GoodTenant}");
            await BrowserFixture.WaitForInteractiveAsync(page);

            await Assertions.Expect(page.Locator("#verify-connection")).ToContainTextAsync("An owner or manager can verify");
            await Assertions.Expect(page.Locator("#verify-connection-button")).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
