using Microsoft.Graph;
using Microsoft.Graph.Groups.Delta;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class DeltaTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task Initial_sync_pages_with_skip_tokens_and_ends_with_a_delta_link()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 230);
        var client = GraphSdk.Client(Host, tenant);

        var (groups, links, deltaLink) = await SyncAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync());

        groups.Select(g => g.Id).Should().HaveCount(230).And.OnlyHaveUniqueItems();
        links.Should().HaveCount(2).And.OnlyContain(l => l.StartsWith($"{Host.GraphV1Url}/groups/delta?$skiptoken=", StringComparison.Ordinal));
        deltaLink.Should().StartWith($"{Host.GraphV1Url}/groups/delta?$deltatoken=");
        Host.RequestLog(tenant.TenantId).First(e => e.Kind == "graph").PathAndQuery.Should().Be("/v1.0/groups/delta()");
    }

    [Fact]
    public async Task A_delta_link_returns_only_changes_including_removals()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        var (_, _, deltaLink) = await SyncAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync());
        var ids = tenant.Ids(GraphFamilies.Groups);
        var added = tenant.AddGroup("SG-New-Group");
        tenant.RenameGroup(ids[0], "SG-Renamed");
        tenant.DeleteGroup(ids[1]);
        tenant.DeleteGroup(ids[2], permanent: true);

        var (changes, _, nextDeltaLink) = await SyncAsync(client, await client.Groups.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());
        var (nothing, _, _) = await SyncAsync(client, await client.Groups.Delta.WithUrl(nextDeltaLink).GetAsDeltaGetResponseAsync());

        changes.Should().HaveCount(4);
        changes.Single(g => g.Id == added["id"].Str()).DisplayName.Should().Be("SG-New-Group");
        changes.Single(g => g.Id == ids[0]).DisplayName.Should().Be("SG-Renamed");
        Removed(changes.Single(g => g.Id == ids[1])).Should().Be("changed");
        Removed(changes.Single(g => g.Id == ids[2])).Should().Be("deleted");
        nextDeltaLink.Should().NotBe(deltaLink);
        nothing.Should().BeEmpty();
    }

    [Fact]
    public async Task Select_is_given_once_and_kept_by_the_links()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 150);
        var client = GraphSdk.Client(Host, tenant);
        var (initial, _, deltaLink) = await SyncAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync(r => r.QueryParameters.Select = ["displayName"]));
        tenant.RenameGroup(tenant.Ids(GraphFamilies.Groups)[3], "SG-Selected");

        var (changes, _, _) = await SyncAsync(client, await client.Groups.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());

        deltaLink.Should().NotContain("select");
        initial.Should().HaveCount(150).And.OnlyContain(g => g.Id != null && g.DisplayName != null && g.SecurityEnabled == null);
        changes.Should().ContainSingle().Which.Should().Match<Group>(g => g.DisplayName == "SG-Selected" && g.MailEnabled == null);
    }

    [Fact]
    public async Task Latest_returns_a_delta_link_and_no_data()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);

        var latest = await client.Groups.Delta.WithUrl($"{Host.GraphV1Url}/groups/delta?$deltatoken=latest").GetAsDeltaGetResponseAsync();
        tenant.AddGroup("SG-After-Latest");
        var (changes, _, _) = await SyncAsync(client, await client.Groups.Delta.WithUrl(latest!.OdataDeltaLink!).GetAsDeltaGetResponseAsync());

        latest.Value.Should().BeEmpty();
        latest.OdataNextLink.Should().BeNull();
        changes.Select(g => g.DisplayName).Should().Equal("SG-After-Latest");
    }

    [Fact]
    public async Task Expired_and_unknown_tokens_answer_410_gone()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        var (_, _, deltaLink) = await SyncAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync());
        Host.ExpireDeltaTokens(tenant.TenantId);

        var expired = await Assert.ThrowsAsync<ODataError>(() => client.Groups.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());
        var unknown = await Assert.ThrowsAsync<ODataError>(() =>
            client.Groups.Delta.WithUrl($"{Host.GraphV1Url}/groups/delta?$deltatoken=bm90LWEtdG9rZW4").GetAsDeltaGetResponseAsync());
        var (resynced, _, _) = await SyncAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync());

        expired.ResponseStatusCode.Should().Be(410);
        expired.Error!.Code.Should().Be("resyncRequired");
        unknown.ResponseStatusCode.Should().Be(410);
        unknown.Error!.Code.Should().Be("syncStateNotFound");
        resynced.Should().HaveCount(tenant.Count(GraphFamilies.Groups));
    }

    [Fact]
    public async Task A_tenant_reset_invalidates_its_delta_links()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        var (_, _, deltaLink) = await SyncAsync(client, await client.Groups.Delta.GetAsDeltaGetResponseAsync());
        Host.State.ResetTenant(tenant.TenantId);

        var error = await Assert.ThrowsAsync<ODataError>(() => GraphSdk.Client(Host, Host.Tenant(tenant.TenantId)).Groups.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync());

        error.ResponseStatusCode.Should().Be(410);
    }

    private static string? Removed(Group group) =>
        group.AdditionalData.TryGetValue("@removed", out var removed) && removed is Microsoft.Kiota.Abstractions.Serialization.UntypedObject value
            ? (value.GetValue()["reason"] as Microsoft.Kiota.Abstractions.Serialization.UntypedString)?.GetValue()
            : null;

    private static async Task<(List<Group> Groups, List<string> NextLinks, string DeltaLink)> SyncAsync(GraphServiceClient client, DeltaGetResponse? page)
    {
        var groups = new List<Group>();
        var links = new List<string>();
        while (true)
        {
            groups.AddRange(page!.Value!);
            if (page.OdataNextLink is { } next)
            {
                links.Add(next);
                page = await client.Groups.Delta.WithUrl(next).GetAsDeltaGetResponseAsync();
                continue;
            }

            return (groups, links, page.OdataDeltaLink!);
        }
    }
}
