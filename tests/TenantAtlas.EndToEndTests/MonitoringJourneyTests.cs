using Microsoft.Playwright;
using TenantAtlas.Testing.Browser;

namespace TenantAtlas.EndToEndTests;

/// <summary>Journey 5 "Monitoring" in Chromium: filter the list to failed runs, open one; filters live in the URL.</summary>
[Collection(OperationsBrowserCollection.Name)]
public sealed class MonitoringJourneyTests(OperationsBrowserFixture fixture)
{
    [Fact]
    public async Task Owner_filters_failed_runs_and_opens_one()
    {
        var page = await fixture.SignedInPageAsync("owner@demo.test");
        try
        {
            await page.GotoAsync("/admin/operations");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator(".ta-run-row").First).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, "operations-list");

            await page.Locator("[data-count=failed]").ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("outcome=failed"));
            await Assertions.Expect(page.Locator(".ta-run-row [data-status]").First).ToHaveAttributeAsync("data-status", "failed");
            (await page.Locator(".ta-run-row [data-status]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)"))
                .Should().OnlyContain(s => s == "failed");
            var shared = page.Url;

            await page.Locator(".ta-run-row").First.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/operations/[0-9]+$"));
            await Assertions.Expect(page.Locator("#run-failures")).ToContainTextAsync("Failures (");

            // A shared link opens the same filtered view for a colleague who may see it.
            var colleague = await fixture.SignedInPageAsync("operator@demo.test");
            await colleague.GotoAsync(shared);
            await BrowserFixture.WaitForInteractiveAsync(colleague);
            // The grid reloads its rows once the circuit is live: wait for them as for the owner above, then read them all.
            await Assertions.Expect(colleague.Locator(".ta-run-row [data-status]").First).ToHaveAttributeAsync("data-status", "failed");
            (await colleague.Locator(".ta-run-row [data-status]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)"))
                .Should().NotBeEmpty().And.OnlyContain(s => s == "failed");
            await colleague.Context.CloseAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
