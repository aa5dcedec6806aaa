using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Browser;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.EndToEndTests;

/// <summary>The app on Kestrel with a Hangfire server and a tenant of the in-process Graph emulator.</summary>
public sealed class DirectoryBrowserFixture : BrowserFixture
{
    public const string TenantId = "7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
    public const string AppId = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
    public const string Secret = "directory-e2e-secret";

    public GraphEmulatorHost Emulator { get; private set; } = default!;

    public Guid Tenant { get; private set; }

    protected override void Configure(TenantAtlasApp app) => app
        .WithSetting("Graph:TrustedCertificateThumbprints:0", Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256))
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.500");

    public override async Task InitializeAsync()
    {
        Emulator = await GraphEmulatorHost.StartAsync(new TenantSpec { TenantId = TenantId, AppId = AppId, AppSecret = Secret, Groups = 1204, Policies = 0 });
        await base.InitializeAsync();
        await using var scope = App.Services.CreateAsyncScope();
        Tenant = await scope.ServiceProvider.GetRequiredService<ITenantAdministration>().EnsureTenantAsync(
            Demo.Contoso, "Emulated-Directory", Guid.Parse(TenantId), Guid.Parse(AppId), Secret,
            new Uri(Emulator.BaseAddress.ToString().TrimEnd('/')), Emulator.AuthorityHost!);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>Journey 2 "Sync now" in Chromium: the operator syncs groups from the configuration page and follows the run.</summary>
public sealed class DirectorySyncJourneyTests(DirectoryBrowserFixture fixture) : IClassFixture<DirectoryBrowserFixture>
{
    [Fact]
    public async Task Operator_clicks_sync_now_on_the_configuration_page_follows_the_link_and_watches_the_run_succeed()
    {
        var page = await fixture.SignedInPageAsync("operator@demo.test");
        try
        {
            await page.GotoAsync($"/admin/tenants/{fixture.Tenant}/configuration");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#groups-as-of")).ToContainTextAsync("Never synced");

            await page.ClickAsync("#sync-groups button");
            var link = page.Locator("a.ta-run-link").First;
            await Assertions.Expect(link).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("queued");
            await link.ClickAsync();

            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin/operations/\\d+$"));
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#run-badge [data-status]")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator("#run-summary")).ToContainTextAsync("1,204");
            await BrowserFixture.ScreenshotAsync(page, "directory-groups-sync-succeeded");

            // Back on the configuration page: "as of" now links the run, and the picker finds groups from the cache.
            await page.GotoAsync($"/admin/tenants/{fixture.Tenant}/configuration");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#groups-as-of")).ToContainTextAsync("as of");
            await page.Locator("#protected-groups input").FillAsync("GRP");
            await Assertions.Expect(page.Locator(".ta-group-option").First).ToBeVisibleAsync();
            var screenshot = await BrowserFixture.ScreenshotAsync(page, "directory-configuration-after-sync");
            new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
