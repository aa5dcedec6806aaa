using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Control;

public sealed class RequestRateTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static long sequence;

    private static RequestLogEntry Call(double atSeconds, string method = "GET", string path = "/v1.0/groups", bool batchItem = false, int status = 200) =>
        new(Interlocked.Increment(ref sequence), T0.AddSeconds(atSeconds), "graph", method, path, "t", "app", status, batchItem, null, "r", null);

    [Fact]
    public void The_busiest_window_slides_over_arrival_times_instead_of_clock_seconds()
    {
        // 3 calls late in one clock second and 3 early in the next: 6 within 1 s, though no clock second saw more than 3.
        var entries = new[] { Call(0.1), Call(0.7), Call(0.8), Call(0.9), Call(1.2), Call(1.3), Call(1.4), Call(5.0, "POST") };

        var rate = RequestRate.From("t", entries, TimeSpan.FromSeconds(1));

        rate.Requests.Should().Be(8);
        rate.Writes.Should().Be(1);
        rate.MaxInWindow.Should().Be(6);
        rate.BusiestWindowStart.Should().Be(T0.AddSeconds(0.7));
        rate.MaxWritesInWindow.Should().Be(1);
        rate.First.Should().Be(T0.AddSeconds(0.1));
        rate.Last.Should().Be(T0.AddSeconds(5));
    }

    [Fact]
    public void Batch_items_count_and_the_envelope_does_not_and_only_graph_calls_count()
    {
        var entries = new List<RequestLogEntry>
        {
            Call(0, "POST", "/v1.0/$batch"),
            Call(0, "GET", "/groups/1", batchItem: true),
            Call(0, "PATCH", "/groups/2", batchItem: true),
            Call(0.5, status: 429),
            Call(0.6) with { Kind = "token" },
        };

        var rate = RequestRate.From(null, entries, TimeSpan.FromSeconds(20));

        rate.Requests.Should().Be(3);
        rate.Writes.Should().Be(1);
        rate.Throttled.Should().Be(1);
        rate.MaxInWindow.Should().Be(3);
        RequestRate.From(null, [], TimeSpan.FromSeconds(1)).Should().Match<RequestRate>(r => r.Requests == 0 && r.MaxInWindow == 0 && r.First == null);
    }

    [Fact]
    public void Each_service_counts_only_the_calls_its_own_limit_applies_to()
    {
        var entries = new[]
        {
            Call(0.1, path: "/beta/deviceManagement/deviceConfigurations"),
            Call(0.2, path: "/v1.0/identity/conditionalAccess/policies"),
            Call(0.3, path: "/identity/conditionalAccess/namedLocations/1", batchItem: true),
            Call(0.4),
        };

        entries.Where(e => RequestRate.OfService(e, "intune")).Select(e => e.PathAndQuery)
            .Should().Equal("/beta/deviceManagement/deviceConfigurations", "/v1.0/groups");
        entries.Count(e => RequestRate.OfService(e, "conditionalAccess")).Should().Be(2);
        entries.Count(e => RequestRate.OfService(e, null)).Should().Be(4);
        FluentActions.Invoking(() => RequestRate.OfService(entries[0], "teams")).Should().Throw<ArgumentException>().WithMessage("*intune*");
    }

    [Fact]
    public async Task The_control_api_reports_a_tenants_rate_from_the_request_log()
    {
        var tenant = fixture.NewTenant();
        var other = fixture.NewTenant();
        using var control = fixture.Host.CreateClient();
        using var graph = fixture.Host.CreateClient(tenant.TenantId);
        using var otherGraph = fixture.Host.CreateClient(other.TenantId);
        for (var i = 0; i < 5; i++)
        {
            using var _ = await graph.GetAsync("v1.0/groups?$top=1");
        }

        using var __ = await otherGraph.GetAsync("v1.0/groups?$top=1");
        var batch = new JsonObject { ["requests"] = new JsonArray(Enumerable.Range(1, 3).Select(i => (JsonNode)new JsonObject { ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["method"] = "GET", ["url"] = "/groups?$top=1" }).ToArray()) };
        using var batched = await graph.PostAsJsonAsync("v1.0/$batch", batch);

        var rate = await control.GetFromJsonAsync<JsonObject>($"_emulator/requests/rate?tenantId={tenant.TenantId}&windowMs=60000");
        using var bad = await control.GetAsync("_emulator/requests/rate?windowMs=0");

        batched.StatusCode.Should().Be(HttpStatusCode.OK);
        rate!["tenantId"]!.GetValue<string>().Should().Be(tenant.TenantId);
        rate["requests"]!.GetValue<int>().Should().Be(8, "5 calls and 3 batch items, not the envelope, not the other tenant's call");
        rate["maxInWindow"]!.GetValue<int>().Should().Be(8);
        rate["windowMs"]!.GetValue<int>().Should().Be(60000);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
