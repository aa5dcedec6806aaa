using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Pages;

/// <summary>
/// Issue 12, items 2 and 5 over HTTP on the real host: 404/403 exactly as for runs (tenant.restore.execute on the target:
/// owner and manager), refused pages reveal nothing, and the review renders the stored plan — counts per action, filters
/// by action and family, a changed field's path with its before and after values, long values folded, assignment changes,
/// conflicts with their candidates, unresolved references as blockers with a picker, protected groups, a stale banner.
/// </summary>
public sealed class RestorePageTests(RestorePagesFixture fixture) : IClassFixture<RestorePagesFixture>
{
    public static TheoryData<string, string, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string, HttpStatusCode>();
        foreach (var page in new[] { "list", "new", "detail" })
        {
            data.Add(page, "owner@demo.test", HttpStatusCode.OK);
            data.Add(page, RestorePagesFixture.ManagerEmail, HttpStatusCode.OK);
            data.Add(page, "operator@demo.test", HttpStatusCode.Forbidden);
            data.Add(page, "readonly@demo.test", HttpStatusCode.Forbidden);
            data.Add(page, "outsider@demo.test", HttpStatusCode.NotFound);
            data.Add(page, "admin@demo.test", HttpStatusCode.NotFound);
        }

        return data;
    }

    internal static string PathOf(RestorePagesFixture fixture, string page) => page switch
    {
        "list" => $"/admin/tenants/{fixture.Demo.ContosoEu}/restores",
        "new" => $"/admin/tenants/{fixture.Demo.ContosoEu}/restores/new",
        "detail" => $"/admin/restores/{fixture.RequestId}",
        _ => throw new ArgumentOutOfRangeException(nameof(page)),
    };

    private async Task<IDocument> PageAsync(string path, string email = "owner@demo.test")
    {
        var client = await fixture.SignedInAsync(email);
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static List<string> ItemNames(IDocument page) => [.. page.QuerySelectorAll("tr.ta-plan-item").Select(r => r.QuerySelector("td")!.TextContent.Trim())];

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_restore_page_answers_by_role(string page, string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        var response = await client.GetAsync(PathOf(fixture, page));

        response.StatusCode.Should().Be(expected);
        var body = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            body.Should().Contain("Contoso-EU");
        }
        else
        {
            body.Should().NotContain("Win10 baseline", "a refused page reveals nothing of the request").And.NotContain(fixture.RequestId.ToString());
            body.Should().Contain(expected == HttpStatusCode.Forbidden ? "id=\"forbidden\"" : "id=\"not-found\"");
        }
    }

    [Fact]
    public async Task Another_workspaces_view_of_a_request_equals_an_unknown_id()
    {
        var client = await fixture.SignedInAsync("outsider@demo.test");
        var owner = await fixture.SignedInAsync("owner@demo.test");

        var other = await client.GetAsync($"/admin/restores/{fixture.RequestId}");
        var unknown = await client.GetAsync($"/admin/restores/{Guid.NewGuid()}");

        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
        HtmlNormalizer.Normalize(await other.Content.ReadAsStringAsync()).Should().Be(HtmlNormalizer.Normalize(await unknown.Content.ReadAsStringAsync()));
        (await owner.GetAsync($"/admin/restores/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetAsync("/admin/restores/not-a-guid")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetAsync($"/admin/tenants/{Guid.NewGuid()}/restores/new")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_have_titles_that_say_where_you_are()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        (await client.GetStringAsync(PathOf(fixture, "list"))).Should().Contain("<title>Restores · Contoso-EU</title>");
        (await client.GetStringAsync(PathOf(fixture, "new"))).Should().Contain("<title>New restore · Contoso-EU</title>");
        (await client.GetStringAsync(PathOf(fixture, "detail"))).Should().Contain("<title>Restore into Contoso-EU · ");
    }

    [Fact]
    public async Task The_tenant_list_and_the_workspace_list_show_the_request_and_link_it()
    {
        var list = await PageAsync(PathOf(fixture, "list"));
        var overview = await PageAsync("/admin/restores");
        var outsider = await PageAsync("/admin/restores", "outsider@demo.test");
        var @operator = await PageAsync("/admin/restores", "operator@demo.test");

        list.QuerySelector($"tr[data-request='{fixture.RequestId}'] a.ta-restore-link")!.GetAttribute("href").Should().Be($"/admin/restores/{fixture.RequestId}");
        list.QuerySelector("#new-restore")!.GetAttribute("href").Should().Be($"/admin/tenants/{fixture.Demo.ContosoEu}/restores/new");
        list.QuerySelector($"tr[data-request='{fixture.RequestId}'] .ta-restore-state")!.GetAttribute("data-state").Should().Be("planned");
        overview.QuerySelector($"#restore-overview-table tr[data-request='{fixture.RequestId}']").Should().NotBeNull();
        overview.QuerySelector("#nav-restores").Should().NotBeNull("the drawer leads here for owners and managers");
        outsider.QuerySelector($"tr[data-request='{fixture.RequestId}']").Should().BeNull("the outsider restores into no Contoso tenant");
        @operator.QuerySelector("#restores-overview-empty").Should().NotBeNull("an operator may not restore");
        @operator.QuerySelector("#nav-restores").Should().BeNull();
    }

    [Fact]
    public async Task The_tenant_page_has_a_restore_panel_linking_the_restores()
    {
        var owner = await PageAsync($"/admin/tenants/{fixture.Demo.ContosoEu}");
        var reader = await PageAsync($"/admin/tenants/{fixture.Demo.ContosoEu}", "readonly@demo.test");

        owner.QuerySelector("#restore-panel-link")!.GetAttribute("href").Should().Be($"/admin/tenants/{fixture.Demo.ContosoEu}/restores");
        reader.QuerySelector("#restore-panel").Should().NotBeNull();
        reader.QuerySelector("#restore-panel-link").Should().BeNull("a readonly role includes no restores");
    }

    [Fact]
    public async Task New_restore_offers_the_sets_of_every_tenant_of_the_workspace_and_no_other()
    {
        var page = await PageAsync(PathOf(fixture, "new"));

        var sets = page.QuerySelectorAll("tr.ta-source-set").Select(r => r.GetAttribute("data-set")).ToList();
        sets.Should().Contain(fixture.SameSet.ToString()).And.Contain(fixture.CrossSet.ToString(), "a set of Contoso-US may be restored into Contoso-EU");
        sets.Should().NotContain(fixture.FabrikamSet.ToString(), "a set of another workspace is never offered");
        page.Body!.TextContent.Should().NotContain("Fabrikam secret policy");
    }

    [Fact]
    public async Task New_restore_with_a_preselected_set_lists_its_families_and_items()
    {
        var page = await PageAsync(PathOf(fixture, "new") + $"?set={fixture.SameSet}");

        page.QuerySelectorAll(".ta-family").Select(f => f.GetAttribute("data-family")).Should().BeEquivalentTo(
            [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.ConfigurationPolicies]);
        page.QuerySelector("#create-restore").Should().NotBeNull();
        (await PageAsync(PathOf(fixture, "new") + $"?set={fixture.FabrikamSet}")).QuerySelector("#selection").Should().BeNull("another workspace's set is not offered, even by address");
    }

    [Fact]
    public async Task The_review_shows_the_state_source_plan_run_and_counts_per_action()
    {
        var page = await PageAsync(PathOf(fixture, "detail"));

        page.QuerySelector("#restore-state .ta-restore-state")!.GetAttribute("data-state").Should().Be("planned");
        page.QuerySelector("#request-source a")!.GetAttribute("href").Should().Be($"/admin/backup-sets/{fixture.SameSet}");
        page.QuerySelector("#plan-run a.ta-plan-run-link")!.GetAttribute("href").Should().Be($"/admin/operations/{RestorePagesFixture.TestPlanRunId}");
        foreach (var action in new[] { "create", "update", "skip", "conflict", "blocked" })
        {
            page.QuerySelector($"#plan-summary .ta-count[data-action='{action}'] .ta-count-value")!.TextContent.Trim().Should().Be("1", action);
        }

        page.QuerySelector("#plan-stale").Should().BeNull("the plan was just made");
        page.QuerySelector("#plan-again").Should().NotBeNull();
        page.QuerySelector("#cancel-request").Should().NotBeNull();
        // Part 2 brought Execute: on this plan (an unresolved reference blocks it) it is shown, disabled, with the reason — never a button that only pretends.
        page.QuerySelector("#execute")!.HasAttribute("disabled").Should().BeTrue("an unresolved reference blocks this plan");
        page.QuerySelector("#execute-unavailable")!.TextContent.Should().Contain("block assignments");
    }

    [Fact]
    public async Task The_items_filter_by_action_and_by_family()
    {
        var all = await PageAsync(PathOf(fixture, "detail"));
        var conflicts = await PageAsync(PathOf(fixture, "detail") + "?action=conflict");
        var policies = await PageAsync(PathOf(fixture, "detail") + $"?family={GraphResourceKeys.ConfigurationPolicies}");
        var skippedDeviceConfigurations = await PageAsync(PathOf(fixture, "detail") + $"?action=skip&family={GraphResourceKeys.DeviceConfigurations}");
        var none = await PageAsync(PathOf(fixture, "detail") + $"?action=create&family={GraphResourceKeys.ConfigurationPolicies}");

        ItemNames(all).Should().HaveCount(5);
        ItemNames(conflicts).Should().Equal("Edge settings");
        ItemNames(policies).Should().Equal("Edge settings");
        ItemNames(skippedDeviceConfigurations).Should().Equal("iOS restrictions");
        ItemNames(none).Should().BeEmpty();
        none.QuerySelector("#no-matching-items").Should().NotBeNull();
        all.QuerySelector("[data-filter='action-conflict']")!.GetAttribute("href").Should().Contain("action=conflict");
    }

    [Fact]
    public async Task An_items_diff_shows_each_changed_fields_path_with_before_and_after_side_by_side()
    {
        var item = fixture.Items["Win10 baseline"];

        var page = await PageAsync(PathOf(fixture, "detail") + $"?item={item}");

        var detail = page.QuerySelector($"tr.ta-item-detail[data-item='{item}']")!;
        var changed = detail.QuerySelector("tr.ta-field-change[data-locator='passwordMinimumLength']")!;
        changed.GetAttribute("data-kind").Should().Be("changed");
        changed.QuerySelector(".ta-field-path")!.TextContent.Trim().Should().Be("passwordMinimumLength");
        changed.QuerySelector(".ta-field-before")!.TextContent.Trim().Should().Be("8");
        changed.QuerySelector(".ta-field-after")!.TextContent.Trim().Should().Be("12");
        var added = detail.QuerySelector("tr.ta-field-change[data-locator='passwordBlockSimple']")!;
        added.GetAttribute("data-kind").Should().Be("added");
        added.QuerySelector(".ta-field-before")!.TextContent.Trim().Should().Be("(absent)");
        detail.QuerySelector("tr.ta-field-change[data-locator='description'] .ta-field-after")!.TextContent.Trim().Should().Be("(absent)");
        var folded = detail.QuerySelectorAll("tr.ta-field-change").Single(r => r.QuerySelector(".ta-field-path")!.TextContent.Contains("omaSettings", StringComparison.Ordinal));
        folded.QuerySelector(".ta-field-path")!.TextContent.Trim().Should().Be("omaSettings[./Vendor/MSFT/Policy/Config/Kiosk].value");
        folded.QuerySelector(".ta-field-after .ta-value")!.TextContent.Should().Contain("characters)", "a long value is folded to one line with its full length");
        folded.QuerySelector(".ta-field-after .ta-unfold").Should().NotBeNull("a folded value can be shown whole");
        folded.TextContent.Should().NotContain("value 40", "the folded value is cut");
        var assignments = detail.QuerySelectorAll("tr.ta-assignment-change").ToList();
        assignments.Should().HaveCount(2);
        assignments[0].GetAttribute("data-kind").Should().Be("added");
        assignments[1].TextContent.Should().Contain("protected").And.Contain("never removed");
        page.QuerySelectorAll("tr.ta-item-detail").Should().HaveCount(1, "only the linked item is open");
    }

    [Fact]
    public async Task A_conflict_shows_its_candidates_with_update_this_one_and_create_as_a_copy()
    {
        var item = fixture.Items["Edge settings"];

        var page = await PageAsync(PathOf(fixture, "detail") + $"?item={item}");

        var detail = page.QuerySelector($"tr.ta-item-detail[data-item='{item}']")!;
        detail.QuerySelectorAll(".ta-candidate").Select(c => c.GetAttribute("data-candidate")).Should().Equal("cand-a", "cand-b");
        detail.QuerySelectorAll(".ta-candidate .ta-update-candidate").Should().HaveCount(2);
        detail.QuerySelector(".ta-create-copy").Should().NotBeNull();
    }

    [Fact]
    public async Task An_unresolved_reference_is_a_blocker_with_a_picker_and_a_drop()
    {
        var blockedItem = fixture.Items["Kiosk lockdown"];

        var page = await PageAsync(PathOf(fixture, "detail") + $"?item={blockedItem}");

        page.QuerySelectorAll("#blockers .ta-blocker").Select(b => b.GetAttribute("data-source")).Should().Equal("src-group-1");
        page.QuerySelector("#blockers")!.TextContent.Should().Contain("Pilot users");
        var row = page.QuerySelector("#dependency-map tr.ta-reference[data-source='src-group-1']")!;
        row.ClassList.Should().Contain("ta-reference-blocking");
        row.QuerySelector(".ta-resolution")!.TextContent.Trim().Should().Be("unresolved");
        row.QuerySelector(".ta-group-picker").Should().NotBeNull("a group is mapped with the directory cache's picker");
        row.QuerySelector(".ta-drop-reference").Should().NotBeNull();
        var filter = page.QuerySelector("#dependency-map tr.ta-reference[data-source='src-filter-1']")!;
        filter.ClassList.Should().NotContain("ta-reference-blocking");
        filter.TextContent.Should().Contain("tgt-filter-9");
        page.QuerySelector($"tr.ta-item-detail[data-item='{blockedItem}'] .ta-item-blockers")!.TextContent.Should().Contain("Pilot users");
    }

    [Fact]
    public async Task Notification_templates_and_reusable_settings_are_in_the_dependency_map_with_readable_labels_a_picker_of_the_targets_and_a_drop()
    {
        var page = await PageAsync(PathOf(fixture, "detail"));

        var template = page.QuerySelector("#dependency-map tr.ta-reference[data-source='src-template-1']")!;
        template.QuerySelector("td")!.TextContent.Trim().Should().Be("Notification template");
        template.TextContent.Should().Contain("Noncompliant device").And.Contain("tgt-template-3");
        template.QuerySelector(".ta-reference-select").Should().NotBeNull("a template is mapped to one the plan read from the target");
        template.QuerySelector(".ta-drop-reference")!.TextContent.Trim().Should().Be("Drop its notification actions");
        var reusable = page.QuerySelector("#dependency-map tr.ta-reference[data-source='rs-1']")!;
        reusable.QuerySelector("td")!.TextContent.Trim().Should().Be("Reusable setting");
        reusable.QuerySelector(".ta-drop-reference")!.TextContent.Trim().Should().Be("Drop its setting values");
        page.QuerySelector("#dependency-map")!.TextContent.Should().Contain("Map to a notification template of the target").And.Contain("Map to a reusable setting of the target");
    }

    [Fact]
    public async Task The_targets_protected_groups_are_listed()
    {
        var page = await PageAsync(PathOf(fixture, "detail"));

        page.QuerySelectorAll("#protected-groups .ta-protected-group").Select(g => g.TextContent.Trim()).Should().Equal("Break glass admins");
    }

    [Fact]
    public async Task A_stale_plan_says_why_and_offers_plan_again()
    {
        var page = await PageAsync($"/admin/restores/{fixture.StaleRequestId}");

        page.QuerySelectorAll("#plan-stale .ta-stale-reason").Select(r => r.TextContent).Should().Contain(r => r.Contains("older than 1 h", StringComparison.Ordinal));
        page.QuerySelector("#plan-again").Should().NotBeNull();
    }
}
