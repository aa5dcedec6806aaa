using Microsoft.Playwright;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Testing.Browser;

namespace TenantAtlas.EndToEndTests;

/// <summary>The app on Kestrel with a Hangfire server and a tenant of the in-process Graph emulator.</summary>
public sealed class DirectoryBrowserFixture() : EmulatorBrowserFixture(
    "Emulated-Directory",
    new TenantSpec
    {
        TenantId = "7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
        AppId = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
        AppSecret = "directory-e2e-secret",
        Groups = 1204,
        Policies = 0,
    });

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
