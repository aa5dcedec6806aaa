using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

/// <summary>GraphEmulator:LatencyMs: each Graph round trip waits a uniformly random time in the range; off by default.</summary>
public sealed class LatencyTests
{
    private static TenantSpec Tenant() => new()
    {
        TenantId = Guid.NewGuid().ToString(),
        AppId = Guid.NewGuid().ToString(),
        AppSecret = "latency",
        Groups = 5,
        Policies = 10,
    };

    [Fact]
    public async Task Every_graph_call_waits_at_least_the_minimum_and_a_batch_is_one_round_trip()
    {
        var spec = Tenant();
        await using var host = await GraphEmulatorHost.StartAsync(new GraphEmulatorOptions { Tenants = [spec], LatencyMs = "150-200" });
        using var client = host.CreateClient(spec.TenantId);
        using (var warm = await client.GetAsync("v1.0/groups"))
        {
            warm.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var single = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync("beta/deviceManagement/deviceConfigurations");
            single.Add(watch.Elapsed);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var batch = new JsonObject
        {
            ["requests"] = new JsonArray([.. Enumerable.Range(1, 10).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["method"] = "GET", ["url"] = "/deviceManagement/deviceConfigurations",
            })]),
        };
        var batchWatch = Stopwatch.StartNew();
        using var batchResponse = await client.SendJsonAsync(HttpMethod.Post, "beta/$batch", batch);
        var batchTime = batchWatch.Elapsed;

        single.Should().OnlyContain(t => t >= TimeSpan.FromMilliseconds(150), "each call waits at least the range's minimum");
        batchResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        batchTime.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150))
            .And.BeLessThan(TimeSpan.FromMilliseconds(1000), "ten items in one $batch are one round trip, not ten (10 × 150 ms)");
    }

    [Fact]
    public async Task Without_the_setting_calls_are_not_delayed()
    {
        var spec = Tenant();
        await using var host = await GraphEmulatorHost.StartAsync(new GraphEmulatorOptions { Tenants = [spec] });
        using var client = host.CreateClient(spec.TenantId);
        using (await client.GetAsync("v1.0/groups"))
        {
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("v1.0/groups");
        }

        host.State.Latency.IsNone.Should().BeTrue();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(800), "ten calls on loopback without latency");
    }

    [Theory]
    [InlineData("80-200", 80, 200)]
    [InlineData(" 80 - 200 ", 80, 200)]
    [InlineData("100", 100, 100)]
    [InlineData("", 0, 0)]
    [InlineData(null, 0, 0)]
    public void The_setting_reads_a_range_or_one_number(string? text, int min, int max) =>
        LatencyRange.Parse(text).Should().Be(new LatencyRange(min, max));

    [Theory]
    [InlineData("200-80", "the minimum is larger than the maximum")]
    [InlineData("fast", "must be milliseconds as 'MIN-MAX'")]
    [InlineData("-5", "must be milliseconds as 'MIN-MAX'")]
    [InlineData("1-2-3", "must be milliseconds as 'MIN-MAX'")]
    public void A_bad_setting_is_refused_at_start_with_the_reason(string text, string reason)
    {
        var start = () => new EmulatorState(new GraphEmulatorOptions { LatencyMs = text });

        start.Should().Throw<ArgumentException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void Samples_are_spread_over_the_whole_range_and_never_outside_it()
    {
        var range = LatencyRange.Parse("80-200");
        var random = new Random(7);

        var samples = Enumerable.Range(0, 5000).Select(_ => range.Sample(random).TotalMilliseconds).ToList();

        samples.Should().OnlyContain(ms => ms >= 80 && ms <= 200);
        samples.Min().Should().Be(80);
        samples.Max().Should().Be(200);
        samples.Average().Should().BeApproximately(range.MeanMs, 3);
    }
}
