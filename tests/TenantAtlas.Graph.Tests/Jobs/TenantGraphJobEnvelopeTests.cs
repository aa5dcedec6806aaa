using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Graph.Tests.Jobs;

/// <summary>
/// Issue 11, item 4: the frame every tenant Graph job runs in, against the real gateway, the emulator and PostgreSQL work
/// slots. What it writes is what the groups and role definitions syncs wrote before it existed (same codes, messages,
/// items, summary keys); the inventory sync and the backup map a busy tenant from its <see cref="TenantGraphWorkEnd"/>.
/// </summary>
public sealed class TenantGraphJobEnvelopeTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    /// <summary>One slot per tenant and a short wait, so a test can hold the tenant's only slot and see "busy" quickly.</summary>
    private static readonly Dictionary<string, string?> OneSlot = new()
    {
        ["Graph:WorkSlotsPerTenant"] = "1",
        ["Graph:WorkSlotWait"] = "00:00:00.300",
    };

    private static TenantGraphWork ListDeviceConfigurations(GraphTestApp app) =>
        new(async (tenant, ct) =>
        {
            await foreach (var page in app.Gateway.ListObjectsAsync(tenant.TenantId, GraphResourceKeys.DeviceConfigurations, ct))
            {
                _ = page;
            }
        })
        { FailureItem = "deviceConfigurations" };

    [Fact]
    public async Task A_run_that_names_no_tenant_fails_with_invalid_input_and_nothing_runs()
    {
        var run = new FakeRunContext(tenantId: null);
        var ran = false;
        var work = new TenantGraphWork((_, _) => { ran = true; return Task.CompletedTask; }) { BeforeSlot = _ => { ran = true; return Task.CompletedTask; } };

        var end = await fixture.App.Get<ITenantGraphJobEnvelope>().RunAsync(run, work, CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.NoTenant);
        run.Failures.Should().Equal(("invalid_input", "The run names no tenant.", (string?)null));
        ran.Should().BeFalse("nothing waits for a slot or calls Graph for a run without a tenant");
        run.Counts.Should().BeEmpty("the jobs reported no throttle figures for such a run");
    }

    [Fact]
    public async Task A_tenant_that_is_gone_fails_the_work_with_tenantNotFound_on_its_item()
    {
        // A tenant id TenantAtlas does not know: deleted after the run was queued.
        var run = new FakeRunContext(Guid.NewGuid());

        var end = await fixture.App.Get<ITenantGraphJobEnvelope>().RunAsync(run, ListDeviceConfigurations(fixture.App), CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.GraphFailed);
        run.Failures.Should().Equal(("tenantNotFound", "No tenant with this id exists in TenantAtlas.", (string?)"deviceConfigurations"));
        run.Get(OperationSummaryKeys.ThrottledRequests).Should().Be(0);
        run.Counts.Should().ContainKeys(OperationSummaryKeys.ThrottledRequests, OperationSummaryKeys.ThrottleWaitSeconds);
    }

    [Fact]
    public async Task A_429_storm_the_retries_absorb_lands_in_the_summary_as_throttle_figures()
    {
        var tenant = fixture.NewTenant();
        var run = new FakeRunContext(fixture.App.AddTenant(tenant));
        fixture.Emulator.AddFault(FaultSpec.Throttle("/beta/deviceManagement/deviceConfigurations", retryAfterSeconds: 1, times: 3, tenant.TenantId));

        var end = await fixture.App.Get<ITenantGraphJobEnvelope>().RunAsync(run, ListDeviceConfigurations(fixture.App), CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.Completed, string.Join("; ", run.Failures));
        run.Failures.Should().BeEmpty();
        run.Get(OperationSummaryKeys.ThrottledRequests).Should().Be(3);
        run.Get(OperationSummaryKeys.ThrottleWaitSeconds).Should().BeGreaterThanOrEqualTo(3, "three Retry-After: 1 were waited out");
    }

    [Fact]
    public async Task A_429_storm_beyond_the_retries_is_one_failure_entry_and_its_figures_are_still_reported()
    {
        var tenant = fixture.NewTenant();
        var run = new FakeRunContext(fixture.App.AddTenant(tenant));
        fixture.Emulator.AddFault(FaultSpec.Throttle("/beta/deviceManagement/deviceConfigurations", retryAfterSeconds: 1, tenantId: tenant.TenantId));

        var end = await fixture.App.Get<ITenantGraphJobEnvelope>().RunAsync(run, ListDeviceConfigurations(fixture.App), CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.GraphFailed);
        var failure = run.Failures.Should().ContainSingle().Subject;
        failure.Code.Should().Be("TooManyRequests");
        failure.Item.Should().Be("deviceConfigurations");
        failure.Message.Should().EndWith($"(request id {fixture.GraphLog(tenant)[^1].RequestId})", "Graph's request id is what Microsoft support asks for");
        run.Get(OperationSummaryKeys.ThrottledRequests).Should().Be(4, "the first try and three retries were answered 429");
        run.Get(OperationSummaryKeys.ThrottleWaitSeconds).Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_busy_tenant_fails_with_tenantBusy_and_the_work_never_runs()
    {
        await using var app = fixture.NewApp(OneSlot);
        var tenantId = app.AddTenant(fixture.NewTenant());
        var run = new FakeRunContext(tenantId);
        var ran = false;
        var before = false;
        var work = new TenantGraphWork((_, _) => { ran = true; return Task.CompletedTask; }) { FailureItem = "groups", BeforeSlot = _ => { before = true; return Task.CompletedTask; } };
        await using var held = await app.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);

        var end = await app.Get<ITenantGraphJobEnvelope>().RunAsync(run, work, CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.TenantBusy);
        run.Failures.Should().Equal(("tenantBusy", "All 1 Graph work slots of the tenant stayed taken for 0 s; try again later.", (string?)"groups"));
        ran.Should().BeFalse("no Graph work without a slot");
        before.Should().BeTrue("what the run shows while it waits is written before the wait");
        run.Get(OperationSummaryKeys.ThrottledRequests).Should().Be(0);
        run.Counts.Should().ContainKey(OperationSummaryKeys.ThrottleWaitSeconds, "a busy run reported its (zero) throttle figures before the envelope too");
    }

    [Fact]
    public async Task The_slot_is_held_while_the_work_runs_and_free_after_an_early_release()
    {
        await using var app = fixture.NewApp(OneSlot);
        var tenantId = app.AddTenant(fixture.NewTenant());
        var run = new FakeRunContext(tenantId);
        IAsyncDisposable? whileHeld = null;
        IAsyncDisposable? afterRelease = null;
        var work = new TenantGraphWork(async (tenant, ct) =>
        {
            whileHeld = await app.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero, ct);
            await tenant.ReleaseSlotAsync();
            afterRelease = await app.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero, ct);
            await afterRelease!.DisposeAsync();
        });

        var end = await app.Get<ITenantGraphJobEnvelope>().RunAsync(run, work, CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.Completed);
        whileHeld.Should().BeNull("the work holds the tenant's only slot");
        afterRelease.Should().NotBeNull("a slot given back early is free for other jobs at once");
        await using var afterwards = await app.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);
        afterwards.Should().NotBeNull("releasing early and the envelope's own release free the slot once, not twice");
    }

    [Fact]
    public async Task An_unexpected_exception_passes_through_for_the_job_runner_to_record_as_internal_error()
    {
        await using var app = fixture.NewApp(OneSlot);
        var tenantId = app.AddTenant(fixture.NewTenant());
        var run = new FakeRunContext(tenantId);
        var work = new TenantGraphWork((_, _) => throw new InvalidOperationException("a bug in the domain loop"));

        var act = () => app.Get<ITenantGraphJobEnvelope>().RunAsync(run, work, CancellationToken.None);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>("the runner turns an exception without a code into internal_error");
        run.Failures.Should().BeEmpty("the runner writes the one failure entry");
        run.Counts.Should().ContainKeys(OperationSummaryKeys.ThrottledRequests, OperationSummaryKeys.ThrottleWaitSeconds);
        await using var slot = await app.Slots.TryAcquireAsync(tenantId, TimeSpan.Zero);
        slot.Should().NotBeNull("the slot is given back whatever the work threw");
    }

    [Fact]
    public async Task A_graph_failure_the_gateway_could_not_classify_is_a_failure_entry_with_unexpectedError()
    {
        var run = new FakeRunContext(fixture.App.AddTenant(fixture.NewTenant()));
        // What GraphErrorMapper makes of an exception it does not know.
        var work = new TenantGraphWork((_, _) => throw new GraphRequestException(GraphFailureKind.Unknown, "unexpectedError", "Something Graph-side went wrong."))
        {
            FailureItem = "roleDefinitions",
        };

        var end = await fixture.App.Get<ITenantGraphJobEnvelope>().RunAsync(run, work, CancellationToken.None);

        end.Should().Be(TenantGraphWorkEnd.GraphFailed);
        run.Failures.Should().Equal(("unexpectedError", "Something Graph-side went wrong.", (string?)"roleDefinitions"));
    }

    [Fact]
    public async Task A_graph_failure_after_cancellation_was_requested_passes_through_so_the_run_ends_as_the_runner_decides()
    {
        var run = new FakeRunContext(fixture.App.AddTenant(fixture.NewTenant()));
        using var cancel = new CancellationTokenSource();
        var work = new TenantGraphWork(async (_, _) =>
        {
            await cancel.CancelAsync();
            throw new GraphRequestException(GraphFailureKind.Unavailable, "timeout", "The Graph request timed out.");
        });

        var act = () => fixture.App.Get<ITenantGraphJobEnvelope>().RunAsync(run, work, cancel.Token);

        await act.Should().ThrowAsync<GraphRequestException>();
        run.Failures.Should().BeEmpty("a cancelled run gets no Graph failure entry from the envelope");
    }
}
