using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Testing.Browser;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.EndToEndTests;

/// <summary>The app on Kestrel with a Hangfire server and a tenant backed by the Graph emulator, backed up once (a real backup run).</summary>
public sealed class RestoreBrowserFixture() : EmulatorBrowserFixture(
    "Contoso-Restore",
    new TenantSpec
    {
        TenantId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
        AppId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        AppSecret = "restore-journey-secret",
        Groups = 5,
        Policies = 12,
        Seed = 5,
    })
{
    protected override void Configure(TenantAtlasApp app) => base.Configure(app.WithSetting("Graph:RetryDelaySeconds", "1"));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var scheduleId = await App.Services.GetRequiredService<IBackupScheduleAdministration>().EnsureScheduleAsync(Tenant,
            new BackupScheduleSpec("Restore journey", "0 3 * * *", "UTC", [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.DeviceCompliancePolicies], KeepLast: 10, KeepDays: null));
        var started = await App.Services.GetRequiredService<IOperationRuns>().StartAsync(Actor.User(Demo.Owner),
            new StartRequest(OperationTypes.BackupRunNow, Tenant) { Inputs = new JsonObject { ["scheduleId"] = scheduleId.ToString() } });
        await WaitForRunStatusAsync(started.Run!.Id, OperationRunStatus.Completed, TimeSpan.FromSeconds(150));

        // The directory cache knows the tenant's groups, as after any admin's first sync: the plan checks assignments against it.
        var groups = await App.Services.GetRequiredService<IOperationRuns>().StartAsync(Actor.User(Demo.Owner), new StartRequest(OperationTypes.DirectoryGroupsSync, Tenant));
        await WaitForRunStatusAsync(groups.Run!.Id, OperationRunStatus.Completed, TimeSpan.FromSeconds(120));

        // Someone changes one policy in the tenant after the backup: the plan must show exactly that as an update.
        var emulated = Emulator.State.GetTenant("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f");
        ChangedPolicyId = emulated.Ids(GraphResourceKeys.DeviceConfigurations)[0];
        BackedUpDescription = emulated.Get(GraphResourceKeys.DeviceConfigurations, ChangedPolicyId)!["description"]?.GetValue<string>() ?? "";
        emulated.Update(GraphResourceKeys.DeviceConfigurations, ChangedPolicyId, new JsonObject { ["description"] = "Changed in the portal after the backup" });
    }

    public string ChangedPolicyId { get; private set; } = "";

    public string BackedUpDescription { get; private set; } = "";

    public string EmulatedTenantId => "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
}

