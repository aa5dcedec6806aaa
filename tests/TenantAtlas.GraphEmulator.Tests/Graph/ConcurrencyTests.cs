using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class ConcurrencyTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Concurrent_reads_and_writes_all_succeed_and_are_all_logged()
    {
        var tenant = fixture.NewTenant(s => s.Groups = 300);
        using var client = fixture.Host.CreateClient(tenant.TenantId);

        var reads = Enumerable.Range(0, 40).Select(async _ =>
        {
            var seen = 0;
            string? url = "v1.0/groups?$top=50";
            while (url is not null)
            {
                using var response = await client.GetAsync(url);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                var page = await response.ReadJsonAsync();
                seen += page.Values().Count;
                url = page["@odata.nextLink"]?.GetValue<string>();
            }

            return seen;
        });
        var writes = Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, "v1.0/groups", new JsonObject
            {
                ["displayName"] = $"SG-Concurrent-{i}",
                ["mailEnabled"] = false,
                ["mailNickname"] = $"sg-concurrent-{i}",
                ["securityEnabled"] = true,
            });
            return response.StatusCode;
        });

        var seen = await Task.WhenAll(reads);
        var created = await Task.WhenAll(writes);

        created.Should().OnlyContain(s => s == HttpStatusCode.Created);
        seen.Should().OnlyContain(n => n >= 300 && n <= 340);
        tenant.Count(GraphFamilies.Groups).Should().Be(340);
        fixture.Host.RequestLog(tenant.TenantId).Count(e => e.Status == 201).Should().Be(40);
    }
}
