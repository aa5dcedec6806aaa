using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Registry;

public sealed class RequestsMatchRegistryTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    [Fact]
    public async Task Every_request_the_gateway_sends_matches_a_registry_entry()
    {
        var app = fixture.App;
        var tenant = fixture.NewTenant(s =>
        {
            s.Groups = 150;
            s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 30, [GraphFamilies.GroupPolicyConfigurations] = 3 };
        });
        var id = app.AddTenant(tenant);

        await app.Gateway.VerifyConnectionAsync(id);
        var deltaLink = (await app.ReadGroupsAsync(id)).Last().DeltaLink;
        tenant.AddGroup("SG-Late");
        await app.ReadGroupsAsync(id, deltaLink);
        await app.Gateway.ListRoleDefinitionsAsync(id);
        // A retired family is read by nothing any more (schedules moved off it; inventory and pickers leave it out).
        foreach (var resource in app.Contracts.All.Where(c => c.Kind != GraphResourceKind.DirectoryObject && !c.Retired))
        {
            var pages = await app.ListAllAsync(id, resource.Key);
            if (resource.Kind == GraphResourceKind.PolicyFamily && pages.SelectMany(p => p.Items).FirstOrDefault() is { } first)
            {
                await app.Gateway.GetPolicyAsync(id, resource.Key, first.Id);
            }
        }

        var log = fixture.GraphLog(tenant);
        var registry = app.Get<GraphContractRegistry>();
        log.Should().HaveCountGreaterThan(30);
        log.Should().Contain(e => e.IsBatchItem).And.Contain(e => e.PathAndQuery.Contains("$skiptoken", StringComparison.Ordinal))
            .And.Contain(e => e.PathAndQuery.Contains("$deltatoken", StringComparison.Ordinal));
        log.Where(e => registry.Match(e.Method, e.PathAndQuery) is null).Select(e => $"{e.Method} {e.PathAndQuery}").Should().BeEmpty();
        log.Should().OnlyContain(e => e.Status == 200);
    }
}