/// <summary>
/// Issues 12 and 13, "a Playwright journey": owner@demo.test opens a tenant's restores, clicks New restore, picks a backup
/// set and a policy type, creates the request, reviews its plan, executes it and watches the run live, then rolls it back
/// — and the tenant is as it was before the restore.
/// </summary>
public sealed class RestoreJourneyTests(RestoreBrowserFixture fixture) : IClassFixture<RestoreBrowserFixture>
{
    [Fact]
    public async Task Owner_picks_a_backup_set_and_a_family_creates_a_restore_request_and_lands_on_its_review()
    {
        var page = await fixture.SignedInPageAsync("owner@demo.test");
        try
        {
            // From the tenant page's restore panel to the (empty) list of restore requests.
            await page.GotoAsync($"/admin/tenants/{fixture.Tenant}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#restore-panel-link").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/admin/tenants/{fixture.Tenant}/restores$"));
            await Assertions.Expect(page).ToHaveTitleAsync("Restores · Contoso-Restore");
            await Assertions.Expect(page.Locator("#no-restores")).ToBeVisibleAsync();
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#new-restore").ClickAsync();

            // New restore: pick the set the fixture's backup stored, then a whole policy type.
            await page.WaitForURLAsync(new Regex("/restores/new$"));
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("tr.ta-source-set .ta-pick-set").First.ClickAsync();
            await Assertions.Expect(page.Locator("#selection")).ToBeVisibleAsync();
            await page.Locator("[data-family='deviceConfigurations'] .ta-family-check input, .ta-family-check[data-family='deviceConfigurations'] input").First.CheckAsync(new() { Force = true });
            await Assertions.Expect(page.Locator("#selection-summary")).ToContainTextAsync("whole type");
            await BrowserFixture.ScreenshotAsync(page, "restore-new-request");
            await page.Locator("#create-restore").ClickAsync();

            // The review page of the new request.
            await page.WaitForURLAsync(new Regex("/admin/restores/[0-9a-f-]{36}$"));
            await Assertions.Expect(page.Locator("#restore-title")).ToHaveTextAsync("Restore into Contoso-Restore");
            await Assertions.Expect(page.Locator("#request-selection")).ToContainTextAsync("(all)");
            await Assertions.Expect(page.Locator("#restore-state .ta-restore-state")).ToBeVisibleAsync();

            // The real restore.plan run reads the tenant; the page follows it until the plan is stored.
            await Assertions.Expect(page.Locator("#restore-state .ta-restore-state")).ToHaveAttributeAsync("data-state", "planned", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("tr.ta-plan-item[data-action='update']")).ToHaveCountAsync(1);
            await BrowserFixture.WaitForInteractiveAsync(page);

            // One item's diff: the description changed after the backup, the restore puts the backed-up value back.
            await page.Locator("tr.ta-plan-item[data-action='update'] .ta-item-toggle").ClickAsync();
            var change = page.Locator("tr.ta-item-detail .ta-field-change[data-locator='/description']");
            await Assertions.Expect(change).ToBeVisibleAsync();
            await Assertions.Expect(change).ToContainTextAsync("Changed in the portal after the backup");
            await Assertions.Expect(page.Locator("tr.ta-item-detail .ta-field-change")).ToHaveCountAsync(1);
            await BrowserFixture.ScreenshotAsync(page, "restore-review");

            // Execute: the dialog says what will happen; the page follows the run live, then shows the ledger.
            var emulated = fixture.Emulator.State.GetTenant(fixture.EmulatedTenantId);
            string Description() => emulated.Get(GraphResourceKeys.DeviceConfigurations, fixture.ChangedPolicyId)!["description"]?.GetValue<string>() ?? "";
            var backedUp = fixture.BackedUpDescription;
            await page.Locator("#execute").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog).ToContainTextAsync("1 update");
            await Assertions.Expect(dialog).ToContainTextAsync("snapshot");
            await dialog.Locator("button", new() { HasTextString = "Execute" }).ClickAsync();
            await Assertions.Expect(page.Locator("#restore-state .ta-restore-state")).ToHaveAttributeAsync("data-state", "completed", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("#ledger-table tr.ta-ledger-item[data-result='updated']")).ToHaveCountAsync(1);
            Description().Should().Be(backedUp, "the execute put the backed-up description back");
            await BrowserFixture.ScreenshotAsync(page, "restore-executed");

            // Roll back: a new request from the pre-restore snapshot, planned, executed — the portal's change is back.
            await BrowserFixture.WaitForInteractiveAsync(page);
            var executedUrl = page.Url;
            await page.Locator("#roll-back").ClickAsync();
            await page.Locator(".mud-dialog button", new() { HasTextString = "Roll back" }).ClickAsync();
            await page.WaitForURLAsync(url => url != executedUrl && Regex.IsMatch(url, "/admin/restores/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#rollback-of")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#restore-state .ta-restore-state")).ToHaveAttributeAsync("data-state", "planned", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("tr.ta-plan-item[data-action='update']")).ToHaveCountAsync(1);
            await BrowserFixture.ScreenshotAsync(page, "restore-rollback");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.Locator("#execute").ClickAsync();
            await page.Locator(".mud-dialog button", new() { HasTextString = "Execute" }).ClickAsync();
            await Assertions.Expect(page.Locator("#restore-state .ta-restore-state")).ToHaveAttributeAsync("data-state", "completed", new() { Timeout = 120_000 });
            Description().Should().Be("Changed in the portal after the backup", "the rollback put the target back as it was before the restore");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
