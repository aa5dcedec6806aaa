using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantAtlas.Backup.Pages;
using TenantAtlas.Backup.Sets;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Components;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Backup.Tests.Pages;

/// <summary>
/// Spec 004-backup, rules 1, 4 and 6 through the pages (bUnit, real services on PostgreSQL): validation errors are shown and
/// nothing is saved; every action is checked on the server when clicked (a role taken away while the page is open
/// changes nothing and creates no run); Run now gives a snackbar linking to the run; delete asks first.
/// </summary>
public sealed class BackupPageComponentTests : MudTestContext, IClassFixture<BackupFixture>
{
    private readonly BackupFixture fixture;
    private readonly Guid userId;
    private readonly string email = $"pages-{Guid.NewGuid():N}@demo.test";

    public BackupPageComponentTests(BackupFixture fixture)
    {
        this.fixture = fixture;
        var app = fixture.App.Services;
        userId = Admin.EnsureUserAsync(email, TenantAtlas.Testing.Hosting.SignIn.DemoPassword, false).GetAwaiter().GetResult();
        SignIn(userId, email);
        Services.AddSingleton(app.GetRequiredService<ScheduleService>());
        Services.AddSingleton(app.GetRequiredService<BackupRuns>());
        Services.AddSingleton(app.GetRequiredService<BackupSetQueries>());
        Services.AddSingleton(app.GetRequiredService<ITenantCatalog>());
        Services.AddSingleton(app.GetRequiredService<ITenantAccess>());
        Services.AddSingleton(app.GetRequiredService<IAccessService>());
        Services.AddSingleton(app.GetRequiredService<IGraphContracts>());
        Services.AddSingleton(app.GetRequiredService<IScheduleRunQueries>());
        Services.AddSingleton(app.GetRequiredService<IOperationRuns>());
        // The run button's type registry is internal to Operations: hand over the app's instance.
        var registry = typeof(IOperationRuns).Assembly.GetType("TenantAtlas.Operations.Runs.OperationTypeRegistry", throwOnError: true)!;
        Services.AddSingleton(registry, app.GetRequiredService(registry));
    }

    private IAccessAdministration Admin => fixture.App.Services.GetRequiredService<IAccessAdministration>();

    private Task BecomeAsync(WorkspaceRole role) => Admin.EnsureMembershipAsync(fixture.Demo.Contoso, userId, role);

    private Task<long> RunsOfUserAsync() =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE initiator_user_id = $1", userId);

    private IRenderedComponent<ScheduleEdit> RenderNewForm()
    {
        RenderProviders();
        var page = Render<ScheduleEdit>(p => p.Add(x => x.TenantId, fixture.Demo.ContosoEu));
        page.WaitForElement("#schedule-name", TimeSpan.FromSeconds(30));
        return page;
    }

    /// <summary>MudBlazor puts the id on the input itself or on its wrapper, depending on the component.</summary>
    private static AngleSharp.Dom.IElement InputOf(IRenderedComponent<ScheduleEdit> page, string selector) =>
        page.Find(selector) is { TagName: "INPUT" } input ? input : page.Find($"{selector} input");

    private static void Fill(IRenderedComponent<ScheduleEdit> page, string selector, string value) => InputOf(page, selector).Input(value);

    private IRenderedComponent<ScheduleDetail> RenderDetail(Guid schedule)
    {
        var page = Render<ScheduleDetail>(p => p.Add(x => x.ScheduleId, schedule));
        page.WaitForElement("#schedule-title", TimeSpan.FromSeconds(30));
        return page;
    }

    [Fact]
    public async Task Invalid_input_through_the_form_shows_every_error_and_saves_nothing()
    {
        await BecomeAsync(WorkspaceRole.Manager);
        var page = RenderNewForm();
        var name = "Page invalid " + Guid.NewGuid().ToString("N")[..6];

        Fill(page, "#schedule-name", name);
        Fill(page, "#schedule-cron", "0 25 * * *");
        Fill(page, "#schedule-zone", "Mars/Olympus_Mons");
        InputOf(page, "#schedule-keep-last").Input("");
        await page.Find("#save-schedule").ClickAsync(new());

        page.WaitForAssertion(() => page.Find("#schedule-errors").TextContent.Should().Contain("Nothing was saved"));
        page.Markup.Should().Contain("is not a valid cron expression").And.Contain("is not a known IANA time zone")
            .And.Contain("Choose at least one policy type").And.Contain("Set a retention");
        page.Find("#fire-preview-error").TextContent.Should().Contain("not a valid cron expression");
        (await fixture.SchedulesNamedAsync(name)).Should().Be(0);
    }

