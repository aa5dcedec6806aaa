using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Testing.Browser;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Testing.Operations;

namespace TenantAtlas.EndToEndTests;

/// <summary>The app on Kestrel with a Hangfire server and the test operation types.</summary>
public sealed class OperationsBrowserFixture : BrowserFixture
{
    protected override void Configure(TenantAtlasApp app) => app
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.500")
        .WithSetting("Demo:History", "true")
        .WithServices(s => s.AddTestOperations());
}

[CollectionDefinition(Name)]
public sealed class OperationsBrowserCollection : ICollectionFixture<OperationsBrowserFixture>
{
    public const string Name = "operations-browser";
}

/// <summary>Spec 001-operation-runs, "Watching a run" in Chromium: the viewer follows queued → running → completed live.</summary>
[Collection(OperationsBrowserCollection.Name)]
public sealed class RunViewerJourneyTests(OperationsBrowserFixture fixture)
{
    private IOperationRuns Runs => fixture.App.Services.GetRequiredService<IOperationRuns>();

    private TestJobControl Jobs => fixture.App.Services.GetRequiredService<TestJobControl>();

    [Fact]
    public async Task Owner_watches_a_run_go_queued_running_completed_live()
    {
        Jobs.Hold = true;
        var page = await fixture.SignedInPageAsync("owner@demo.test");
        var start = await Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(TestOperations.Click, fixture.Demo.ContosoEu));
        var runId = start.Run!.Id;
        try
        {
            await page.GotoAsync($"/admin/operations/{runId}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            var badge = page.Locator("#run-badge [data-status]");

            // The job is held after reporting its first counts: the page shows it running, with progress, without a reload.
            // First wait for the database to say so (a busy CI machine may take a while to hand the job to a worker), so a
            // failure tells whether the job never started or the page did not follow.
            await fixture.WaitForRunStatusAsync(runId, OperationRunStatus.Running, TimeSpan.FromSeconds(120));
            await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#run-progress")).ToContainTextAsync("0 of 10 processed");
            await BrowserFixture.ScreenshotAsync(page, "run-viewer-running");

            Jobs.Release(runId);

            await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#run-summary")).ToContainTextAsync("processed");
            await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex($"Run #{runId} · Test click · Contoso-EU"));
            var screenshot = await BrowserFixture.ScreenshotAsync(page, "run-viewer-succeeded");
            new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
        }
        finally
        {
            Jobs.Hold = false;
            Jobs.Release(runId);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Readonly_member_gets_a_403_page_and_an_outsider_a_404()
    {
        var start = await Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(TestOperations.Click, fixture.Demo.ContosoEu));

        var reader = await fixture.SignedInPageAsync("readonly@demo.test");
        var readerResponse = await reader.GotoAsync($"/admin/operations/{start.Run!.Id}");
        var outsider = await fixture.SignedInPageAsync("outsider@demo.test");
        var outsiderResponse = await outsider.GotoAsync($"/admin/operations/{start.Run.Id}");

        readerResponse!.Status.Should().Be(403);
        await Assertions.Expect(reader.Locator("#forbidden")).ToBeVisibleAsync();
        outsiderResponse!.Status.Should().Be(404);
        await Assertions.Expect(outsider.Locator("#not-found")).ToBeVisibleAsync();
        await reader.Context.CloseAsync();
        await outsider.Context.CloseAsync();
    }
}
