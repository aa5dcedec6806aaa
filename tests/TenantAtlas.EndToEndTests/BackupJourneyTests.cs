using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Testing.Browser;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.EndToEndTests;

/// <summary>The app on Kestrel with a Hangfire server and a Contoso tenant backed by an in-process Graph emulator.</summary>
public sealed class BackupBrowserFixture() : EmulatorBrowserFixture(
    "Contoso-Backups",
    new TenantSpec
    {
        TenantId = "7e6d5c4b-3a29-4f18-8e7d-6c5b4a392817",
        AppId = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
        AppSecret = "backup-journey-secret",
        Groups = 5,
        Policies = 12,
        Seed = 3,
    })
{
    protected override void Configure(TenantAtlasApp app) => base.Configure(app.WithSetting("Graph:RetryDelaySeconds", "1"));
}

/// <summary>
/// Spec 004-backup, "Journey (Chromium)"; journey 6 "Scheduled backups": owner@demo.test creates a schedule (seeing the next five fire times),
/// clicks Run now, follows the snackbar's link to the run, watches it succeed and opens the backup set it stored.
/// </summary>
public sealed class BackupJourneyTests(BackupBrowserFixture fixture) : IClassFixture<BackupBrowserFixture>
{
    private static readonly LocatorWaitForOptions Long = new() { Timeout = 120_000 };

    private static ILocator Input(IPage page, string id) => page.Locator($"input#{id}, #{id} input").First;

    [Fact]
    public async Task Owner_creates_a_schedule_runs_it_now_follows_the_run_and_opens_the_backup_set()
    {
        var page = await fixture.SignedInPageAsync("owner@demo.test");
        try
        {
            // From the tenant page's backup panel to the (empty) schedule list.
            await page.GotoAsync($"/admin/tenants/{fixture.Tenant}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#backup-panel-link").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/admin/tenants/{fixture.Tenant}/backups$"));
            await Assertions.Expect(page).ToHaveTitleAsync("Backups · Contoso-Backups");
            await Assertions.Expect(page.Locator("#no-schedules")).ToBeVisibleAsync();
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#new-schedule").ClickAsync();

            // The form: a typo is refused with a message and a preview error; the fix shows five fire times.
            await page.WaitForURLAsync(new Regex("/backups/new$"));
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Input(page, "schedule-name").FillAsync("Nightly 02:00");
            await Input(page, "schedule-cron").FillAsync("0 2 * *");
            await Assertions.Expect(page.Locator("#fire-preview-error")).ToContainTextAsync("exactly 5 fields");
            await Input(page, "schedule-cron").FillAsync("0 2 * * *");
            await Input(page, "schedule-zone").FillAsync("Europe/Berlin");
            await page.Locator("input[data-family='deviceConfigurations'], [data-family='deviceConfigurations'] input").First.CheckAsync(new() { Force = true });
            await page.Locator("input[data-family='deviceCompliancePolicies'], [data-family='deviceCompliancePolicies'] input").First.CheckAsync(new() { Force = true });
            await Assertions.Expect(page.Locator("#fire-preview .ta-fire-time")).ToHaveCountAsync(5);
            await Assertions.Expect(page.Locator("#fire-preview .ta-fire-time").First).ToContainTextAsync("02:00 (Europe/Berlin");
            await BrowserFixture.ScreenshotAsync(page, "backup-schedule-form");
            await page.Locator("#save-schedule").ClickAsync();

            // The schedule page: Run now → snackbar with a link to the run.
            await page.WaitForURLAsync(new Regex("/admin/backup-schedules/[0-9a-f-]{36}$"));
            await Assertions.Expect(page.Locator("#schedule-title")).ToHaveTextAsync("Nightly 02:00");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#run-now button").ClickAsync();
            var runLink = page.Locator("a.ta-run-link").First;
            await runLink.WaitForAsync(Long);
            await BrowserFixture.ScreenshotAsync(page, "backup-run-now-snackbar");
            await runLink.ClickAsync();

            // The run viewer follows the run live until it succeeded, then links the backup set.
            await page.WaitForURLAsync(new Regex("/admin/operations/[0-9]+$"));
            var runId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            await BrowserFixture.WaitForInteractiveAsync(page);
            await fixture.WaitForRunStatusAsync(runId, TenantAtlas.Operations.Contracts.OperationRunStatus.Completed, TimeSpan.FromSeconds(150));
            await Assertions.Expect(page.Locator("#run-badge [data-status]")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#run-title")).ToContainTextAsync("Backup (run now)");
            var setLink = page.Locator("a[href^='/admin/backup-sets/']").First;
            await setLink.WaitForAsync(Long);
            await BrowserFixture.ScreenshotAsync(page, "backup-run-succeeded");
            await setLink.ClickAsync();

            // The backup set: items grouped by family, an item's JSON, the download link.
            await page.WaitForURLAsync(new Regex("/admin/backup-sets/[0-9a-f-]{36}$"));
            await Assertions.Expect(page.Locator("#set-title")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".ta-family[data-family='deviceConfigurations'], [data-family='deviceConfigurations'].ta-family").First).ToBeVisibleAsync();
            (await page.Locator(".ta-item").CountAsync()).Should().BeGreaterThan(0);
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator(".ta-item-json-toggle").First.ClickAsync();
            await Assertions.Expect(page.Locator("pre.ta-item-json").First).ToContainTextAsync("\"content\"");
            await Assertions.Expect(page.Locator("#download-set")).ToHaveAttributeAsync("href", new Regex("/admin/backup-sets/[0-9a-f-]{36}/download$"));
            var screenshot = await BrowserFixture.ScreenshotAsync(page, "backup-set");
            new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);

            // The drawer's Backups: every schedule the owner may see, this one with its last run succeeded.
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#nav-backups").ClickAsync();
            await page.WaitForURLAsync(new Regex("/admin/backups$"));
            var row = page.Locator($"#backups-overview tr:has(td[data-tenant='{fixture.Tenant}'])");
            await Assertions.Expect(row.Locator(".ta-schedule-link")).ToHaveTextAsync("Nightly 02:00");
            await Assertions.Expect(row.Locator(".ta-last-run [data-status]")).ToHaveAttributeAsync("data-status", "succeeded");
            await BrowserFixture.ScreenshotAsync(page, "backup-overview");

            // Back to the tenant's schedule list from the overview: the same next-backup and last-run cells.
            await row.Locator($"a[href='/admin/tenants/{fixture.Tenant}/backups']").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/admin/tenants/{fixture.Tenant}/backups$"));
            var listed = page.Locator("#schedule-table tr:has(.ta-schedule-link)");
            await Assertions.Expect(listed.Locator(".ta-last-run [data-status]")).ToHaveAttributeAsync("data-status", "succeeded");
            await Assertions.Expect(listed.Locator(".ta-next-fire")).ToContainTextAsync("02:00 (Europe/Berlin");
            await BrowserFixture.ScreenshotAsync(page, "backup-schedules");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
