using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Restore.Pages;
using TenantAtlas.Testing.Components;

namespace TenantAtlas.Restore.Tests.Pages;

/// <summary>
/// Issue 13, item 5: the request page offers Execute only for a fresh plan with something to write (disabled with the
/// reason when stale or blocked), asks first and says exactly what will happen, follows the execute run live, then shows
/// the ledger with its filters and links into the target's inventory; Roll back once, a rollback names what it takes back
/// and shows its Delete items; the tenant page lists recent restores with their counts; execute runs link back to their
/// request. Over HTTP on the real host (AngleSharp) and, for the clicks, with bUnit on the same services. The execute and
/// rollback services are recording doubles (<see cref="RecordingRestoreExecutions"/>): their real behaviour is tested with them.
/// </summary>
public sealed class RestoreExecutionPageTests : MudTestContext, IClassFixture<RestorePagesFixture>
{
    private readonly RestorePagesFixture fixture;

    public RestoreExecutionPageTests(RestorePagesFixture fixture)
    {
        this.fixture = fixture;
        SignIn(fixture.Demo.Owner, "owner@demo.test");
        // The page asks its IServiceProvider for the execute services: bUnit answers that from its own container, not the fallback.
        Services.AddSingleton<IRestoreExecutions>(fixture.Executions);
        Services.AddSingleton<IRestoreRollbacks>(fixture.Rollbacks);
        Services.AddFallbackServiceProvider(fixture.App.Services);
    }

