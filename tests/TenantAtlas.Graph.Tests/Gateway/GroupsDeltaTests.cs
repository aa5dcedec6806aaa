using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

public sealed class GroupsDeltaTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task A_full_read_returns_every_group_and_the_delta_link_on_its_last_page()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 40);
        var id = App.AddTenant(tenant);

        var pages = await App.ReadGroupsAsync(id);

        var groups = pages.SelectMany(p => p.Groups).ToList();
        groups.Select(g => g.Id).Should().BeEquivalentTo(tenant.Ids(GraphFamilies.Groups));
        groups.Should().OnlyContain(g => g.DisplayName != null && g.SecurityEnabled != null && g.MailEnabled != null);
        groups.Should().Contain(g => g.IsMicrosoft365).And.Contain(g => g.IsDynamic);
        pages.Last().DeltaLink.Should().StartWith($"{fixture.Emulator.GraphV1Url}/groups/delta?$deltatoken=");
        var log = fixture.GraphLog(tenant);
        log[0].PathAndQuery.Should().Be("/v1.0/groups/delta?$select=id,displayName,description,mail,groupTypes,securityEnabled,mailEnabled&$deltatoken=latest");
        log[1].PathAndQuery.Should().Be("/v1.0/groups?$select=id,displayName,description,mail,groupTypes,securityEnabled,mailEnabled&$top=999");
    }

    [Fact]
    public async Task The_delta_link_returns_additions_changes_and_removals()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        var deltaLink = (await App.ReadGroupsAsync(id)).Last().DeltaLink!;
        var ids = tenant.Ids(GraphFamilies.Groups);
        var added = tenant.AddGroup("SG-Added", securityEnabled: true);
        tenant.RenameGroup(ids[0], "SG-Renamed");
        tenant.DeleteGroup(ids[1]);
        tenant.DeleteGroup(ids[2], permanent: true);

        var pages = await App.ReadGroupsAsync(id, deltaLink);

        pages.Should().OnlyContain(p => !p.IsFullSync);
        var groups = pages.SelectMany(p => p.Groups).ToList();
        groups.Select(g => (g.Id, g.DisplayName)).Should().BeEquivalentTo(new[] { (added["id"]!.GetValue<string>(), "SG-Added"), (ids[0], "SG-Renamed") });
        groups.Single(g => g.DisplayName == "SG-Added").SecurityEnabled.Should().BeTrue("the selected properties come with a change");
        pages.SelectMany(p => p.Removed).Should().BeEquivalentTo(new[] { new GraphRemovedGroup(ids[1], "changed"), new GraphRemovedGroup(ids[2], "deleted") });
        pages.Last().DeltaLink.Should().NotBe(deltaLink);
    }

    [Fact]
    public async Task Nothing_changed_gives_an_empty_page_and_a_new_delta_link()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        var deltaLink = (await App.ReadGroupsAsync(id)).Last().DeltaLink!;

        var pages = await App.ReadGroupsAsync(id, deltaLink);

        pages.Should().ContainSingle().Which.Should().Match<GraphGroupPage>(p => p.Groups.Count == 0 && p.Removed.Count == 0 && p.DeltaLink != null);
    }

    [Fact]
    public async Task A_change_made_during_the_full_read_is_reported_by_the_next_delta_read()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 1500);
        var id = App.AddTenant(tenant);
        var pages = new List<GraphGroupPage>();
        await foreach (var page in App.Gateway.ReadGroupsAsync(id))
        {
            pages.Add(page);
            if (pages.Count == 1)
            {
                tenant.RenameGroup(tenant.Ids(GraphFamilies.Groups)[0], "SG-Renamed-Meanwhile");
            }
        }

        var changes = await App.ReadGroupsAsync(id, pages.Last().DeltaLink);

        changes.SelectMany(p => p.Groups).Select(g => g.DisplayName).Should().Contain("SG-Renamed-Meanwhile");
    }

    [Fact]
    public async Task An_expired_delta_link_asks_for_a_full_resync_which_then_works()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        var deltaLink = (await App.ReadGroupsAsync(id)).Last().DeltaLink!;
        fixture.Emulator.ExpireDeltaTokens(tenant.TenantId);

        var expired = await Assert.ThrowsAsync<GraphDeltaExpiredException>(() => App.ReadGroupsAsync(id, deltaLink));
        var resync = await App.ReadGroupsAsync(id);

        expired.Kind.Should().Be(GraphFailureKind.DeltaExpired);
        expired.HttpStatus.Should().Be(410);
        expired.ErrorCode.Should().Be("resyncRequired");
        expired.IsRetryable.Should().BeFalse();
        expired.TenantId.Should().Be(id);
        expired.RequestId.Should().Be(fixture.GraphLog(tenant).Single(e => e.Status == 410).RequestId);
        resync.SelectMany(p => p.Groups).Should().HaveCount(tenant.Count(GraphFamilies.Groups));
    }

    [Fact]
    public async Task A_delta_link_of_another_endpoint_asks_for_a_full_resync_without_sending_anything()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);

        var foreign = await Assert.ThrowsAsync<GraphDeltaExpiredException>(
            () => App.ReadGroupsAsync(id, "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=abc"));
        var notDelta = await Assert.ThrowsAsync<GraphDeltaExpiredException>(
            () => App.ReadGroupsAsync(id, $"{fixture.Emulator.GraphBetaUrl}/deviceManagement/roleScopeTags"));

        foreign.ErrorCode.Should().Be("deltaLinkNotUsable");
        notDelta.ErrorCode.Should().Be("deltaLinkNotUsable");
        fixture.GraphLog(tenant).Should().BeEmpty();
    }
}
