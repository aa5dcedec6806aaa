using System.Diagnostics;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator;

namespace TenantAtlas.Graph.Tests.Throttling;

public sealed class TenantConcurrencyTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private const int LatencyMs = 1500;

    [Fact]
    public async Task Requests_in_flight_per_tenant_are_bounded_in_each_process()
    {
        await using var app = fixture.NewApp(new Dictionary<string, string?> { ["Graph:MaxConcurrentRequestsPerTenant"] = "2" });
        var tenant = fixture.NewTenant();
        var other = fixture.NewTenant();
        var id = app.AddTenant(tenant);
        var otherId = app.AddTenant(other);
        await app.Gateway.ListRoleDefinitionsAsync(id);
        await app.Gateway.ListRoleDefinitionsAsync(otherId);
        // Long calls, so one round (L) and two rounds (2 L) stay apart even when test assemblies running in parallel
        // slow every request down: with 600 ms the bound was too close to scheduling noise (1.5 s seen in CI).
        fixture.Emulator.AddFault(FaultSpec.Latency("/beta/deviceManagement/roleDefinitions", LatencyMs, tenant.TenantId));
        fixture.Emulator.AddFault(FaultSpec.Latency("/beta/deviceManagement/roleDefinitions", LatencyMs, other.TenantId));

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Gateway.ListRoleDefinitionsAsync(id)));
        var bounded = watch.Elapsed;
        watch.Restart();
        await Task.WhenAll(app.Gateway.ListRoleDefinitionsAsync(id), app.Gateway.ListRoleDefinitionsAsync(otherId), app.Gateway.ListRoleDefinitionsAsync(otherId));
        var mixed = watch.Elapsed;

        bounded.Should().BeGreaterThan(TimeSpan.FromMilliseconds((2 * LatencyMs) - 10), "four calls, two at a time: two rounds");
        mixed.Should().BeLessThan(TimeSpan.FromMilliseconds(1.75 * LatencyMs), "the other tenant's permits are its own: one round, not two");
    }
}
