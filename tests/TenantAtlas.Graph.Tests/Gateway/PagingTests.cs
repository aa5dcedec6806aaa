using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

public sealed class PagingTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task Settings_catalog_comes_in_pages_of_25_following_next_links_verbatim()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 60 });
        var id = App.AddTenant(tenant);

        var pages = await App.ListAllAsync(id, GraphResourceKeys.ConfigurationPolicies);

        pages.Select(p => p.Items.Count).Should().Equal(25, 25, 10);
        pages.Select(p => p.PageNumber).Should().Equal(1, 2, 3);
        pages.SelectMany(p => p.Items).Select(i => i.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(tenant.Ids(GraphFamilies.ConfigurationPolicies));
        pages.SelectMany(p => p.Items).Should().OnlyContain(i => i.DisplayName.Length > 0, "settings catalog's name is the display name");
        var log = fixture.GraphLog(tenant);
        log.Should().HaveCount(3);
        log[0].PathAndQuery.Should().StartWith("/beta/deviceManagement/configurationPolicies?$select=id,name,");
        log.Skip(1).Should().OnlyContain(e => e.PathAndQuery.Contains("$skiptoken=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Device_configurations_come_in_the_default_pages_of_100()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 230 });
        var id = App.AddTenant(tenant);

        var pages = await App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations);

        pages.Select(p => p.Items.Count).Should().Equal(100, 100, 30);
        pages.SelectMany(p => p.Items).Should().OnlyContain(i => i.ODataType != null && i.ODataType.StartsWith("#microsoft.graph.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task All_groups_come_in_pages_of_999()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 2100);
        var id = App.AddTenant(tenant);

        var pages = await App.ReadGroupsAsync(id);

        pages.Select(p => p.Groups.Count).Should().Equal(999, 999, 102);
        pages.Should().OnlyContain(p => p.IsFullSync && p.Removed.Count == 0);
        pages.Select(p => p.DeltaLink is not null).Should().Equal(false, false, true);
        fixture.GraphLog(tenant).Where(e => e.PathAndQuery.StartsWith("/v1.0/groups?", StringComparison.Ordinal))
            .Should().HaveCount(3).And.Subject.First().PathAndQuery.Should().Contain("$top=999");
    }

    [Fact]
    public async Task The_next_page_is_requested_only_when_the_caller_asks_for_it()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 60 });
        var id = App.AddTenant(tenant);

        await using var pages = App.Gateway.ListObjectsAsync(id, GraphResourceKeys.ConfigurationPolicies).GetAsyncEnumerator();
        (await pages.MoveNextAsync()).Should().BeTrue();
        var afterFirst = fixture.GraphLog(tenant).Count;
        (await pages.MoveNextAsync()).Should().BeTrue();
        var afterSecond = fixture.GraphLog(tenant).Count;

        afterFirst.Should().Be(1);
        afterSecond.Should().Be(2);
    }

    [Fact]
    public async Task An_empty_family_is_one_empty_page()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.WindowsAutopilotDeploymentProfiles] = 0 });
        var id = App.AddTenant(tenant);

        var pages = await App.ListAllAsync(id, GraphResourceKeys.WindowsAutopilotDeploymentProfiles);

        pages.Should().ContainSingle().Which.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Select_keeps_only_the_listed_properties_and_the_odata_type()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 5 });
        var id = App.AddTenant(tenant);

        var items = (await App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations)).SelectMany(p => p.Items).ToList();

        // Policy family listings also expand assignments (ListExpand), so inventory counts them without a call per policy.
        var allowed = new[] { "@odata.type", "id", "displayName", "description", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds", "version", "assignments", "assignments@odata.context" };
        items.Should().HaveCount(5).And.OnlyContain(i => i.Raw.All(p => allowed.Contains(p.Key)));
        items.Should().OnlyContain(i => i.Raw["assignments"] is System.Text.Json.Nodes.JsonArray);
        items.Should().OnlyContain(i => i.Raw.ContainsKey("@odata.type") && i.LastModifiedDateTime != null);
        var stored = tenant.Get(GraphFamilies.DeviceConfigurations, items[0].Id)!;
        stored.Count.Should().BeGreaterThan(items[0].Raw.Count, "the unselected properties exist but were not sent");
    }
}
