using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class ThrottlingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task The_sdk_honours_retry_after_and_succeeds_after_two_429s()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        Host.AddFault(FaultSpec.Throttle("/v1.0/groups", retryAfterSeconds: 1, times: 2, tenantId: tenant.TenantId));
        var watch = Stopwatch.StartNew();

        var page = await client.Groups.GetAsync();

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.9));
        page!.Value.Should().NotBeEmpty();
        Host.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph").Select(e => e.Status).Should().Equal(429, 429, 200);
    }

    [Fact]
    public async Task A_429_without_retry_after_carries_no_header_and_the_sdk_backs_off_by_itself()
    {
        var tenant = fixture.NewTenant();
        Host.AddFault(FaultSpec.Throttle("/beta/deviceManagement/configurationPolicies", retryAfterSeconds: null, times: 2, tenantId: tenant.TenantId));
        using var raw = Host.CreateClient(tenant.TenantId);
        var client = GraphSdk.Client(Host, tenant);

        using var first = await raw.GetAsync("beta/deviceManagement/configurationPolicies");
        var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri($"{Host.GraphBetaUrl}/deviceManagement/configurationPolicies") };
        request.AddRequestOptions([new RetryHandlerOption { Delay = 1 }]);
        var page = await client.RequestAdapter.SendAsync(request, EntityCollectionResponse.CreateFromDiscriminatorValue, EntityCollectionResponse.ErrorMapping);

        first.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        first.Headers.RetryAfter.Should().BeNull();
        (await first.ReadJsonAsync())["error"]!["code"].Str().Should().Be("TooManyRequests");
        page!.Value.Should().NotBeEmpty();
        Host.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph").Select(e => e.Status).Should().Equal(429, 429, 200);
    }

    [Fact]
    public async Task Persistent_429_ends_in_an_aggregate_exception_of_api_exceptions()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        var rule = Host.AddFault(FaultSpec.Throttle("/v1.0/deviceManagement/*", retryAfterSeconds: 1, tenantId: tenant.TenantId));

        var failure = await Assert.ThrowsAsync<AggregateException>(() => client.DeviceManagement.DeviceConfigurations.GetAsync());

        failure.InnerExceptions.Should().NotBeEmpty().And.AllBeAssignableTo<ApiException>();
        failure.InnerExceptions.Cast<ApiException>().Should().OnlyContain(e => e.ResponseStatusCode == 429);
        failure.InnerExceptions.Should().NotContain(e => e is ODataError);
        Host.RequestLog(tenant.TenantId).Count(e => e.Status == 429).Should().Be(4, "one call and three retries");
        Host.State.FaultRules.Single(r => r.Id == rule.Id).Hits.Should().Be(4);
    }

    [Fact]
    public async Task A_storm_with_a_duration_throttles_every_call_in_its_window_and_then_passes()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        // The SDK's token is fetched before the storm, so its first call can fall inside the window on a busy machine too.
        await client.Organization.GetAsync();
        var rule = Host.AddFault(new FaultSpec { TenantId = tenant.TenantId, Pattern = "/v1.0/groups", Status = 429, RetryAfterSeconds = 1, DurationMs = 1500 });
        using var raw = Host.CreateClient(tenant.TenantId);
        var watch = Stopwatch.StartNew();

        using var first = await raw.GetAsync("v1.0/groups");
        using var second = await raw.GetAsync("v1.0/groups");
        var page = await client.Groups.GetAsync();

        first.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "every call within the window is throttled, not only the first N");
        second.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        page!.Value.Should().NotBeEmpty("the SDK's retries outlast a storm shorter than its back-off");
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.4));
        rule.EndsAt.Should().NotBeNull();
        // Which call falls inside the window depends on the machine's pace; the rule does not: every call that arrived
        // before the window's end was throttled by it, every call after it passed.
        var calls = Host.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph" && e.PathAndQuery.StartsWith("/v1.0/groups", StringComparison.Ordinal)).ToList();
        calls.Should().HaveCountGreaterThanOrEqualTo(3);
        calls[^1].Status.Should().Be(200);
        calls.Where(c => c.Timestamp < rule.EndsAt).Should().HaveCountGreaterThanOrEqualTo(2)
            .And.OnlyContain(c => c.Status == 429 && c.FaultId == rule.Id);
        calls.Where(c => c.Timestamp >= rule.EndsAt).Should().ContainSingle().Which.Status.Should().Be(200);
        Host.State.FaultRules.Single(r => r.Id == rule.Id).Remaining.Should().BeNull();
    }

    [Fact]
    public async Task A_503_then_success()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        Host.AddFault(new FaultSpec { TenantId = tenant.TenantId, Pattern = "/v1.0/groups", Status = 503, RetryAfterSeconds = 1, Times = 1 });

        var page = await client.Groups.GetAsync();

        page!.Value.Should().NotBeEmpty();
        Host.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph").Select(e => e.Status).Should().Equal(503, 200);
    }

    [Fact]
    public async Task A_504_that_never_ends_reaches_the_caller()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        Host.AddFault(FaultSpec.Fail("/beta/deviceManagement/roleScopeTags", 504, tenantId: tenant.TenantId));

        using var first = await client.GetAsync("beta/deviceManagement/roleScopeTags");
        using var second = await client.GetAsync("beta/deviceManagement/roleScopeTags");

        first.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        second.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
    }

    [Fact]
    public async Task Regex_faults_hit_only_matching_paths_and_latency_slows_calls_down()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { ["groupPolicyConfigurations"] = 2 });
        using var client = Host.CreateClient(tenant.TenantId);
        Host.AddFault(new FaultSpec { TenantId = tenant.TenantId, Pattern = "/definitionValues/[^/]+/presentationValues$", IsRegex = true, Status = 429, RetryAfterSeconds = 7 });
        Host.AddFault(FaultSpec.Latency("/beta/deviceManagement/groupPolicyConfigurations", 300, tenant.TenantId));
        var policy = (await client.GetJsonAsync("beta/deviceManagement/groupPolicyConfigurations")).Values()[0]!["id"].Str();
        var values = await client.GetJsonAsync($"beta/deviceManagement/groupPolicyConfigurations/{policy}/definitionValues");
        var watch = Stopwatch.StartNew();

        using var list = await client.GetAsync("beta/deviceManagement/groupPolicyConfigurations");
        var elapsed = watch.Elapsed;
        using var presentations = await client.GetAsync($"beta/deviceManagement/groupPolicyConfigurations/{policy}/definitionValues/{values.Values()[0]!["id"]}/presentationValues");

        list.StatusCode.Should().Be(HttpStatusCode.OK);
        elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(280));
        presentations.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        presentations.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Faults_for_one_tenant_leave_other_tenants_alone()
    {
        var throttled = fixture.NewTenant();
        var other = fixture.NewTenant();
        Host.AddFault(FaultSpec.Throttle("*", 30, tenantId: throttled.TenantId));
        using var throttledClient = Host.CreateClient(throttled.TenantId);
        using var otherClient = Host.CreateClient(other.TenantId);

        using var blocked = await throttledClient.GetAsync("v1.0/groups");
        using var fine = await otherClient.GetAsync("v1.0/groups");

        blocked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        fine.StatusCode.Should().Be(HttpStatusCode.OK);
        Host.ClearFaults(throttled.TenantId);
        using var after = await throttledClient.GetAsync("v1.0/groups");
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }
    [Fact]
    public async Task The_documented_write_limit_answers_429_with_retry_after_beyond_it_while_reads_pass_and_refused_calls_do_not_count()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.WriteLimit = 3;
            s.RequestLimit = 8;
            s.LimitWindowSeconds = 20;
        });
        var id = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        using var client = Host.CreateClient(tenant.TenantId);
        async Task<HttpResponseMessage> PatchAsync() =>
            await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceManagement/deviceConfigurations/{id}", new JsonObject { ["description"] = "x" });

        var writes = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            writes.Add(await PatchAsync());
        }

        var reads = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            reads.Add(await client.GetAsync("beta/deviceManagement/deviceConfigurations"));
        }

        writes.Take(3).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.NoContent);
        writes.Skip(3).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var retryAfter = writes[3].Headers.RetryAfter!.Delta!.Value;
        retryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(20));
        (await writes[3].ReadJsonAsync())["error"]!["code"].Str().Should().Be("TooManyRequests");
        reads.Take(5).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK, "3 admitted writes + 5 reads = the 8 calls of the window; the 2 refused writes did not count");
        reads[5].StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the ninth admitted call would exceed the request limit");
        Host.RequestLog(tenant.TenantId).Count(e => e.Status == 429).Should().Be(3);
        foreach (var response in writes.Concat(reads))
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Without_limits_in_the_spec_nothing_is_throttled()
    {
        var tenant = fixture.NewTenant();
        var id = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        using var client = Host.CreateClient(tenant.TenantId);

        for (var i = 0; i < 120; i++)
        {
            using var response = await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceManagement/deviceConfigurations/{id}", new JsonObject { ["description"] = $"x{i}" });
            response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }
    }
}
