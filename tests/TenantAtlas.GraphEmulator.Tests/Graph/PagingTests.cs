using System.Diagnostics;
using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class PagingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task Settings_catalog_pages_of_25_through_the_page_iterator()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 60 });
        var client = GraphSdk.Client(Host, tenant);
        var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri($"{Host.GraphBetaUrl}/deviceManagement/configurationPolicies") };
        var firstPage = await client.RequestAdapter.SendAsync(request, EntityCollectionResponse.CreateFromDiscriminatorValue, EntityCollectionResponse.ErrorMapping);

        var ids = new List<string>();
        var iterator = PageIterator<Entity, EntityCollectionResponse>.CreatePageIterator(client, firstPage!, entity =>
        {
            ids.Add(entity.Id!);
            return true;
        });
        await iterator.IterateAsync();

        firstPage!.Value.Should().HaveCount(25);
        firstPage.OdataNextLink.Should().StartWith($"{Host.GraphBetaUrl}/deviceManagement/configurationPolicies?$skiptoken=");
        ids.Should().HaveCount(60).And.OnlyHaveUniqueItems().And.BeEquivalentTo(tenant.Ids(GraphFamilies.ConfigurationPolicies));
        Host.RequestLog(tenant.TenantId).Count(e => e.Kind == "graph").Should().Be(3);
    }

    [Fact]
    public async Task Groups_page_at_100_by_default_and_999_with_top()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 2_100);
        var client = GraphSdk.Client(Host, tenant);

        var byDefault = await IterateGroupsAsync(client, await client.Groups.GetAsync());
        var sequence = Host.RequestLog(tenant.TenantId).Max(e => e.Sequence);
        var withTop = await IterateGroupsAsync(client, await client.Groups.GetAsync(r => r.QueryParameters.Top = 999));

        byDefault.Pages.Should().Equal(Enumerable.Repeat(100, 21));
        withTop.Pages.Should().Equal(999, 999, 102);
        withTop.Ids.Should().HaveCount(2_100).And.OnlyHaveUniqueItems();
        var later = Host.RequestLog(tenant.TenantId, sequence).Where(e => e.Kind == "graph").ToList();
        later.Should().HaveCount(3);
        later.Skip(1).Should().OnlyContain(e => e.PathAndQuery.Contains("$top=999", StringComparison.Ordinal) && e.PathAndQuery.Contains("$skiptoken=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Count_comes_only_on_the_first_page()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 250);
        var client = GraphSdk.Client(Host, tenant);

        var first = await client.Groups.GetAsync(r =>
        {
            r.QueryParameters.Count = true;
            r.Headers.Add("ConsistencyLevel", "eventual");
        });
        var second = await client.Groups.WithUrl(first!.OdataNextLink!).GetAsync(r => r.Headers.Add("ConsistencyLevel", "eventual"));

        first.OdataCount.Should().Be(250);
        second!.OdataCount.Should().BeNull();
        second.Value.Should().HaveCount(100);
    }

    [Fact]
    public async Task Directory_refuses_count_without_eventual_consistency_and_top_over_999()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);

        using var count = await client.GetAsync("v1.0/groups?$count=true");
        using var top = await client.GetAsync("v1.0/groups?$top=1000");

        count.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await count.ReadJsonAsync())["error"]!["code"].Str().Should().Be("Request_BadRequest");
        top.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await top.ReadJsonAsync())["error"]!["message"].Str().Should().Be("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    }

    [Fact]
    public async Task A_tampered_skip_token_is_a_bad_request()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 150);
        using var client = Host.CreateClient(tenant.TenantId);
        var first = await client.GetJsonAsync("v1.0/groups");
        var next = first["@odata.nextLink"].Str();

        using var response = await client.GetAsync(next[..^3] + (next[^3] == 'A' ? "B" : "A") + next[^2..]);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Twenty_thousand_policies_page_through_to_the_end()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.Groups = 200;
            s.Policies = 0;
            s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 20_000 };
        });
        using var client = Host.CreateClient(tenant.TenantId);
        var seen = 0;
        string? url = "beta/deviceManagement/deviceConfigurations?$top=1000&$expand=assignments";
        while (url is not null)
        {
            var page = await client.GetJsonAsync(url);
            seen += page.Values().Count;
            url = page["@odata.nextLink"]?.GetValue<string>();
        }

        // Speed is for benchmarks, not asserted here: a loaded CI machine would make a timed test flaky.
        seen.Should().Be(20_000);
    }

    private static async Task<(List<int> Pages, List<string> Ids)> IterateGroupsAsync(GraphServiceClient client, GroupCollectionResponse? first)
    {
        var pages = new List<int>();
        var ids = new List<string>();
        var page = first;
        while (page is not null)
        {
            pages.Add(page.Value!.Count);
            ids.AddRange(page.Value.Select(g => g.Id!));
            page = page.OdataNextLink is { } next ? await client.Groups.WithUrl(next).GetAsync() : null;
        }

        return (pages, ids);
    }
}
