using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.Options;
using MudBlazor;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Contracts.Ui;
using TenantAtlas.Operations.Runs;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Components;
using TenantAtlas.Testing.Operations;

namespace TenantAtlas.Operations.Tests.Pages;

/// <summary>
/// Spec 001-operation-runs, "Starting from a page" (JOURNEYS 2 and 3): the shared Sync now / Run now button and the "as of"
/// notice, rendered with bUnit over the real run service and PostgreSQL.
/// </summary>
public sealed class StartRunButtonTests : MudTestContext, IClassFixture<OperationsFixture>
{
    // bUnit waits 1 s by default; a busy CI machine needs longer (a wrong page still fails, only later).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly OperationsFixture fixture;

    public StartRunButtonTests(OperationsFixture fixture)
    {
        this.fixture = fixture;
        Services.AddSingleton(fixture.Runs);
        Services.AddSingleton(fixture.App.Services.GetRequiredService<OperationTypeRegistry>());
        Services.AddSingleton(fixture.App.Services.GetRequiredService<IOptions<OperationsOptions>>());
    }

    private Task<long> RunCountAsync(Guid tenant, string type) => fixture.Database.ScalarAsync<long>(
        "SELECT count(*) FROM operations.operation_runs WHERE tenant_id = $1 AND type = $2", tenant, type);

    private (IRenderedComponent<MudSnackbarProvider> Snackbars, Func<IRenderedComponent<StartRunButton>> Button) Arrange(Guid user, Guid tenant, string type)
    {
        SignIn(user);
        RenderProviders();
        var snackbars = Render<MudSnackbarProvider>();
        return (snackbars, () => Render<StartRunButton>(p => p
            .Add(x => x.Type, type).Add(x => x.TenantId, tenant).Add(x => x.Label, "Sync now").Add(x => x.Id, "sync")));
    }

