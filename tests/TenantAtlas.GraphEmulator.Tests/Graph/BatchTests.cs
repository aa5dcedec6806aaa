using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class BatchTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    private static JsonObject Get(string id, string url) => new() { ["id"] = id, ["method"] = "GET", ["url"] = url };

    [Fact]
    public async Task One_item_is_throttled_on_its_own_with_its_own_retry_after()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 3 });
        using var client = Host.CreateClient(tenant.TenantId);
        var policies = tenant.Ids(GraphFamilies.GroupPolicyConfigurations);
        Host.AddFault(FaultSpec.Throttle($"/beta/deviceManagement/groupPolicyConfigurations/{policies[1]}/definitionValues", 5, times: 1, tenant.TenantId));
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(policies.Select((id, i) =>
                (JsonNode)Get((i + 1).ToString(), $"/deviceManagement/groupPolicyConfigurations/{id}/definitionValues?$expand=definition")).ToArray()),
        };

        using var response = await client.SendJsonAsync(HttpMethod.Post, "beta/$batch", batch);
        var responses = (await response.ReadJsonAsync())["responses"]!.AsArray();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        responses.Select(r => r!["id"].Str()).Should().BeEquivalentTo("1", "2", "3");
        var throttled = responses.Single(r => r!["id"].Str() == "2")!;
        throttled["status"]!.GetValue<int>().Should().Be(429);
        throttled["headers"]!["Retry-After"].Str().Should().Be("5");
        throttled["body"]!["error"]!["code"].Str().Should().Be("TooManyRequests");
        responses.Where(r => r!["id"].Str() != "2").Should().OnlyContain(r => r!["status"]!.GetValue<int>() == 200 && r["body"]!["value"]!.AsArray().Count > 0);
        var log = Host.RequestLog(tenant.TenantId);
        log.Where(e => e.IsBatchItem).Select(e => e.Status).Should().BeEquivalentTo([200, 429, 200]);
        log.Should().ContainSingle(e => !e.IsBatchItem && e.PathAndQuery == "/beta/$batch" && e.Status == 200);
    }

    [Fact]
    public async Task Responses_come_out_of_order_the_same_way_every_time()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        var batch = new JsonObject { ["requests"] = new JsonArray(Enumerable.Range(1, 12).Select(i => (JsonNode)Get(i.ToString(), "/groups?$top=1")).ToArray()) };

        async Task<List<string>> OrderAsync()
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, "v1.0/$batch", batch.DeepClone());
            return (await response.ReadJsonAsync())["responses"]!.AsArray().Select(r => r!["id"].Str()).ToList();
        }

        var first = await OrderAsync();
        var second = await OrderAsync();

        first.Should().BeEquivalentTo(Enumerable.Range(1, 12).Select(i => i.ToString()));
        first.Should().NotEqual(Enumerable.Range(1, 12).Select(i => i.ToString()));
        second.Should().Equal(first);
    }

    [Fact]
    public async Task More_than_twenty_requests_is_a_bad_request()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        var batch = new JsonObject { ["requests"] = new JsonArray(Enumerable.Range(1, 21).Select(i => (JsonNode)Get(i.ToString(), "/groups")).ToArray()) };

        using var response = await client.SendJsonAsync(HttpMethod.Post, "v1.0/$batch", batch);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["error"]!["code"].Str().Should().Be("BadRequest");
        Host.RequestLog(tenant.TenantId).Should().NotContain(e => e.IsBatchItem);
    }

    [Fact]
    public async Task A_failed_dependency_gives_424()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        var batch = new JsonObject
        {
            ["requests"] = new JsonArray(
                Get("1", $"/groups/{Guid.NewGuid()}"),
                new JsonObject { ["id"] = "2", ["method"] = "GET", ["url"] = "/groups", ["dependsOn"] = new JsonArray("1") },
                new JsonObject { ["id"] = "3", ["method"] = "GET", ["url"] = "/groups?$top=2", ["dependsOn"] = new JsonArray("2") },
                Get("4", "/groups?$top=1")),
        };

        using var response = await client.SendJsonAsync(HttpMethod.Post, "v1.0/$batch", batch);
        var statuses = (await response.ReadJsonAsync())["responses"]!.AsArray().ToDictionary(r => r!["id"].Str(), r => r!["status"]!.GetValue<int>());

        statuses.Should().Equal(new Dictionary<string, int> { ["1"] = 404, ["2"] = 424, ["3"] = 424, ["4"] = 200 });
    }

    [Fact]
    public async Task The_sdk_batch_content_round_trips()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        var groupId = tenant.Ids(GraphFamilies.Groups)[0];
        var batch = new BatchRequestContentCollection(client);
        var groupsStep = await batch.AddBatchRequestStepAsync(client.Groups.ToGetRequestInformation(r => r.QueryParameters.Top = 5));
        var groupStep = await batch.AddBatchRequestStepAsync(client.Groups[groupId].ToGetRequestInformation());

        var response = await client.Batch.PostAsync(batch);
        var groups = await response.GetResponseByIdAsync<GroupCollectionResponse>(groupsStep);
        var group = await response.GetResponseByIdAsync<Group>(groupStep);

        groups.Value.Should().HaveCount(5);
        group.Id.Should().Be(groupId);
    }
}
