using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Directory.Tests.Sync;

/// <summary>Issue #6: "Sync now" → run queued → running → succeeded, through Hangfire, PostgreSQL and the Graph emulator.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class GroupsSyncTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task Sync_now_caches_every_group_with_counts_matching_the_emulator()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Groups = 250);

        var started = await fixture.StartAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        started.Created.Should().BeTrue();
        started.Run!.Status.Should().Be(OperationRunStatus.Queued);
        var run = await fixture.WaitForCompletionAsync(started.Run.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.StartedAt.Should().NotBeNull("a worker claimed it (queued → running) before completing it");
        var groups = emulated.Count(GraphFamilies.Groups);
        groups.Should().Be(250);
        run.Count(OperationSummaryKeys.Total).Should().Be(groups);
        run.Count(OperationSummaryKeys.Processed).Should().Be(groups);
        run.Count(OperationSummaryKeys.Created).Should().Be(groups);
        run.Count(OperationSummaryKeys.Updated).Should().Be(0);
        run.Count(OperationSummaryKeys.Deleted).Should().Be(0);
        run.Count(OperationSummaryKeys.Unchanged).Should().Be(0);
        run.Count(OperationSummaryKeys.Failed).Should().Be(0);
        (await fixture.CachedGroupsAsync(tenantId, deleted: false)).Should().Be(groups);
        (await fixture.DeltaLinkAsync(tenantId)).Should().Contain("$deltatoken=");

        var status = await fixture.Lookup.GetStatusAsync(tenantId);
        status.Groups.Should().Be(groups);
        status.GroupsRunId.Should().Be(run.Id);
        status.GroupsAsOf.Should().NotBeNull();

        // The cache holds what Graph has, description and mail included.
        var unified = emulated.List(GraphFamilies.Groups).First(g => g["mail"] is not null);
        var cached = (await fixture.Lookup.SearchGroupsAsync(tenantId, unified["displayName"]!.GetValue<string>(), 50)).Single(g => g.Id == unified["id"]!.GetValue<string>());
        cached.Mail.Should().Be(unified["mail"]!.GetValue<string>());
        cached.Description.Should().Be(unified["description"]?.GetValue<string>());
        cached.IsMicrosoft365.Should().BeTrue();
    }

    [Fact]
    public async Task A_second_sync_without_changes_reads_the_delta_link_and_reports_everything_unchanged()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        var firstLink = await fixture.DeltaLinkAsync(tenantId);
        var after = fixture.LastRequestSequence();

        var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        run.Count(OperationSummaryKeys.Created).Should().Be(0);
        run.Count(OperationSummaryKeys.Updated).Should().Be(0);
        run.Count(OperationSummaryKeys.Deleted).Should().Be(0);
        var graphCalls = fixture.Emulator.RequestLog(emulated.TenantId, after).Where(e => e.Kind == "graph").ToList();
        graphCalls.Should().ContainSingle().Which.PathAndQuery.Should().Contain("/groups/delta").And.Contain("$deltatoken=");
        (await fixture.DeltaLinkAsync(tenantId)).Should().NotBe(firstLink, "every delta read returns a new link, stored after its last page");
    }

    [Fact]
    public async Task A_renamed_group_is_updated_and_a_new_group_created_by_the_next_sync()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        var renamed = emulated.Ids(GraphFamilies.Groups)[3];
        emulated.RenameGroup(renamed, "SG-Renamed by test");
        var added = emulated.AddGroup("SG-Brand new")["id"]!.GetValue<string>();

        var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        run.Count(OperationSummaryKeys.Updated).Should().Be(1);
        run.Count(OperationSummaryKeys.Created).Should().Be(1);
        run.Count(OperationSummaryKeys.Deleted).Should().Be(0);
        var labels = await fixture.Lookup.GetGroupLabelsAsync(tenantId, [renamed, added]);
        labels[renamed].Text.Should().Be("SG-Renamed by test");
        labels[added].Text.Should().Be("SG-Brand new");
        (await fixture.Lookup.SearchGroupsAsync(tenantId, "renamed by")).Should().ContainSingle(g => g.Id == renamed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_group_removed_in_the_tenant_is_marked_deleted_after_the_next_sync_never_erased(bool permanently)
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        var removed = emulated.Ids(GraphFamilies.Groups)[5];
        emulated.DeleteGroup(removed, permanently);

        var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        run.Count(OperationSummaryKeys.Deleted).Should().Be(1);
        (await fixture.CachedGroupsAsync(tenantId, deleted: true)).Should().Be(1);
        (await fixture.CachedGroupsAsync(tenantId, deleted: false)).Should().Be(emulated.Count(GraphFamilies.Groups));
        (await fixture.Lookup.SearchGroupsAsync(tenantId, null, 200)).Should().NotContain(g => g.Id == removed);
        var label = (await fixture.Lookup.GetGroupLabelsAsync(tenantId, [removed]))[removed];
        label.Known.Should().BeTrue();
        label.IsDeleted.Should().BeTrue();
    }

    [Fact]
    public async Task An_expired_delta_link_410_leads_to_a_full_resync_that_marks_vanished_groups_deleted()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        var vanished = emulated.Ids(GraphFamilies.Groups)[7];
        emulated.DeleteGroup(vanished, permanent: true);
        emulated.ExpireDeltaTokens();
        var after = fixture.LastRequestSequence();

        var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var live = emulated.Count(GraphFamilies.Groups);
        run.Count(OperationSummaryKeys.Deleted).Should().Be(1);
        run.Count(OperationSummaryKeys.Unchanged).Should().Be(live);
        run.Count(OperationSummaryKeys.Created).Should().Be(0);
        run.Count(OperationSummaryKeys.Total).Should().Be(live + 1);
        var calls = fixture.Emulator.RequestLog(emulated.TenantId, after).Where(e => e.Kind == "graph").ToList();
        calls[0].Status.Should().Be(410);
        calls.Should().Contain(c => c.PathAndQuery.Contains("$deltatoken=latest", StringComparison.Ordinal))
            .And.Contain(c => c.PathAndQuery.StartsWith("/v1.0/groups?", StringComparison.Ordinal));
        (await fixture.CachedGroupsAsync(tenantId, deleted: true)).Should().Be(1);
        (await fixture.DeltaLinkAsync(tenantId)).Should().Contain("$deltatoken=");
    }

    [Fact]
    public async Task A_429_storm_completes_the_run_reporting_throttled_requests_and_seconds_waited()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        fixture.Emulator.AddFault(FaultSpec.Throttle("/v1.0/groups*", retryAfterSeconds: 1, times: 3, tenantId: emulated.TenantId));

        var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.Count(OperationSummaryKeys.Created).Should().Be(emulated.Count(GraphFamilies.Groups));
        run.Count(OperationSummaryKeys.ThrottledRequests).Should().Be(3);
        run.Count(OperationSummaryKeys.ThrottleWaitSeconds).Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_persistent_503_fails_the_run_with_a_failure_entry_and_keeps_the_cache_and_delta_link()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        var link = await fixture.DeltaLinkAsync(tenantId);
        var cached = await fixture.CachedGroupsAsync(tenantId, deleted: false);
        var fault = fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = "/v1.0/groups*", Status = 503, RetryAfterSeconds = 1 });
        try
        {
            var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

            run.Outcome.Should().Be(OperationRunOutcome.Failed);
            run.Failures.Should().ContainSingle().Which.Item.Should().Be("groups");
            run.Failures[0].Code.Should().NotBeNullOrEmpty();
            (await fixture.DeltaLinkAsync(tenantId)).Should().Be(link, "a failed read stores no new link");
            (await fixture.CachedGroupsAsync(tenantId, deleted: false)).Should().Be(cached, "nothing is marked deleted after a failed read");
            (await fixture.Lookup.GetStatusAsync(tenantId)).GroupsRunId.Should().NotBe(run.Id, "\"as of\" stays at the last completed sync");
        }
        finally
        {
            fixture.Emulator.State.RemoveFault(fault.Id);
        }
    }

    [Fact]
    public async Task A_second_start_while_a_sync_is_active_returns_the_same_run()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var slow = fixture.Emulator.AddFault(FaultSpec.Latency("/v1.0/groups*", 1500, emulated.TenantId));
        try
        {
            var first = await fixture.StartAsync(OperationTypes.DirectoryGroupsSync, tenantId);
            var second = await fixture.StartAsync(OperationTypes.DirectoryGroupsSync, tenantId, fixture.Demo.Owner);

            first.Created.Should().BeTrue();
            second.Started.Should().BeTrue();
            second.Created.Should().BeFalse();
            second.Run!.Id.Should().Be(first.Run!.Id);
            (await fixture.RunsOfAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Should().Be(1);
            (await fixture.WaitForCompletionAsync(first.Run.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        }
        finally
        {
            fixture.Emulator.State.RemoveFault(slow.Id);
        }
    }

    [Fact]
    public async Task A_sync_of_a_tenant_whose_work_slots_stay_taken_fails_with_tenantBusy_on_groups_and_keeps_the_cache()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        var slots = fixture.App.Services.GetRequiredService<IGraphTenantSlots>();
        var held = new List<IAsyncDisposable>();
        for (IAsyncDisposable? slot; (slot = await slots.TryAcquireAsync(tenantId, TimeSpan.Zero)) is not null;)
        {
            held.Add(slot);
        }

        try
        {
            var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

            run.Outcome.Should().Be(OperationRunOutcome.Failed);
            var failure = run.Failures.Should().ContainSingle().Subject;
            failure.Code.Should().Be("tenantBusy");
            failure.Item.Should().Be("groups");
            failure.Message.Should().StartWith($"All {held.Count} Graph work slots of the tenant stayed taken");
            run.Count(OperationSummaryKeys.ThrottledRequests).Should().Be(0);
            (await fixture.CachedGroupsAsync(tenantId, deleted: false)).Should().Be(0, "no Graph work ran without a slot");
            (await fixture.DeltaLinkAsync(tenantId)).Should().BeNull();
        }
        finally
        {
            foreach (var slot in held)
            {
                await slot.DisposeAsync();
            }
        }
    }
}
