using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Inventory.Tests.Pages;

/// <summary>
/// Issue 16, item 4: the inventory page filters by family group (<c>?group=apps</c>), the groups and their families coming
/// from the contracts; a group the page does not know is a notice and every group is shown — a 200, never a 500.
/// </summary>
[Collection(InventoryCollection.Name)]
public sealed class InventoryGroupFilterTests(InventoryFixture fixture)
{
    private static string Path(Guid tenantId) => $"/admin/tenants/{tenantId}/inventory";

    private IGraphContracts Contracts => fixture.App.Services.GetRequiredService<IGraphContracts>();

    private static async Task<IDocument> PageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{path} is a page a member may open, whatever its query says");
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The "Policy type" cell (second column) of every row shown.</summary>
    private static List<string> TypesShown(IDocument page) =>
        [.. page.QuerySelectorAll("tr.ta-inventory-row").Select(r => r.QuerySelectorAll("td")[1].TextContent.Trim())];

    private static string RangeText(IDocument page) => page.QuerySelector("#inventory-range")!.TextContent.Trim();

    [Fact]
    public async Task A_group_shows_only_the_policies_of_its_families()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s =>
        {
            s.Policies = 12;
            s.FamilyCounts = new()
            {
                [GraphResourceKeys.MobileAppConfigurations] = 5, [GraphResourceKeys.IosManagedAppProtections] = 2,
                [GraphResourceKeys.AndroidManagedAppProtections] = 1, [GraphResourceKeys.TargetedManagedAppConfigurations] = 1,
                [GraphResourceKeys.MobileApps] = 2,
                [GraphResourceKeys.DeviceConfigurations] = 6, [GraphResourceKeys.ConfigurationPolicies] = 6,
            };
        });
        (await fixture.SyncAsync(tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var apps = Contracts.PolicyFamilyGroups.Single(g => g.Group == GraphFamilyGroup.Apps);
        var appLabels = apps.Families.Select(f => f.Label).ToList();
        var expected = apps.Families.Sum(f => emulated.Count(f.Key));
        expected.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(50, "one page shows the whole group here");
        var client = await fixture.SignedInAsync("readonly@demo.test");

        var page = await PageAsync(client, Path(tenantId) + "?group=apps");
        var oneFamily = await PageAsync(client, Path(tenantId) + $"?group=apps&family={apps.Families[0].Key}");
        var mismatch = await PageAsync(client, Path(tenantId) + $"?group=compliance&family={GraphResourceKeys.ConfigurationPolicies}");
        var query = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Families = [.. apps.Families.Select(f => f.Key)] });

        page.QuerySelector("#filter-group").Should().NotBeNull("the filter bar has a group filter");
        page.QuerySelector("#inventory-unknown-group").Should().BeNull();
        TypesShown(page).Should().HaveCount(expected).And.OnlyContain(t => appLabels.Contains(t), "only the Apps group's families are listed")
            .And.Contain(appLabels, "every family of the group is listed");
        RangeText(page).Should().EndWith($"of {expected}");
        TypesShown(oneFamily).Should().HaveCount(emulated.Count(apps.Families[0].Key)).And.OnlyContain(t => t == apps.Families[0].Label);
        mismatch.QuerySelector("#inventory-no-match").Should().NotBeNull("a policy type outside the chosen group matches nothing");
        TypesShown(mismatch).Should().BeEmpty();
        query.Total.Should().Be(expected);
        query.Items.Should().OnlyContain(i => apps.Families.Any(f => f.Key == i.Family));
        (await fixture.Queries.SearchAsync(new(tenantId) { Families = [] })).Total.Should().Be(0, "an empty family list is no family, not every family");
    }

    [Fact]
    public async Task The_tenant_wide_group_lists_assignment_filters_scope_tags_and_role_definitions_built_in_ones_included()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s =>
        {
            s.Policies = 6;
            s.AssignmentFilters = 3;
            s.ScopeTags = 2;
            s.CustomRoleDefinitions = 1;
        });
        (await fixture.SyncAsync(tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        // Policy sets (issue 16, third wave) sit under Tenant-wide too: they bundle objects of every group; so do the
        // Company Portal's terms and branding and the compliance e-mails.
        string[] keys =
        [
            GraphResourceKeys.PolicySets, GraphResourceKeys.TermsAndConditions, GraphResourceKeys.NotificationMessageTemplates, GraphResourceKeys.IntuneBrandingProfiles,
            GraphResourceKeys.AssignmentFilters, GraphResourceKeys.RoleScopeTags, GraphResourceKeys.RoleDefinitions,
        ];
        var tenantWide = Contracts.PolicyFamilyGroups.Single(g => g.Group == GraphFamilyGroup.TenantWide);
        var expected = keys.Sum(emulated.Count);
        var client = await fixture.SignedInAsync("readonly@demo.test");

        var page = await PageAsync(client, Path(tenantId) + "?group=tenant-wide");
        var roles = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Families = [GraphResourceKeys.RoleDefinitions] });
        var tags = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Families = [GraphResourceKeys.RoleScopeTags] });

        tenantWide.Families.Select(f => f.Key).Should().Equal(keys, "they are backed up in their own right, under Tenant-wide");
        emulated.Count(GraphResourceKeys.PolicySets).Should().BeGreaterThan(0, "the tenant has policy sets to show");
        TypesShown(page).Should().HaveCount(expected)
            .And.Contain(["Policy sets", "Terms and conditions", "Notification message templates", "Company Portal branding", "Assignment filters", "Scope tags", "Intune role definitions"])
            .And.OnlyContain(t => tenantWide.Families.Any(f => f.Label == t));
        roles.Total.Should().Be(emulated.Count(GraphResourceKeys.RoleDefinitions));
        roles.Items.Select(i => i.DisplayName).Should().Contain("Help Desk Operator", "admins see the built-in roles too")
            .And.Contain(n => n.StartsWith("Custom - ", StringComparison.Ordinal));
        roles.Items.Should().OnlyContain(i => i.AssignmentCount == null && i.Platform == null);
        tags.Items.Select(i => i.GraphId).Should().Contain("0", "the Default scope tag is listed");
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("EndpointSecurity")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("a-group-name-far-too-long-to-be-a-group-name-of-ours-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_unknown_group_is_a_notice_and_every_group_is_shown(string group)
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 6);
        await fixture.SyncAsync(tenantId);
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync(Path(tenantId) + "?group=" + Uri.EscapeDataString(group));
        var html = await response.Content.ReadAsStringAsync();
        var page = new HtmlParser().ParseDocument(html);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "a bad group in the URL is the user's typo, not a server error");
        var notice = page.QuerySelector("#inventory-unknown-group");
        notice.Should().NotBeNull("the page says the group was not understood");
        notice!.TextContent.Should().Contain("There is no policy group").And.Contain("showing every group")
            .And.Contain("Configuration, Compliance, Endpoint security, Apps, Enrollment, Updates, Scripts, Tenant-wide, Entra");
        notice.TextContent.Should().Contain(group.Length <= 40 ? group : group[..40] + "…");
        html.Should().NotContain("<script>alert", "the value is shown as text");
        RangeText(page).Should().EndWith($"of {fixture.PolicyFamilies.Sum(emulated.Count)}", "the unknown group is ignored");
    }

    [Fact]
    public async Task A_known_group_without_families_yet_matches_nothing_without_a_notice()
    {
        var empty = GraphFamilyGroups.InOrder.Where(g => Contracts.PolicyFamilyGroups.All(x => x.Group != g)).Cast<GraphFamilyGroup?>().FirstOrDefault();
        if (empty is not { } group)
        {
            return; // every group has families: nothing to check
        }

        var (_, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 6);
        await fixture.SyncAsync(tenantId);
        var client = await fixture.SignedInAsync("owner@demo.test");

        var page = await PageAsync(client, Path(tenantId) + "?group=" + group.Key());

        page.QuerySelector("#inventory-unknown-group").Should().BeNull($"{group.Key()} is a group of ours");
        page.QuerySelector("#inventory-no-match").Should().NotBeNull("no family of the registry belongs to {0} yet", group);
        page.QuerySelector("#inventory-no-match")!.TextContent.Should().Contain("No policies match these filters");
        TypesShown(page).Should().BeEmpty();
    }
}