    [Fact]
    public async Task The_form_previews_five_fire_times_and_saves_a_valid_schedule()
    {
        await BecomeAsync(WorkspaceRole.Owner);
        var page = RenderNewForm();
        var name = "Page valid " + Guid.NewGuid().ToString("N")[..6];

        Fill(page, "#schedule-name", name);
        Fill(page, "#schedule-cron", "30 3 * * 1");
        Fill(page, "#schedule-zone", "America/New_York");
        InputOf(page, $"[data-family='{GraphResourceKeys.DeviceCompliancePolicies}']").Change(true);

        page.WaitForAssertion(() =>
        {
            var preview = page.FindAll("#fire-preview .ta-fire-time");
            preview.Should().HaveCount(5);
            preview.Should().AllSatisfy(row => row.TextContent.Should().Contain("Mon").And.Contain("03:30 (America/New_York").And.Contain("(UTC, +00:00)"));
        });

        await page.Find("#save-schedule").ClickAsync(new());

        page.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.Should().Contain("/admin/backup-schedules/"));
        (await fixture.SchedulesNamedAsync(name)).Should().Be(1);
    }

    [Fact]
    public async Task The_form_lists_the_policy_types_under_their_groups_and_a_group_box_selects_or_clears_the_whole_group()
    {
        await BecomeAsync(WorkspaceRole.Manager);
        var contracts = Services.GetRequiredService<IGraphContracts>();
        var groups = contracts.PolicyFamilyGroups;
        var page = RenderNewForm();
        var name = "Page groups " + Guid.NewGuid().ToString("N")[..6];

        page.FindAll("#schedule-families [data-group]").Select(g => g.GetAttribute("data-group")).Should().Equal(
            groups.Select(g => g.Key), "one block per group that has families, in the groups' order");
        foreach (var group in groups)
        {
            var block = page.Find($"#schedule-families [data-group='{group.Key}']");
            var heading = block.QuerySelector(".ta-family-group-heading");
            heading.Should().NotBeNull("each group has a heading");
            heading!.TextContent.Should().Contain(group.Label);
            heading.QuerySelectorAll($"[data-group-toggle='{group.Key}']").Should().NotBeEmpty("the heading is the group's select-all box");
            block.QuerySelectorAll("[data-family]").Select(f => f.GetAttribute("data-family")).Distinct().Should().Equal(
                group.Families.Select(f => f.Key), "a checkbox per family of the group, under its heading");
        }

        page.FindAll("#schedule-families [data-family]").Select(f => f.GetAttribute("data-family")).Distinct().Should().BeEquivalentTo(
            contracts.PolicyFamilies.Select(f => f.Key), "every policy family can be chosen");

        var apps = groups.Single(g => g.Group == GraphFamilyGroup.Apps);
        var configuration = groups.Single(g => g.Group == GraphFamilyGroup.Configuration);
        var compliance = groups.Single(g => g.Group == GraphFamilyGroup.Compliance);
        Fill(page, "#schedule-name", name);
        InputOf(page, $"[data-family='{apps.Families[0].Key}']").Change(true);
        InputOf(page, $"[data-group-toggle='{apps.Key}']").Change(true);
        InputOf(page, $"[data-group-toggle='{configuration.Key}']").Change(true);
        InputOf(page, $"[data-group-toggle='{configuration.Key}']").Change(false);
        InputOf(page, $"[data-group-toggle='{compliance.Key}']").Change(true);
        await page.Find("#save-schedule").ClickAsync(new());

        page.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.Should().Contain("/admin/backup-schedules/"));
        var saved = Guid.Parse(Services.GetRequiredService<NavigationManager>().Uri.Split('/')[^1]);
        (await fixture.Schedules.FindAsync(saved))!.Families.Should().Equal(
            [.. contracts.PolicyFamilies.Select(f => f.Key).Where(k => apps.Families.Concat(compliance.Families).Any(f => f.Key == k))],
            "a partly chosen group's box chooses the rest, a fully chosen one's clears it, and the registry's order is kept");
    }

    [Fact]
    public async Task A_role_taken_away_while_the_form_is_open_saves_nothing()
    {
        await BecomeAsync(WorkspaceRole.Owner);
        var page = RenderNewForm();
        var name = "Page demoted " + Guid.NewGuid().ToString("N")[..6];
        Fill(page, "#schedule-name", name);
        InputOf(page, $"[data-family='{GraphResourceKeys.DeviceConfigurations}']").Change(true);

        await BecomeAsync(WorkspaceRole.Readonly);
        await page.Find("#save-schedule").ClickAsync(new());

        page.WaitForAssertion(() => page.FindAll("#forbidden").Should().ContainSingle());
        (await fixture.SchedulesNamedAsync(name)).Should().Be(0);
    }

    [Fact]
    public async Task Run_now_creates_one_run_per_click_and_a_snackbar_links_to_it()
    {
        var schedule = await fixture.CreateScheduleAsync();
        await BecomeAsync(WorkspaceRole.Operator);
        var providers = RenderProviders();
        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderDetail(schedule);
        page.FindAll("#edit-schedule").Should().BeEmpty("operators run backups but do not manage schedules");

        await page.Find("#run-now button").ClickAsync(new());
        await page.Find("#run-now button").ClickAsync(new());

        (await RunsOfUserAsync()).Should().Be(2);
        var runIds = await fixture.Database.ScalarAsync<long>("SELECT max(id) FROM operations.operation_runs WHERE initiator_user_id = $1", userId);
        snackbars.WaitForAssertion(() => snackbars.FindAll("a.ta-run-link").Select(a => a.GetAttribute("href")).Should().Contain($"/admin/operations/{runIds}"));
        page.WaitForAssertion(() => page.FindAll("#schedule-runs [data-run]").Should().HaveCount(2));
        providers.Should().NotBeNull();
    }

    [Fact]
    public async Task Run_now_after_the_role_was_taken_away_creates_no_run()
    {
        var schedule = await fixture.CreateScheduleAsync();
        await BecomeAsync(WorkspaceRole.Operator);
        RenderProviders();
        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderDetail(schedule);

        await BecomeAsync(WorkspaceRole.Readonly);
        await page.Find("#run-now button").ClickAsync(new());

        (await RunsOfUserAsync()).Should().Be(0);
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("You may not start a backup (run now)"));
    }

    [Fact]
    public async Task Delete_asks_first_says_what_happens_and_then_deletes()
    {
        var schedule = await fixture.CreateScheduleAsync();
        await BecomeAsync(WorkspaceRole.Owner);
        RenderProviders();
        var dialogs = Render<MudDialogProvider>();
        var page = RenderDetail(schedule);

        var click = page.Find("#delete-schedule").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("backup set(s) and its run history are kept"));
        (await fixture.Schedules.GetAsync(fixture.Demo.Owner, schedule)).Schedule.Should().NotBeNull("nothing happens before the confirmation");
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Delete schedule", StringComparison.Ordinal)).ClickAsync(new());
        await click;

        page.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.Should().EndWith($"/admin/tenants/{fixture.Demo.ContosoEu}/backups"));
        (await fixture.Schedules.GetAsync(fixture.Demo.Owner, schedule)).Decision.Should().Be(AccessDecision.NotFound);
    }

    [Fact]
    public async Task Delete_by_a_user_demoted_while_the_page_is_open_changes_nothing()
    {
        var schedule = await fixture.CreateScheduleAsync();
        await BecomeAsync(WorkspaceRole.Owner);
        RenderProviders();
        var dialogs = Render<MudDialogProvider>();
        var page = RenderDetail(schedule);

        await BecomeAsync(WorkspaceRole.Operator);
        var click = page.Find("#delete-schedule").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Should().Contain(b => b.TextContent.Contains("Delete schedule", StringComparison.Ordinal)));
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Delete schedule", StringComparison.Ordinal)).ClickAsync(new());
        await click;

        (await fixture.Schedules.GetAsync(fixture.Demo.Owner, schedule)).Schedule.Should().NotBeNull();
    }
}
