using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Tests.Execution;

/// <summary>
/// Issue 13, item 6: restore.execute end to end against the emulator — the real execute rolled back by a real execute of
/// its rollback, a throttling storm and the retry that finishes it, and a cancel mid-run.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class ExecuteEndToEndTests(RestoreFixture fixture)
{
    private const string Configs = GraphResourceKeys.DeviceConfigurations;
    private const string Catalog = GraphResourceKeys.ConfigurationPolicies;
    private const string ConfigsPath = "/beta/deviceManagement/deviceConfigurations";

    private readonly ExecuteSupport support = new(fixture);

    private static bool IsWrite(RequestLogEntry e) => e.Kind == "graph" && e.Method != "GET" && !e.PathAndQuery.Contains("$batch", StringComparison.Ordinal);

    private long LastSequence(TenantAtlas.GraphEmulator.State.TenantState emulated) =>
        fixture.Emulator.RequestLog(emulated.TenantId).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

    [Fact]
    public async Task Rollback_with_the_real_execute_puts_the_target_back_to_the_snapshot()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs, Catalog);
        var items = await fixture.BackupSets.ReadItemsAsync(set.Id, [.. (await fixture.BackupSets.ListItemsAsync(set.Id)).Select(i => i.Id)]);
        var configs = items.Where(i => i.Family == Configs).ToList();
        var assigned = configs.First(i => i.Assignments.Count > 0);
        var deleted = configs.First(i => i.Id != assigned.Id);
        var catalog = items.First(i => i.Family == Catalog);

        // After the backup: a changed description with its assignments replaced, a changed catalog policy, a deleted object.
        emulated.Update(Configs, assigned.GraphId, new JsonObject { ["description"] = "changed in the portal" });
        var used = GraphReferences.Collect(assigned.Content, assigned.Assignments).GroupIds;
        var otherGroup = emulated.Ids("groups").First(g => !used.Contains(g));
        await support.Graph.AssignAsync(tenantId, Configs, assigned.GraphId,
            [new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = otherGroup } }]);
        emulated.Update(Catalog, catalog.GraphId, new JsonObject { ["description"] = "changed in the portal too" });
        emulated.DeletePolicy(Configs, deleted.GraphId);
        var preRestore = new Dictionary<string, GraphPolicyDetail>
        {
            [assigned.GraphId] = await support.Graph.GetPolicyAsync(tenantId, Configs, assigned.GraphId),
            [catalog.GraphId] = await support.Graph.GetPolicyAsync(tenantId, Catalog, catalog.GraphId),
        };
        var configsBefore = emulated.Ids(Configs).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var requestId = await support.RequestAsync(set.Id, tenantId, Configs, Catalog);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Where(i => i.Action is PlanAction.Create or PlanAction.Update).Select(i => (i.Action, i.BackupItemId)).Should()
            .BeEquivalentTo([(PlanAction.Update, (long?)assigned.Id), (PlanAction.Update, (long?)catalog.Id), (PlanAction.Create, (long?)deleted.Id)]);
        var run = await support.ExecuteAsync(requestId, plan.Id);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var ledger = await support.LedgerAsync(run.Id);
        (await support.AssertTargetAsIntendedAsync(tenantId, set.Id, plan, ledger)).Should().Be(3);
        var createdId = ledger.Single(r => r.BackupItemId == deleted.Id).TargetObjectId!;
        emulated.Get(Configs, createdId).Should().NotBeNull();

        var rolledBack = await fixture.App.Services.GetRequiredService<IRestoreRollbacks>().RollbackAsync(fixture.Demo.Owner, requestId);
        rolledBack.Ok.Should().BeTrue(rolledBack.Error);
        var rollback = rolledBack.Value!;
        var planRun = await fixture.WaitForCompletionAsync(rollback.PlanRunId!.Value, 120);
        planRun.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", planRun.Failures.Select(f => f.Message)));
        var rollbackPlan = await support.LatestPlanAsync(rollback.Id);
        (rollbackPlan.Updates, rollbackPlan.Deletes, rollbackPlan.Creates).Should().Be((2, 1, 0));

        var rollbackRun = await support.ExecuteAsync(rollback.Id, rollbackPlan.Id);

        rollbackRun.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", rollbackRun.Failures.Select(f => f.Message)));
        (rollbackRun.Count(OperationSummaryKeys.Updated), rollbackRun.Count(OperationSummaryKeys.Deleted)).Should().Be((2, 1));
        (await support.LedgerAsync(rollbackRun.Id)).Should().NotContain(r => r.Result == ItemResult.Writing);
        emulated.Get(Configs, createdId).Should().BeNull("the object the execute created is deleted by the rollback");
        emulated.Ids(Configs).ToHashSet(StringComparer.OrdinalIgnoreCase).Should().BeEquivalentTo(configsBefore, "the target holds the objects it held before the restore");
        foreach (var (id, before) in preRestore)
        {
            var now = await support.Graph.GetPolicyAsync(tenantId, before.ResourceKey, id);
            GraphObjectDiff.Compare(before.Content, now.Content).Changes.Should().BeEmpty($"{id} is as it was before the restore");
            GraphObjectDiff.CompareAssignments(new JsonArray([.. before.Assignments.Select(a => (JsonNode)a.DeepClone())]), new JsonArray([.. now.Assignments.Select(a => (JsonNode)a.DeepClone())]))
                .Changes.Should().BeEmpty($"{id} has the assignments it had before the restore");
        }

        (await support.Graph.GetPolicyAsync(tenantId, Configs, assigned.GraphId)).Assignments.Select(a => AssignmentTarget.From(a).GroupId)
            .Should().Equal([otherGroup], "the assignment set before the restore is back");
    }

    [Fact]
    public async Task A_429_storm_on_writes_ends_partially_succeeded_with_throttle_figures_and_a_retry_of_the_request_finishes_the_rest()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs, Catalog);
        var configIds = emulated.Ids(Configs);
        var catalogIds = emulated.Ids(Catalog);
        emulated.Update(Configs, configIds[0], new JsonObject { ["description"] = "changed in the portal" });
        emulated.DeletePolicy(Configs, configIds[1]);
        emulated.Update(Catalog, catalogIds[0], new JsonObject { ["description"] = "changed in the portal" });
        var requestId = await support.RequestAsync(set.Id, tenantId, Configs, Catalog);
        var plan = await support.PlanAsync(requestId);
        var writes = plan.Items.Where(i => i.Action is PlanAction.Create or PlanAction.Update).ToList();
        writes.Select(i => (i.Family, i.Action)).Should().BeEquivalentTo([(Configs, PlanAction.Update), (Configs, PlanAction.Create), (Catalog, PlanAction.Update)]);
        var before = LastSequence(emulated);

        // Every write to device configurations is throttled, past the SDK's retries; the catalog goes through.
        fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = ConfigsPath + "*", Method = "POST", Status = 429, RetryAfterSeconds = 1 });
        fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = ConfigsPath + "*", Method = "PATCH", Status = 429, RetryAfterSeconds = 1 });
        OperationRunView run;
        try
        {
            run = await support.ExecuteAsync(requestId, plan.Id);
        }
        finally
        {
            fixture.Emulator.ClearFaults(emulated.TenantId);
        }

        run.Outcome.Should().Be(OperationRunOutcome.PartiallySucceeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.Count(OperationSummaryKeys.ThrottledRequests).Should().BeGreaterThan(0);
        (run.Count(OperationSummaryKeys.Failed), run.Count(OperationSummaryKeys.Updated), run.Count(OperationSummaryKeys.Created)).Should().Be((2, 1, 0));
        var first = await support.LedgerAsync(run.Id);
        first.Where(r => r.Result == ItemResult.Failed).Should().HaveCount(2).And.OnlyContain(r => r.Family == Configs && r.ErrorCode == "TooManyRequests",
            string.Join("; ", first.Select(r => $"{r.DisplayName}: {r.Result} {r.ErrorCode}")));
        first.Single(r => r.Family == Catalog && r.PlannedAction == PlanAction.Update).Result.Should().Be(ItemResult.Updated);
        first.Should().NotContain(r => r.Result == ItemResult.Writing);
        var firstLog = fixture.Emulator.RequestLog(emulated.TenantId, before);
        firstLog.Should().Contain(e => e.Status == 429 && e.Method == "POST" && e.PathAndQuery.StartsWith(ConfigsPath, StringComparison.Ordinal));
        var catalogWrites = firstLog.Count(e => IsWrite(e) && e.PathAndQuery.Contains(catalogIds[0], StringComparison.Ordinal));
        catalogWrites.Should().BeGreaterThan(0);
        emulated.Count(Configs).Should().Be(configIds.Count - 1, "the throttled create made nothing");

        // The retry: the same plan executed again once the storm passed.
        var afterFirst = LastSequence(emulated);
        var retry = await support.ExecuteAsync(requestId, plan.Id);

        retry.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", retry.Failures.Select(f => f.Message)));
        (retry.Count(OperationSummaryKeys.Created), retry.Count(OperationSummaryKeys.Updated), retry.Count(OperationSummaryKeys.Failed)).Should().Be((1, 1, 0));
        var second = await support.LedgerAsync(retry.Id);
        second.Single(r => r.Family == Catalog && r.PlannedAction == PlanAction.Update).Should()
            .Match<RestoreItemResult>(r => r.Result == ItemResult.Skipped && r.ErrorMessage!.Contains($"run #{run.Id}"), "what the first run wrote is not written again");
        var retryLog = fixture.Emulator.RequestLog(emulated.TenantId, afterFirst);
        retryLog.Should().NotContain(e => IsWrite(e) && e.PathAndQuery.Contains(catalogIds[0], StringComparison.Ordinal), "the catalog policy the first run updated is not written twice");
        retryLog.Count(e => e.Method == "POST" && e.PathAndQuery == ConfigsPath).Should().Be(1, "the object the storm kept from being created is created once");
        retryLog.Should().NotContain(e => e.Status == 429);
        emulated.Count(Configs).Should().Be(configIds.Count);
        var written = first.Concat(second).Where(r => r.Result is ItemResult.Created or ItemResult.Updated).ToList();
        (await support.AssertTargetAsIntendedAsync(tenantId, set.Id, plan, written)).Should().Be(3);
    }

    [Fact]
    public async Task A_partially_succeeded_request_is_planned_again_and_the_new_plan_writes_only_the_rest()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs, Catalog);
        var configIds = emulated.Ids(Configs);
        var catalogIds = emulated.Ids(Catalog);
        emulated.DeletePolicy(Configs, configIds[1]);
        emulated.Update(Catalog, catalogIds[0], new JsonObject { ["description"] = "changed in the portal" });
        var requestId = await support.RequestAsync(set.Id, tenantId, Configs, Catalog);
        var plan = await support.PlanAsync(requestId);
        fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = ConfigsPath + "*", Method = "POST", Status = 429, RetryAfterSeconds = 1 });
        OperationRunView run;
        try
        {
            run = await support.ExecuteAsync(requestId, plan.Id);
        }
        finally
        {
            fixture.Emulator.ClearFaults(emulated.TenantId);
        }

        run.Outcome.Should().Be(OperationRunOutcome.PartiallySucceeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.State.Should().Be(RestoreState.Completed);

        // Once the old plan is stale (an hour, a newer backup of the target), the rest is finished through a new plan.
        var again = await support.PlanAsync(requestId);
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.State.Should().Be(RestoreState.Planned, "a plan newer than the execute is where the request stands");
        again.Items.Single(i => i.Family == Catalog && i.SourceGraphId == catalogIds[0]).Action.Should().Be(PlanAction.Skip, "what the first run wrote is identical now");
        again.Items.Where(i => i.Action is PlanAction.Create or PlanAction.Update).Select(i => (i.Family, i.Action)).Should().Equal([(Configs, PlanAction.Create)]);

        var rest = await support.ExecuteAsync(requestId, again.Id);
        rest.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", rest.Failures.Select(f => f.Message)));
        (rest.Count(OperationSummaryKeys.Created), rest.Count(OperationSummaryKeys.Updated)).Should().Be((1, 0));
        emulated.Count(Configs).Should().Be(configIds.Count);
        (await fixture.Requests.PlanAsync(fixture.Demo.Owner, requestId)).Error.Should().Contain("completed", "a request restored in full is done");
    }

    [Fact]
    public async Task Cancel_stops_between_items_and_the_rest_is_not_run()
    {
        var (target, targetId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, targetId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(targetId, Configs);
        var all = target.Ids(Configs);
        foreach (var id in all)
        {
            target.DeletePolicy(Configs, id);
        }

        var requestId = await support.RequestAsync(set.Id, targetId, Configs);
        var plan = await support.PlanAsync(requestId);
        var creates = plan.Items.Count(i => i.Action == PlanAction.Create);
        creates.Should().BeGreaterThan(3, string.Join("; ", plan.Items.Select(i => $"{i.DisplayName}: {i.Action} {i.Reason}")));

        // Every create takes a while, so the cancel lands mid-run.
        fixture.Emulator.AddFault(new FaultSpec { TenantId = target.TenantId, Pattern = "/beta/deviceManagement/*", Method = "POST", LatencyMs = 700 });
        OperationRunView run;
        try
        {
            var started = await support.Executions.ExecuteAsync(fixture.Demo.Owner, requestId, plan.Id);
            started.Ok.Should().BeTrue(started.Error);
            var runId = started.Value!.Run!.Id;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(await support.LedgerAsync(runId)).Any(r => r.Result == ItemResult.Created))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the execute writes its first item");
                await Task.Delay(100);
            }

            var cancelled = await fixture.Runs.CancelAsync(Actor.User(fixture.Demo.Owner), runId);
            cancelled.Done.Should().BeTrue(cancelled.Message);
            run = await fixture.WaitForCompletionAsync(runId, 120);
        }
        finally
        {
            fixture.Emulator.ClearFaults(target.TenantId);
        }

        run.Outcome.Should().Be(OperationRunOutcome.Cancelled);
        var ledger = await support.LedgerAsync(run.Id);
        var summary = string.Join("; ", ledger.Select(r => $"{r.DisplayName}: {r.Result}"));
        ledger.Should().HaveCount(plan.Items.Count, "every item has its row: " + summary);
        ledger.Should().NotContain(r => r.Result == ItemResult.Writing, "no item is left half-recorded: " + summary);
        var created = ledger.Count(r => r.Result == ItemResult.Created);
        created.Should().BeInRange(1, creates - 1, summary);
        ledger.Count(r => r.Result == ItemResult.NotRun).Should().Be(creates - created, summary);
        ledger.Where(r => r.Result == ItemResult.Created).Should().OnlyContain(r => r.TargetObjectId != null && target.Get(r.Family, r.TargetObjectId) != null);
        target.Count(Configs).Should().Be(created, "what the ledger says was created is all the target holds");
        run.Count(OperationSummaryKeys.Created).Should().Be(created);

        // Stopped, not cancelled: what was written stays, and the request is finished through a new plan.
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.State.Should().Be(RestoreState.Stopped);
        var again = await support.PlanAsync(requestId);
        again.Items.Count(i => i.Action == PlanAction.Create).Should().Be(creates - created, "the new plan creates only what the stopped run did not");
        var rest = await support.ExecuteAsync(requestId, again.Id);
        rest.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", rest.Failures.Select(f => f.Message)));
        target.Count(Configs).Should().Be(all.Count, "the restore is finished");
    }

    [Fact]
    public async Task A_request_executed_twice_is_rolled_back_to_before_its_first_run()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs);
        var ids = emulated.Ids(Configs);
        var (updatedFirst, updatedSecond, recreated) = (ids[0], ids[1], ids[2]);
        emulated.Update(Configs, updatedFirst, new JsonObject { ["description"] = "changed in the portal" });
        emulated.Update(Configs, updatedSecond, new JsonObject { ["description"] = "changed in the portal too" });
        emulated.DeletePolicy(Configs, recreated);
        var original = new Dictionary<string, GraphPolicyDetail>
        {
            [updatedFirst] = await support.Graph.GetPolicyAsync(tenantId, Configs, updatedFirst),
            [updatedSecond] = await support.Graph.GetPolicyAsync(tenantId, Configs, updatedSecond),
        };
        var idsBefore = emulated.Ids(Configs).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // First run: the update of one object is refused, the rest is written.
        var requestId = await support.RequestAsync(set.Id, tenantId, Configs);
        var plan = await support.PlanAsync(requestId);
        fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = $"{ConfigsPath}/{updatedSecond}", Method = "PATCH", Status = 400, ErrorCode = "BadRequest" });
        OperationRunView first;
        try
        {
            first = await support.ExecuteAsync(requestId, plan.Id);
        }
        finally
        {
            fixture.Emulator.ClearFaults(emulated.TenantId);
        }

        first.Outcome.Should().Be(OperationRunOutcome.PartiallySucceeded, string.Join("; ", first.Failures.Select(f => f.Message)));
        var createdId = (await support.LedgerAsync(first.Id)).Single(r => r.Result == ItemResult.Created).TargetObjectId!;

        // Between the runs the portal edits the object already restored and the one the first run created.
        emulated.Update(Configs, updatedFirst, new JsonObject { ["description"] = "edited after the first run" });
        emulated.Update(Configs, createdId, new JsonObject { ["description"] = "edited after it was created" });
        var again = await support.PlanAsync(requestId);
        again.Items.Where(i => i.Action == PlanAction.Update).Select(i => i.TargetObjectId).Should().BeEquivalentTo([updatedFirst, updatedSecond, createdId]);
        var second = await support.ExecuteAsync(requestId, again.Id);
        second.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", second.Failures.Select(f => f.Message)));

        var rolledBack = await fixture.App.Services.GetRequiredService<IRestoreRollbacks>().RollbackAsync(fixture.Demo.Owner, requestId);
        rolledBack.Ok.Should().BeTrue(rolledBack.Error);
        var planRun = await fixture.WaitForCompletionAsync(rolledBack.Value!.PlanRunId!.Value, 120);
        planRun.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", planRun.Failures.Select(f => f.Message)));
        var rollbackPlan = await support.LatestPlanAsync(rolledBack.Value.Id);
        (rollbackPlan.Updates, rollbackPlan.Deletes, rollbackPlan.Creates).Should().Be((2, 1, 0),
            "both updated objects are put back (one written by each run) and the object the first run created is deleted, though the second run updated it");
        var rollbackRun = await support.ExecuteAsync(rolledBack.Value.Id, rollbackPlan.Id);

        rollbackRun.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", rollbackRun.Failures.Select(f => f.Message)));
        emulated.Get(Configs, createdId).Should().BeNull();
        emulated.Ids(Configs).ToHashSet(StringComparer.OrdinalIgnoreCase).Should().BeEquivalentTo(idsBefore);
        foreach (var (id, before) in original)
        {
            var now = await support.Graph.GetPolicyAsync(tenantId, Configs, id);
            GraphObjectDiff.Compare(before.Content, now.Content).Changes.Should().BeEmpty($"{id} is as it was before the request first wrote it, not as the second run found it");
        }
    }
}