    /// <summary>
    /// Clicks the button. A deduplicating type renders again once its look for the active run is back; a click that hits
    /// the earlier render's handler is not dispatched (bUnit no longer knows it), so find the button again and click that.
    /// </summary>
    private static async Task ClickAsync(IRenderedComponent<StartRunButton> component)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await component.Find("button").ClickAsync(new());
                return;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (attempt < 10)
            {
                await Task.Delay(50);
            }
        }
    }

    private async Task CompleteActiveRunsAsync(Guid tenant, string type)
    {
        while (await fixture.Runs.FindLatestAsync(type, tenant, completedOnly: false) is { Status: not OperationRunStatus.Completed } active)
        {
            await fixture.RunJobAsync(active.Id);
        }
    }

    [Fact]
    public async Task Clicking_starts_one_run_says_queued_with_a_link_and_disables_the_button_while_it_is_active()
    {
        var tenant = fixture.Demo.ContosoEu;
        await CompleteActiveRunsAsync(tenant, TestOperations.Sync);
        var (snackbars, button) = Arrange(fixture.Demo.Operator, tenant, TestOperations.Sync);
        var before = await RunCountAsync(tenant, TestOperations.Sync);
        var sync = button();

        await ClickAsync(sync);

        (await RunCountAsync(tenant, TestOperations.Sync)).Should().Be(before + 1);
        var run = await fixture.Runs.FindLatestAsync(TestOperations.Sync, tenant, completedOnly: false);
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("Test sync queued"), Patience);
        snackbars.Find("a.ta-run-link").GetAttribute("href").Should().Be($"/admin/operations/{run!.Id}");
        sync.WaitForAssertion(() => sync.Find("button").HasAttribute("disabled").Should().BeTrue("a deduplicating run is active for the tenant"), Patience);
        sync.Find("[data-active-run]").GetAttribute("data-active-run").Should().Be(run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sync.Find("a.ta-active-run-link").GetAttribute("href").Should().Be($"/admin/operations/{run.Id}");
        await fixture.RunJobAsync(run.Id);
    }

    [Fact]
    public async Task A_second_tab_clicking_while_the_run_is_active_gets_already_running_and_the_same_run()
    {
        var tenant = fixture.Demo.ContosoEu;
        await CompleteActiveRunsAsync(tenant, TestOperations.Sync);
        var (snackbars, button) = Arrange(fixture.Demo.Owner, tenant, TestOperations.Sync);
        var firstTab = button();
        var secondTab = button();
        var before = await RunCountAsync(tenant, TestOperations.Sync);

        await ClickAsync(firstTab);
        await ClickAsync(secondTab);

        (await RunCountAsync(tenant, TestOperations.Sync)).Should().Be(before + 1, "the second start returns the active run");
        var run = await fixture.Runs.FindLatestAsync(TestOperations.Sync, tenant, completedOnly: false);
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain($"Already running — Test sync #{run!.Id}"), Patience);
        snackbars.FindAll("a.ta-run-link").Select(a => a.GetAttribute("href")).Should().AllBe($"/admin/operations/{run!.Id}").And.HaveCount(2);
        await fixture.RunJobAsync(run!.Id);
    }

    [Fact]
    public async Task A_readonly_member_is_told_why_and_nothing_is_started()
    {
        var tenant = fixture.Demo.ContosoEu;
        var (snackbars, button) = Arrange(fixture.Demo.Readonly, tenant, TestOperations.Click);
        var before = await RunCountAsync(tenant, TestOperations.Click);

        await ClickAsync(button());

        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("You may not start a test click for this tenant (it needs tenant.backups.run)"), Patience);
        snackbars.FindAll("a.ta-run-link").Should().BeEmpty();
        (await RunCountAsync(tenant, TestOperations.Click)).Should().Be(before);
    }

    [Theory]
    [InlineData("unknown schedule", "No such backup schedule in this tenant")]
    [InlineData("number", "inputs.scheduleId must be a schedule id")]
    public async Task Inputs_the_type_refuses_are_explained_and_nothing_is_started(string scheduleId, string message)
    {
        var tenant = fixture.Demo.ContosoEu;
        SignIn(fixture.Demo.Owner);
        RenderProviders();
        var snackbars = Render<MudSnackbarProvider>();
        var inputs = new JsonObject { ["scheduleId"] = scheduleId == "number" ? JsonValue.Create(123) : JsonValue.Create(Guid.NewGuid().ToString()) };
        var button = Render<StartRunButton>(p => p
            .Add(x => x.Type, OperationTypes.BackupRunNow).Add(x => x.TenantId, tenant).Add(x => x.Inputs, inputs).Add(x => x.Label, "Run now"));
        var before = await RunCountAsync(tenant, OperationTypes.BackupRunNow);

        await ClickAsync(button);

        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain(message), Patience);
        snackbars.Markup.Should().NotContain("You may not start");
        snackbars.FindAll("a.ta-run-link").Should().BeEmpty();
        (await RunCountAsync(tenant, OperationTypes.BackupRunNow)).Should().Be(before);
    }

    [Fact]
    public async Task Per_click_types_never_disable_the_button()
    {
        var tenant = fixture.Demo.ContosoEu;
        var (_, button) = Arrange(fixture.Demo.Owner, tenant, TestOperations.Click);
        var runNow = button();

        await ClickAsync(runNow);
        await ClickAsync(runNow);

        runNow.Find("button").HasAttribute("disabled").Should().BeFalse();
        var latest = await fixture.Runs.FindLatestAsync(TestOperations.Click, tenant, completedOnly: false);
        await fixture.RunJobAsync(latest!.Id);
        await fixture.RunJobAsync(latest.Id - 1);
    }

    [Fact]
    public async Task The_notice_says_never_then_as_of_the_last_success_then_warns_when_a_later_run_failed_or_it_is_old()
    {
        var tenant = fixture.Demo.ContosoUs;
        await CompleteActiveRunsAsync(tenant, TestOperations.Sync);
        SignIn(fixture.Demo.Owner);
        RenderProviders();
        IRenderedComponent<LastRunNotice> Notice(TimeSpan? maxAge = null)
        {
            var notice = Render<LastRunNotice>(p => p
                .Add(x => x.Type, TestOperations.Sync).Add(x => x.TenantId, tenant).Add(x => x.Subject, "Items").Add(x => x.MaxAge, maxAge));
            notice.WaitForState(() => notice.Find(".ta-last-run").GetAttribute("data-state") != "loading", Patience);
            return notice;
        }

        var neverSynced = (await fixture.Runs.FindLatestSuccessfulAsync(TestOperations.Sync, tenant)) is null;

        if (neverSynced)
        {
            Notice().Find(".ta-last-run").GetAttribute("data-state").Should().Be("never");
        }

        var good = await fixture.StartAsync(TestOperations.Sync, tenant);
        await fixture.RunJobAsync(good.Id);
        var fresh = Notice();
        fresh.Find(".ta-last-run").GetAttribute("data-state").Should().Be("fresh");
        fresh.Find("a.ta-as-of-link").GetAttribute("href").Should().Be($"/admin/operations/{good.Id}");
        fresh.Markup.Should().Contain("Items as of");

        Notice(TimeSpan.FromTicks(1)).Find(".ta-last-run").GetAttribute("data-state").Should().Be("stale");

        var jobs = fixture.Jobs;
        jobs.Behaviour = _ => Task.FromResult(OperationJobResult.Failed);
        try
        {
            var bad = await fixture.StartAsync(TestOperations.Sync, tenant);
            await fixture.RunJobAsync(bad.Id);
            var warned = Notice();
            warned.Find(".ta-last-run").GetAttribute("data-state").Should().Be("failed");
            warned.Find("a.ta-as-of-link").GetAttribute("href").Should().Be($"/admin/operations/{good.Id}", "the data is still as of the last success");
            warned.Markup.Should().Contain($"run #{bad.Id}").And.Contain("The last sync failed");
        }
        finally
        {
            jobs.Behaviour = null;
        }
    }
}
