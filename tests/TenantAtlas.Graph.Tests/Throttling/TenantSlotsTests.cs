using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;

namespace TenantAtlas.Graph.Tests.Throttling;

public sealed class TenantSlotsTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private static readonly Dictionary<string, string?> TwoSlots = new()
    {
        ["Graph:WorkSlotsPerTenant"] = "2",
        ["Graph:WorkSlotWait"] = "00:00:00.300",
    };

    [Fact]
    public async Task Work_slots_bound_a_tenant_across_processes()
    {
        await using var first = fixture.NewApp(TwoSlots);
        await using var second = fixture.NewApp(TwoSlots);
        var tenantId = Guid.NewGuid();

        var a = await first.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);
        var b = await first.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);
        var none = await second.Slots.TryAcquireAsync(tenantId, TimeSpan.FromMilliseconds(300));
        var busy = await Assert.ThrowsAsync<GraphRequestException>(() => second.Slots.AcquireAsync(tenantId));
        var otherTenant = await second.Slots.TryAcquireAsync(Guid.NewGuid(), TimeSpan.Zero);
        var waiting = second.Slots.TryAcquireAsync(tenantId, TimeSpan.FromSeconds(5));
        await a!.DisposeAsync();
        var freed = await waiting;

        b.Should().NotBeNull();
        none.Should().BeNull();
        busy.Kind.Should().Be(GraphFailureKind.TenantBusy);
        busy.IsRetryable.Should().BeTrue();
        otherTenant.Should().NotBeNull();
        freed.Should().NotBeNull("a released slot is free for the other process");
        await b!.DisposeAsync();
        await otherTenant!.DisposeAsync();
        await freed!.DisposeAsync();
    }

    [Fact]
    public async Task A_process_that_dies_loses_its_slots()
    {
        await using var survivor = fixture.NewApp(TwoSlots);
        var tenantId = Guid.NewGuid();
        var dying = fixture.NewApp(TwoSlots);
        await dying.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);
        await dying.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);
        (await survivor.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero)).Should().BeNull();

        // The leases are never disposed: terminating their sessions is what a crash does.
        await fixture.Database.ExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        var lease = await survivor.Slots.TryAcquireAsync(tenantId, TimeSpan.FromSeconds(2));

        lease.Should().NotBeNull();
        await lease!.DisposeAsync();
        await dying.DisposeAsync();
    }
}