    private async Task<IDocument> PageAsync(string path, string email = "owner@demo.test")
    {
        var client = await fixture.SignedInAsync(email);
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static string Detail(Guid request) => $"/admin/restores/{request}";

    private static List<string> LedgerNames(IDocument page) => [.. page.QuerySelectorAll("tr.ta-ledger-item .ta-ledger-name").Select(c => c.TextContent.Trim())];

    private static IElement LedgerRow(IDocument page, string name) =>
        page.QuerySelectorAll("tr.ta-ledger-item").Single(r => r.QuerySelector(".ta-ledger-name")!.TextContent.Trim() == name);

    public static TheoryData<string, HttpStatusCode> Refused() => new()
    {
        { "operator@demo.test", HttpStatusCode.Forbidden },
        { "readonly@demo.test", HttpStatusCode.Forbidden },
        { "outsider@demo.test", HttpStatusCode.NotFound },
        { "admin@demo.test", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task An_executed_request_and_a_rollback_refuse_other_roles_revealing_nothing(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        foreach (var request in new[] { fixture.ExecutedRequestId, fixture.RollbackRequestId, fixture.ExecutingRequestId })
        {
            var response = await client.GetAsync(Detail(request));

            response.StatusCode.Should().Be(expected, email);
            var body = await response.Content.ReadAsStringAsync();
            body.Should().Contain(expected == HttpStatusCode.Forbidden ? "id=\"forbidden\"" : "id=\"not-found\"");
            body.Should().NotContain("new-macos", "a refused page shows nothing of the ledger").And.NotContain("Kiosk lockdown")
                .And.NotContain("id=\"execute\"").And.NotContain("id=\"roll-back\"");
        }
    }

    [Fact]
    public async Task Execute_is_offered_for_a_fresh_plan_with_something_to_write()
    {
        var page = await PageAsync(Detail(fixture.ReadyRequestId));

        var execute = page.QuerySelector("#execute")!;
        execute.TextContent.Trim().Should().Be("Execute");
        execute.HasAttribute("disabled").Should().BeFalse();
        page.QuerySelector("#execute-unavailable").Should().BeNull();
        page.QuerySelector("#roll-back").Should().BeNull("nothing was executed yet");
        page.QuerySelector("#ledger").Should().BeNull();
    }

    [Fact]
    public async Task Execute_is_disabled_with_the_reason_when_the_plan_is_stale_or_has_blockers()
    {
        var blocked = await PageAsync(Detail(fixture.RequestId));
        var stale = await PageAsync(Detail(fixture.StaleRequestId));

        blocked.QuerySelector("#execute")!.HasAttribute("disabled").Should().BeTrue();
        blocked.QuerySelector("#execute-unavailable")!.TextContent.Should().Contain("1 reference(s) block assignments").And.Contain("map or drop them");
        stale.QuerySelector("#execute")!.HasAttribute("disabled").Should().BeTrue();
        stale.QuerySelector("#execute-unavailable")!.TextContent.Should().Contain("the plan is stale").And.Contain("plan again");
    }

    [Fact]
    public async Task Execute_is_absent_when_the_plan_writes_nothing_or_the_request_was_executed()
    {
        var identical = await PageAsync(Detail(fixture.IdenticalRequestId));
        var executed = await PageAsync(Detail(fixture.ExecutedRequestId));
        var executing = await PageAsync(Detail(fixture.ExecutingRequestId));

        identical.QuerySelector("#plan-summary").Should().NotBeNull("the plan is there");
        identical.QuerySelector("#execute").Should().BeNull("a plan with only identical items has nothing to write");
        executed.QuerySelector("#execute").Should().BeNull();
        executing.QuerySelector("#execute").Should().BeNull();
    }

    [Fact]
    public async Task A_running_execute_shows_its_progress_counts_and_run_link()
    {
        var page = await PageAsync(Detail(fixture.ExecutingRequestId));

        page.QuerySelector("#restore-state .ta-restore-state")!.GetAttribute("data-state").Should().Be("executing");
        page.QuerySelector("#executing")!.TextContent.Should().Contain("2 of 5 items").And.Contain("Contoso-EU");
        page.QuerySelector("#execute-progress").Should().NotBeNull();
        page.QuerySelector("#execute-counts .ta-run-count[data-key='created']")!.TextContent.Trim().Should().Be("1 created");
        page.QuerySelector("#execute-counts .ta-run-count[data-key='updated']")!.TextContent.Trim().Should().Be("1 updated");
        page.QuerySelector("#executing-run-link")!.GetAttribute("href").Should().Be($"/admin/operations/{fixture.ExecutingRunId}");
        LedgerNames(page).Should().Equal("macOS FileVault", "Win10 baseline", "Kiosk lockdown");
        LedgerRow(page, "Kiosk lockdown").GetAttribute("data-result").Should().Be("writing");
        page.QuerySelector("#roll-back").Should().BeNull("an execute still running cannot be rolled back");
    }

    [Fact]
    public async Task The_ledger_shows_each_items_result_target_link_and_error_with_counts()
    {
        var page = await PageAsync(Detail(fixture.ExecutedRequestId));

        page.QuerySelector("#restore-state .ta-restore-state")!.GetAttribute("data-state").Should().Be("completed");
        page.QuerySelector("#ledger a.ta-ledger-run-link")!.GetAttribute("href").Should().Be($"/admin/operations/{fixture.ExecutedRunId}");
        foreach (var result in new[] { "created", "updated", "skipped", "conflict", "failed" })
        {
            page.QuerySelector($"#ledger-counts .ta-ledger-count[data-result='{result}'] .ta-count-value")!.TextContent.Trim().Should().Be("1", result);
        }

        page.QuerySelector("#ledger-counts .ta-ledger-count[data-result='deleted']").Should().BeNull("only results the run has are counted");
        LedgerNames(page).Should().Equal(["macOS FileVault", "Win10 baseline", "iOS restrictions", "Edge settings", "Kiosk lockdown"], "rows in the order the run wrote them");
        var created = LedgerRow(page, "macOS FileVault");
        created.QuerySelector(".ta-item-result")!.TextContent.Trim().Should().Be("Created");
        created.QuerySelector("a.ta-target-link")!.GetAttribute("href").Should().Be(
            $"/admin/tenants/{fixture.Demo.ContosoEu}/inventory?family={Uri.EscapeDataString(GraphResourceKeys.DeviceConfigurations)}&q=macOS%20FileVault");
        created.TextContent.Should().Contain("new-macos-1");
        LedgerRow(page, "Win10 baseline").QuerySelector("a.ta-target-link").Should().NotBeNull("an updated object is linked too");
        LedgerRow(page, "iOS restrictions").QuerySelector("a.ta-target-link").Should().BeNull("a skipped object was not written");
        var failed = LedgerRow(page, "Kiosk lockdown");
        failed.QuerySelector(".ta-item-result")!.TextContent.Trim().Should().Be("Failed");
        failed.QuerySelector(".ta-error-code")!.TextContent.Trim().Should().Be("BadRequest");
        failed.QuerySelector(".ta-error-message")!.TextContent.Should().Contain("Property 'createdDateTime' is read-only.");
        failed.QuerySelector("a.ta-target-link").Should().BeNull("a failed write is not linked as if it had happened");
        var conflict = LedgerRow(page, "Edge settings");
        conflict.QuerySelector(".ta-error-code")!.TextContent.Trim().Should().Be("changed_since_plan");
        conflict.QuerySelector(".ta-item-result")!.TextContent.Trim().Should().Be("Conflict");
    }

    [Fact]
    public async Task The_ledger_filters_by_result_and_by_family_in_the_query_string()
    {
        var all = await PageAsync(Detail(fixture.ExecutedRequestId));
        var failed = await PageAsync(Detail(fixture.ExecutedRequestId) + "?result=failed");
        var policies = await PageAsync(Detail(fixture.ExecutedRequestId) + $"?result-family={GraphResourceKeys.ConfigurationPolicies}");
        var updatedConfigurations = await PageAsync(Detail(fixture.ExecutedRequestId) + $"?result=updated&result-family={GraphResourceKeys.DeviceConfigurations}");
        var none = await PageAsync(Detail(fixture.ExecutedRequestId) + $"?result=created&result-family={GraphResourceKeys.ConfigurationPolicies}");
        var unknown = await PageAsync(Detail(fixture.ExecutedRequestId) + "?result=exploded");

        LedgerNames(failed).Should().Equal("Kiosk lockdown");
        LedgerNames(policies).Should().Equal("Edge settings");
        LedgerNames(updatedConfigurations).Should().Equal("Win10 baseline");
        LedgerNames(none).Should().BeEmpty();
        none.QuerySelector("#no-matching-results").Should().NotBeNull();
        none.QuerySelector("#ledger-counts .ta-ledger-count[data-result='created'] .ta-count-value")!.TextContent.Trim().Should().Be("1", "the counts are of the whole ledger");
        LedgerNames(unknown).Should().HaveCount(5, "an unknown result filter shows everything rather than failing");
        all.QuerySelector("[data-filter='result-failed']")!.GetAttribute("href").Should().Contain("result=failed");
        all.QuerySelector("[data-filter='result-failed']")!.TextContent.Should().Contain("Failed (1)");
        all.QuerySelector($"[data-filter='result-family-{GraphResourceKeys.ConfigurationPolicies}']")!.GetAttribute("href").Should().Contain("result-family=");
        ItemCount(failed).Should().Be(5, "the ledger's filters leave the plan's table alone");
    }

    private static int ItemCount(IDocument page) => page.QuerySelectorAll("tr.ta-plan-item").Length;

    [Fact]
    public async Task Roll_back_is_offered_once_a_completed_execute_wrote_something_then_links_its_rollback()
    {
        var executed = await PageAsync(Detail(fixture.ExecutedRequestId));
        var rolledBack = await PageAsync(Detail(fixture.RolledBackRequestId));

        executed.QuerySelector("#roll-back")!.TextContent.Trim().Should().Be("Roll back");
        executed.QuerySelector("#rollback-link").Should().BeNull();
        rolledBack.QuerySelector("#roll-back").Should().BeNull("a request is rolled back once");
        rolledBack.QuerySelector("#rollback-link")!.GetAttribute("href").Should().Be(Detail(fixture.RollbackRequestId));
    }

    [Fact]
    public async Task A_cancelled_execute_leaves_the_request_stopped_with_plan_again_and_roll_back_offered()
    {
        var page = await PageAsync(Detail(fixture.StoppedRequestId));

        page.QuerySelector(".ta-restore-state")!.TextContent.Trim().Should().Be("stopped");
        var banner = page.QuerySelector("#execute-stopped")!.TextContent;
        banner.Should().Contain($"#{fixture.StoppedRunId}").And.Contain("Plan again");
        page.QuerySelector("#request-cancelled").Should().BeNull("the request itself was not cancelled");
        page.QuerySelector("#roll-back")!.TextContent.Trim().Should().Be("Roll back", "the stopped run wrote something");
        page.QuerySelector("#plan-again")!.TextContent.Trim().Should().Be("Plan again", "the rest can be finished through a new plan");
    }

    [Fact]
    public async Task Roll_back_is_offered_when_an_earlier_execute_wrote_though_the_latest_failed_writing_nothing()
    {
        var page = await PageAsync(Detail(fixture.ReExecutedRequestId));

        page.QuerySelector(".ta-restore-state")!.TextContent.Trim().Should().Be("failed");
        page.QuerySelector("#roll-back")!.TextContent.Trim().Should().Be("Roll back",
            "the first execute created an object in the target; the rollback takes back every execute of the request");
    }

    [Fact]
    public async Task A_rollback_names_the_request_it_takes_back_and_shows_its_delete_items()
    {
        var deleteItem = await fixture.Database.ScalarAsync<long>(
            "SELECT i.id FROM restore.restore_plan_items i JOIN restore.restore_plans p ON p.id = i.plan_id WHERE p.request_id = $1 AND i.action = 'Delete'",
            fixture.RollbackRequestId);

        var page = await PageAsync(Detail(fixture.RollbackRequestId) + $"?item={-deleteItem}");
        var normal = await PageAsync(Detail(fixture.RequestId));

        page.QuerySelector("#restore-title")!.TextContent.Trim().Should().Be("Rollback into Contoso-EU");
        page.QuerySelector("#rollback-of")!.TextContent.Should().Contain("Rollback of request");
        page.QuerySelector("#rollback-of-link")!.GetAttribute("href").Should().Be(Detail(fixture.RolledBackRequestId));
        page.QuerySelector("#rollback-of-link")!.TextContent.Trim().Should().MatchRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$", "the link names the request by when it was made");
        page.QuerySelector("#plan-summary .ta-count[data-action='delete'] .ta-count-value")!.TextContent.Trim().Should().Be("1");
        var row = page.QuerySelector("tr.ta-plan-item[data-action='delete']")!;
        row.QuerySelector("td")!.TextContent.Trim().Should().Be("macOS FileVault");
        row.QuerySelector(".ta-item-action")!.TextContent.Trim().Should().Be("Delete");
        page.QuerySelector($"tr.ta-item-detail[data-item='{-deleteItem}'] .ta-item-delete")!.TextContent.Should().Contain("the rollback deletes it").And.Contain("new-macos-2");
        page.QuerySelector($"tr.ta-item-detail[data-item='{-deleteItem}'] .ta-create-copy").Should().BeNull("an object to delete cannot be restored as a copy");
        page.QuerySelector("[data-filter='action-delete']").Should().NotBeNull();
        normal.QuerySelector("#rollback-of").Should().BeNull();
        normal.QuerySelector("#plan-summary .ta-count[data-action='delete']").Should().BeNull("only a rollback deletes");
    }

    [Fact]
    public async Task The_tenant_page_lists_recent_restores_with_their_state_and_counts()
    {
        var page = await PageAsync($"/admin/tenants/{fixture.Demo.ContosoEu}");

        var rows = page.QuerySelectorAll("#restore-panel-recent tr.ta-recent-restore").ToList();
        rows.Should().HaveCount(5, "the panel lists the five newest; the restores page has them all");
        var executed = rows.Single(r => r.GetAttribute("data-request") == fixture.ExecutedRequestId.ToString());
        executed.QuerySelector(".ta-restore-state")!.GetAttribute("data-state").Should().Be("completed");
        executed.QuerySelector(".ta-restore-count[data-result='created']")!.TextContent.Trim().Should().Be("1 created");
        executed.QuerySelector(".ta-restore-count[data-result='updated']")!.TextContent.Trim().Should().Be("1 updated");
        executed.QuerySelector(".ta-restore-count[data-result='failed']")!.TextContent.Trim().Should().Be("1 failed");
        executed.QuerySelector("a")!.GetAttribute("href").Should().Be(Detail(fixture.ExecutedRequestId));
        rows.Single(r => r.GetAttribute("data-request") == fixture.ExecutingRequestId.ToString())
            .QuerySelector(".ta-restore-state")!.GetAttribute("data-state").Should().Be("executing");
        rows.Single(r => r.GetAttribute("data-request") == fixture.IdenticalRequestId.ToString())
            .QuerySelectorAll(".ta-restore-count").Should().BeEmpty("a request never executed has no counts");
    }

    [Fact]
    public async Task An_execute_run_links_back_to_its_restore_request()
    {
        var page = await PageAsync($"/admin/operations/{fixture.ExecutedRunId}");

        page.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).Should().Contain(Detail(fixture.ExecutedRequestId));
    }

    private IRenderedComponent<RestoreDetail> RenderDetail(Guid request)
    {
        var page = Render<RestoreDetail>(p => p.Add(x => x.RequestId, request));
        page.WaitForElement("#restore-title", TimeSpan.FromSeconds(30));
        return page;
    }

    private static AngleSharp.Dom.IElement DialogButton(IRenderedComponent<MudDialogProvider> dialogs, string text) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public async Task Execute_asks_first_says_exactly_what_happens_then_asks_the_service_for_the_reviewed_plan_and_shows_its_refusal()
    {
        fixture.Executions.Answer = (_, _, _) => RestoreResult.Refused<StartResult>("Another execute of this request is running.");
        var planId = await fixture.PlanIdOfAsync(fixture.ReadyRequestId);
        RenderProviders();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderDetail(fixture.ReadyRequestId);
        var before = fixture.Executions.Calls.Count(c => c.RequestId == fixture.ReadyRequestId);

        var first = page.Find("#execute").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("A snapshot of the target is taken first; you can roll back."));
        dialogs.Markup.Should().Contain("Restore into Contoso-EU exactly as planned: 1 create, 2 update, 0 delete, 1 skipped (identical).")
            .And.Contain("1 item(s) in conflict or blocked are not written.");
        await DialogButton(dialogs, "Not now").ClickAsync(new());
        await first;
        fixture.Executions.Calls.Count(c => c.RequestId == fixture.ReadyRequestId).Should().Be(before, "nothing is started before the confirmation");

        var second = page.Find("#execute").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Should().Contain(b => b.TextContent.Trim() == "Execute"));
        await DialogButton(dialogs, "Execute").ClickAsync(new());
        await second;

        fixture.Executions.Calls.Where(c => c.RequestId == fixture.ReadyRequestId).Should().ContainSingle()
            .Which.Should().Be((fixture.Demo.Owner, fixture.ReadyRequestId, planId), "the plan the admin reviewed is the one executed");
        page.WaitForAssertion(() => page.Find("#execute-refused").TextContent.Should().Contain("Another execute of this request is running."));
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("Another execute of this request is running."));
    }

    [Fact]
    public async Task Roll_back_asks_first_then_opens_the_new_request()
    {
        var rollbackView = (await fixture.Requests.GetAsync(fixture.Demo.Owner, fixture.RollbackRequestId)).Value!;
        fixture.Rollbacks.Answer = (_, _) => Task.FromResult(new RestoreResult<RestoreRequestView>(AccessDecision.Allowed, rollbackView));
        RenderProviders();
        var dialogs = Render<MudDialogProvider>();
        var page = RenderDetail(fixture.ExecutedRequestId);

        var click = page.Find("#roll-back").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("puts the 1 updated object(s) back")
            .And.Contain("deletes the 1 object(s) the restore created").And.Contain("nothing in the tenant changes until you execute it"));
        fixture.Rollbacks.Calls.Should().NotContain(c => c.RequestId == fixture.ExecutedRequestId, "nothing happens before the confirmation");
        await DialogButton(dialogs, "Roll back").ClickAsync(new());
        await click;

        fixture.Rollbacks.Calls.Should().Contain((fixture.Demo.Owner, fixture.ExecutedRequestId));
        page.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.Should().EndWith(Detail(fixture.RollbackRequestId)));
    }
}
