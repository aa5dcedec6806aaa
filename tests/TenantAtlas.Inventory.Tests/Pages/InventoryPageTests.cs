using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Inventory.Tests.Pages;

/// <summary>Issue 6, items 3–5: the tenant inventory page (DB-only, 404/403, filters) and who may start a sync.</summary>
[Collection(InventoryCollection.Name)]
public sealed class InventoryPageTests(InventoryFixture fixture)
{
    private static string Path(Guid tenantId) => $"/admin/tenants/{tenantId}/inventory";

    private long LastGraphSequence(string emulatedTenant) =>
        fixture.Emulator.RequestLog(emulatedTenant).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

    [Fact]
    public async Task The_page_renders_the_synced_inventory_from_the_database_only()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var client = await fixture.SignedInAsync("owner@demo.test");
        var tenantName = "Emulated " + emulated.TenantId[..8];
        var before = LastGraphSequence(emulated.TenantId);
        using var outbound = new OutboundHttpRecorder();

        var html = await client.GetStringAsync(Path(tenantId));
        var filtered = await client.GetStringAsync(Path(tenantId) + "?family=configurationPolicies&platform=Windows&q=a");
        var overview = await client.GetStringAsync($"/admin/tenants/{tenantId}");

        outbound.Requests.Should().BeEmpty("pages render from the database only, never Graph or any other HTTP");
        fixture.Emulator.RequestLog(emulated.TenantId).Where(e => e.Sequence > before && e.Kind == "graph").Should().BeEmpty();
        html.Should().Contain($"<title>Inventory · {tenantName}</title>");
        html.Should().Contain("id=\"inventory-grid\"").And.Contain("ta-inventory-row");
        html.Should().Contain("data-count=\"" + fixture.PolicyFamilies.Sum(emulated.Count) + "\"");
        html.Should().Contain("Inventory as of").And.Contain("ta-as-of-link").And.NotContain("Never synced");
        html.Should().Contain("id=\"sync-inventory\"", "the owner may sync");
        html.Should().Contain($"href=\"/admin/tenants/{tenantId}\"", "the breadcrumbs lead back to the tenant");
        filtered.Should().Contain("id=\"inventory-grid\"");
        overview.Should().Contain("id=\"inventory-panel\"").And.Contain(Path(tenantId));
    }

    [Fact]
    public async Task A_never_synced_tenant_says_so_and_tells_what_to_do()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        var client = await fixture.SignedInAsync("operator@demo.test");

        var html = await client.GetStringAsync(Path(tenantId));

        html.Should().Contain("id=\"inventory-empty\"").And.Contain("Never synced — click Sync now");
        html.Should().NotContain("id=\"inventory-grid\"");
        html.Should().Contain("id=\"sync-inventory\"").And.Contain("Sync now");
        (await client.GetStringAsync($"/admin/tenants/{tenantId}")).Should().Contain("Never synced");
    }

    [Fact]
    public async Task Search_and_filters_come_from_the_database()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        await fixture.SyncAsync(tenantId);
        var name = emulated.List(GraphResourceKeys.ConfigurationPolicies)[2]["name"]!.GetValue<string>();

        var byName = await fixture.Queries.SearchAsync(new(tenantId, Text: name.ToUpperInvariant()));
        var byFamily = await fixture.Queries.SearchAsync(new(tenantId, Family: GraphResourceKeys.DeviceConfigurations, Take: 200));
        var windows = await fixture.Queries.SearchAsync(new(tenantId, Platform: "Windows", Take: 200));
        var platforms = await fixture.Queries.PlatformsAsync(tenantId);
        var secondPage = await fixture.Queries.SearchAsync(new(tenantId, Family: GraphResourceKeys.DeviceConfigurations, Skip: 50, Take: 50));

        byName.Items.Should().Contain(i => i.DisplayName == name);
        byName.Items.Should().OnlyContain(i => i.DisplayName.Contains(name, StringComparison.OrdinalIgnoreCase));
        byFamily.Total.Should().Be(emulated.Count(GraphResourceKeys.DeviceConfigurations));
        byFamily.Items.Should().OnlyContain(i => i.Family == GraphResourceKeys.DeviceConfigurations);
        windows.Items.Should().NotBeEmpty().And.OnlyContain(i => i.Platform == "Windows");
        platforms.Should().Contain("Windows");
        secondPage.Items.Should().HaveCount(50);
        secondPage.Items.Select(i => i.GraphId).Should().NotIntersectWith(byFamily.Items.Take(50).Select(i => i.GraphId));
        (await fixture.Queries.SearchAsync(new(tenantId, Text: "%"))).Total.Should().Be(0, "LIKE wildcards are searched literally");

        var client = await fixture.SignedInAsync("owner@demo.test");
        var html = await client.GetStringAsync(Path(tenantId) + "?q=" + Uri.EscapeDataString(name));
        html.Should().Contain(WebUtility.HtmlEncode(name));
        (await client.GetStringAsync(Path(tenantId) + "?q=no-such-policy-" + Guid.NewGuid())).Should().Contain("No policies match these filters.");
    }

    [Fact]
    public async Task Columns_sort_the_whole_inventory_on_the_server_and_the_order_lives_in_the_url()
    {
        // Small enough to fit one read of 200 whatever families the seed adds, large enough to sort across types.
        var (_, tenantId) = await fixture.NewTenantAsync(s =>
        {
            s.Policies = 8;
            s.FamilyCounts = new() { [GraphResourceKeys.DeviceConfigurations] = 60, [GraphResourceKeys.ConfigurationPolicies] = 30 };
        });
        await fixture.SyncAsync(tenantId);
        var whole = await fixture.Queries.SearchAsync(new(tenantId, Take: 200));
        var all = whole.Items;
        all.Should().HaveCount((int)whole.Total, "the whole inventory fits one read here").And.HaveCountGreaterThan(20);

        var newestFirst = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Sort = InventorySort.LastModified, Descending = true });
        var byType = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Sort = InventorySort.PolicyType });
        var nameDescending = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Descending = true });
        var mostAssignedPage2 = await fixture.Queries.SearchAsync(new(tenantId, Skip: 10, Take: 10) { Sort = InventorySort.Assignments, Descending = true });
        var mostAssigned = await fixture.Queries.SearchAsync(new(tenantId, Take: 200) { Sort = InventorySort.Assignments, Descending = true });

        newestFirst.Items.Where(i => i.LastModifiedAt is not null).Should().BeInDescendingOrder(i => i.LastModifiedAt);
        newestFirst.Items.SkipWhile(i => i.LastModifiedAt is not null).Should().NotContain(i => i.LastModifiedAt != null, "unknown times come last");
        // Text order is the database collation's; checked as "descending is ascending reversed" and "one block per type".
        nameDescending.Items.Select(i => i.DisplayName).Should().Equal(all.Select(i => i.DisplayName).Reverse(), "name A–Z is the default");
        var families = byType.Items.Select(i => i.Family).ToList();
        families.Zip(families.Skip(1)).Count(p => p.First != p.Second).Should().Be(families.Distinct().Count() - 1, "each policy type is one block");
        mostAssigned.Items.Where(i => i.AssignmentCount is not null).Should().BeInDescendingOrder(i => i.AssignmentCount);
        mostAssignedPage2.Items.Select(i => i.GraphId).Should().Equal(mostAssigned.Items.Skip(10).Take(10).Select(i => i.GraphId), "the order is over every item, stable across pages");

        var client = await fixture.SignedInAsync("owner@demo.test");
        var html = await client.GetStringAsync(Path(tenantId) + "?sort=modified&desc=1&family=configurationPolicies");
        html.Should().Contain("id=\"sort-modified\"").And.Contain("aria-sort=\"descending\"");
        html.Should().Contain(WebUtility.HtmlEncode($"{Path(tenantId)}?sort=modified&family=configurationPolicies"), "clicking the sorted column again turns it to ascending, keeping the filters");
        html.Should().Contain(WebUtility.HtmlEncode($"{Path(tenantId)}?sort=type&family=configurationPolicies"), "another column starts A–Z");
        (await client.GetAsync(Path(tenantId) + "?sort=bogus&desc=maybe&page=abc")).StatusCode.Should().Be(HttpStatusCode.OK, "a hand-edited URL falls back to the defaults");
    }

    [Fact]
    public async Task Non_members_get_404_and_unknown_tenants_too()
    {
        var (_, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 8);
        var outsider = await fixture.SignedInAsync("outsider@demo.test");

        var existing = await outsider.GetAsync(Path(tenantId));
        var unknown = await outsider.GetAsync(Path(Guid.NewGuid()));
        existing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        HtmlNormalizer.Normalize(await existing.Content.ReadAsStringAsync())
            .Should().Be(HtmlNormalizer.Normalize(await unknown.Content.ReadAsStringAsync()), "another workspace's tenant is indistinguishable from an unknown one");
        var anonymous = fixture.App.CreateBrowserLikeClient();
        var redirect = await anonymous.GetAsync(Path(tenantId));
        redirect.StatusCode.Should().Be(HttpStatusCode.Redirect);
        redirect.RedirectPath().Should().Contain("/Account/Login");
    }

    [Fact]
    public async Task A_readonly_member_sees_the_page_but_starting_a_sync_is_403_and_creates_no_run()
    {
        var (_, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 8);
        var reader = await fixture.SignedInAsync("readonly@demo.test");

        var page = await reader.GetAsync(Path(tenantId));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("id=\"sync-not-allowed\"").And.NotContain("id=\"sync-inventory\"");

        var start = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Readonly), new StartRequest(OperationTypes.InventorySync, tenantId));
        start.Decision.Should().Be(AccessDecision.Forbidden);
        start.Run.Should().BeNull();

        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Readonly, "inventory test", 1);
        var api = fixture.App.CreateBrowserLikeClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var response = await api.PostAsync("/api/operations", new StringContent($$"""{"type":"inventory.sync","tenantId":"{{tenantId}}"}""", Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await fixture.RunsOfTenantAsync(tenantId)).Should().Be(0);
    }

    [Fact]
    public async Task An_operator_starts_a_sync_through_the_api_and_a_second_start_returns_the_same_run()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var slow = fixture.Emulator.AddFault(GraphEmulator.FaultSpec.Latency("*", 300, emulated.TenantId));
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Operator, "inventory test", 1);
        var api = fixture.App.CreateBrowserLikeClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var body = $$"""{"type":"inventory.sync","tenantId":"{{tenantId}}"}""";
        long runId;
        try
        {
            var first = await api.PostAsync("/api/operations", new StringContent(body, Encoding.UTF8, "application/json"));
            var second = await api.PostAsync("/api/operations", new StringContent(body, Encoding.UTF8, "application/json"));

            first.StatusCode.Should().Be(HttpStatusCode.Created);
            second.StatusCode.Should().Be(HttpStatusCode.OK);
            runId = System.Text.Json.JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
            System.Text.Json.JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64().Should().Be(runId);
        }
        finally
        {
            fixture.Emulator.State.RemoveFault(slow.Id);
        }

        var done = await fixture.WaitForCompletionAsync(runId);
        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        done.Count(OperationSummaryKeys.Created).Should().Be(fixture.PolicyFamilies.Sum(emulated.Count));
    }
}
