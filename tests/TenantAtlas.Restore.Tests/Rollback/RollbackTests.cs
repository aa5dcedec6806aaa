using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Restore.Review;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Rollback;

/// <summary>
/// Issue 13, item 3: Roll back creates a request from an execute's pre-restore snapshot and ledger, and plans it. The
/// execute job is built in parallel, so these tests do explicitly what an execute does — snapshot the objects it will
/// touch (through Backup's IPreRestoreSnapshots), write them in the emulated tenant, record the ledger — on a real,
/// completed run: a directory sync run stands in for the execute's run row (the rollback reads only its status and outcome).
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class RollbackTests(RestoreFixture fixture)
{
    private const string Configs = GraphResourceKeys.DeviceConfigurations;
    private const string BackedUp = "As backed up";
    private const string Drifted = "Changed in the portal";

    private IRestoreRollbacks Rollbacks => fixture.App.Services.GetRequiredService<IRestoreRollbacks>();

    private IDbContextFactory<RestoreDbContext> Db => fixture.App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>();

    /// <summary>A request whose execute put one drifted object back (updated) and re-created one deleted object (created).</summary>
    private sealed record Executed(TenantState Emulated, Guid TenantId, Guid RequestId, long RunId, Guid SnapshotId, string UpdatedId, string CreatedId, string CreatedName);

    [Fact]
    public async Task Rollback_selects_exactly_the_updated_objects_and_the_created_ones_and_its_plan_reverses_the_update_and_deletes_the_creation()
    {
        var executed = await ExecutedAsync();
        var before = fixture.Emulator.RequestLog(executed.Emulated.TenantId).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

        var result = await Rollbacks.RollbackAsync(fixture.Demo.Owner, executed.RequestId);

        result.Ok.Should().BeTrue(result.Error);
        var rollback = result.Value!;
        rollback.RollbackOfRequestId.Should().Be(executed.RequestId);
        (rollback.TargetTenantId, rollback.SourceTenantId, rollback.SourceBackupSetId).Should().Be((executed.TenantId, executed.TenantId, executed.SnapshotId),
            "a rollback restores the target from the execute's pre-restore snapshot");
        var snapshotItems = await fixture.BackupSets.ListItemsAsync(executed.SnapshotId);
        rollback.Families.Should().BeEmpty();
        rollback.ItemIds.Should().Equal([snapshotItems.Single(i => i.GraphId == executed.UpdatedId).Id], "only what the execute updated is put back");
        rollback.ItemChoices.Should().ContainSingle().Which.Should().Match<ItemChoiceView>(c => c.Mode == RestoreItemMode.UpdateExisting && c.TargetObjectId == executed.UpdatedId);
        rollback.CopySuffix.Should().Be(RestoreDefaults.CopySuffix);
        await using (var db = await Db.CreateDbContextAsync())
        {
            (await db.Deletions.AsNoTracking().Where(d => d.RequestId == rollback.Id).ToListAsync()).Should().ContainSingle()
                .Which.Should().Match<RestoreDeletion>(d => d.ObjectId == executed.CreatedId && d.Family == Configs && d.CreatedByRunId == executed.RunId,
                    "the object the execute created is deleted by the rollback");
        }

        (await fixture.Requests.GetAsync(fixture.Demo.Owner, executed.RequestId)).Value!.RolledBackByRequestId.Should().Be(rollback.Id);
        (await AuditCountAsync(executed.TenantId)).Should().Be(1);
        rollback.PlanRunId.Should().NotBeNull("the rollback is planned at once");

        var run = await fixture.WaitForCompletionAsync(rollback.PlanRunId!.Value, 120);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var plan = await LatestPlanAsync(rollback.Id);
        plan.Items.Should().HaveCount(2);
        var update = plan.Items.Single(i => i.BackupItemId is not null);
        update.Should().Match<RestorePlanItem>(i => i.Action == PlanAction.Update && i.TargetObjectId == executed.UpdatedId && i.Match == PlanMatch.Chosen);
        var change = PlanJson.Read(update.ContentDiff, ObjectDiff.Identical).Changes.Should().ContainSingle("the update puts back exactly the field the execute changed").Which;
        (change.Path, change.Before?.GetValue<string>(), change.After?.GetValue<string>()).Should().Be(("description", BackedUp, Drifted), "the diff is the execute's change reversed");
        var delete = plan.Items.Single(i => i.BackupItemId is null);
        delete.Should().Match<RestorePlanItem>(i => i.Action == PlanAction.Delete && i.TargetObjectId == executed.CreatedId && i.Match == PlanMatch.Id
            && i.DeletionId != null && i.TargetDisplayName == executed.CreatedName && i.TargetContent != null && i.Reason!.Contains(executed.RequestId.ToString()));
        JsonNode.Parse(delete.TargetContent!)!["id"]!.GetValue<string>().Should().Be(executed.CreatedId, "execute compares the object as the plan read it");
        (plan.Creates, plan.Updates, plan.Identical, plan.Conflicts, plan.Blocked, plan.Deletes).Should().Be((0, 1, 0, 0, 0, 1));
        run.Count(RestorePlanSummaryKeys.Deletes).Should().Be(1);
        run.Count(OperationSummaryKeys.Total).Should().Be(2);
        var review = (await fixture.App.Services.GetRequiredService<PlanQueries>().LatestPlanAsync(rollback.Id))!;
        review.Count(PlanAction.Delete).Should().Be(1);
        review.Items.Single(i => i.Action == PlanAction.Delete).Key.Should().BeNegative("a delete item has no backup item");
        fixture.Emulator.RequestLog(executed.Emulated.TenantId, before).Where(e => e.Kind == "graph")
            .Should().NotContain(e => e.Method != "GET" && !e.PathAndQuery.Contains("$batch", StringComparison.Ordinal), "creating and planning a rollback writes nothing to the tenant");

        var again = await Rollbacks.RollbackAsync(fixture.Demo.Owner, executed.RequestId);

        again.Ok.Should().BeTrue(again.Error);
        again.Value!.Id.Should().Be(rollback.Id, "a request has at most one rollback");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_requests WHERE rollback_of_request_id = $1", executed.RequestId)).Should().Be(1);
        (await AuditCountAsync(executed.TenantId)).Should().Be(1);
    }

    [Fact]
    public async Task Two_concurrent_rollbacks_of_one_request_create_one()
    {
        var executed = await ExecutedAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Rollbacks.RollbackAsync(fixture.Demo.Owner, executed.RequestId))));

        results.Should().OnlyContain(r => r.Ok, string.Join("; ", results.Select(r => r.Error)));
        results.Select(r => r.Value!.Id).Distinct().Should().ContainSingle("the unique index on rollback_of_request_id keeps one");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_requests WHERE rollback_of_request_id = $1", executed.RequestId)).Should().Be(1);
        (await AuditCountAsync(executed.TenantId)).Should().Be(1);
        var planned = (await fixture.Requests.GetAsync(fixture.Demo.Owner, results[0].Value!.Id)).Value!;
        (await fixture.WaitForCompletionAsync(planned.PlanRunId!.Value, 120)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
    }

    [Fact]
    public async Task A_created_object_deleted_by_hand_since_is_skipped_as_already_gone()
    {
        var executed = await ExecutedAsync();
        executed.Emulated.DeletePolicy(Configs, executed.CreatedId);

        var rollback = await RollbackPlannedAsync(executed.RequestId);

        var plan = await LatestPlanAsync(rollback.Id);
        plan.Items.Single(i => i.DeletionId != null).Should().Match<RestorePlanItem>(i => i.Action == PlanAction.Skip && i.Reason!.Contains("Already gone"));
        (plan.Deletes, plan.Identical, plan.Updates).Should().Be((0, 1, 1));
    }

    [Fact]
    public async Task A_rollback_of_a_rollback_recreates_what_the_rollback_deleted_by_its_id_and_never_updates_a_namesake()
    {
        var executed = await ExecutedAsync();
        var first = await RollbackPlannedAsync(executed.RequestId);
        var firstPlan = await LatestPlanAsync(first.Id);

        // Execute the rollback by hand: snapshot both objects, delete the created one, put the drifted value back.
        var run = await StandInRunAsync(executed.Emulated, executed.TenantId);
        var snapshotId = await SnapshotAsync(executed.TenantId, first.Id, run, executed.UpdatedId, executed.CreatedId);
        var createdType = executed.Emulated.Get(Configs, executed.CreatedId)!["@odata.type"]?.GetValue<string>();
        executed.Emulated.DeletePolicy(Configs, executed.CreatedId);
        executed.Emulated.Update(Configs, executed.UpdatedId, new JsonObject { ["description"] = Drifted });
        await LedgerAsync(first.Id, run, firstPlan, i => i.Action switch
        {
            PlanAction.Delete => (ItemResult.Deleted, i.TargetObjectId),
            PlanAction.Update => (ItemResult.Updated, i.TargetObjectId),
            _ => (ItemResult.Skipped, null),
        });
        // Same name and type: by name alone the plan would take it for the deleted object and update it.
        var namesake = executed.Emulated.AddPolicy(Configs, executed.CreatedName, createdType)["id"]!.GetValue<string>();

        var second = await RollbackPlannedAsync(first.Id);

        second.RollbackOfRequestId.Should().Be(first.Id);
        second.SourceBackupSetId.Should().Be(snapshotId);
        var items = await fixture.BackupSets.ListItemsAsync(snapshotId);
        second.ItemIds.Should().BeEquivalentTo(items.Select(i => i.Id), "what the rollback deleted is put back too");
        second.ItemChoices.Single(c => c.BackupItemId == items.Single(i => i.GraphId == executed.CreatedId).Id).TargetObjectId.Should().BeNull("the deleted object has no id left to update");
        var plan = await LatestPlanAsync(second.Id);
        plan.Deletes.Should().Be(0);
        plan.Items.Single(i => i.SourceGraphId == executed.CreatedId).Should().Match<RestorePlanItem>(i => i.Action == PlanAction.Create && i.Match == PlanMatch.None && i.TargetObjectId == null,
            $"a rollback matches by id only: the namesake {namesake} made by hand is not the object the rollback deleted");
        var change = PlanJson.Read(plan.Items.Single(i => i.SourceGraphId == executed.UpdatedId).ContentDiff, ObjectDiff.Identical).Changes.Should().ContainSingle().Which;
        (change.Path, change.Before?.GetValue<string>(), change.After?.GetValue<string>()).Should().Be(("description", Drifted, BackedUp));
        executed.Emulated.Get(Configs, namesake).Should().NotBeNull();
    }

    [Fact]
    public async Task A_failed_execute_that_created_an_object_can_be_rolled_back()
    {
        var executed = await ExecutedAsync(failed: true);

        var result = await Rollbacks.RollbackAsync(fixture.Demo.Owner, executed.RequestId);

        result.Ok.Should().BeTrue(result.Error);
        await fixture.WaitForCompletionAsync(result.Value!.PlanRunId!.Value, 120);
        (await LatestPlanAsync(result.Value.Id)).Deletes.Should().Be(1);
    }

    [Fact]
    public async Task Rollback_is_refused_without_an_execute_while_it_runs_when_it_wrote_nothing_or_without_a_snapshot_and_writes_nothing()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var set = await fixture.BackupAsync(tenantId, Configs);
        var objectId = emulated.Ids(Configs)[0];
        var planRuns = await fixture.RunsOfAsync(RestoreOperationTypes.Plan, tenantId);

        var never = await RequestAsync(set.Id, tenantId);
        (await RefusalAsync(never)).Should().Be("The request was never executed: there is nothing to roll back.");

        var nothing = await RequestAsync(set.Id, tenantId);
        var run = await StandInRunAsync(emulated, tenantId);
        await SnapshotAsync(tenantId, nothing, run, objectId);
        await LedgerRowsAsync(nothing, run, (ItemResult.Skipped, PlanAction.Skip, objectId), (ItemResult.Conflict, PlanAction.Update, objectId),
            (ItemResult.Failed, PlanAction.Update, objectId), (ItemResult.Failed, PlanAction.Create, null), (ItemResult.NotRun, PlanAction.Create, null));
        (await RefusalAsync(nothing)).Should().Be("The execute wrote nothing to the target tenant: there is nothing to roll back.");

        var unprotected = await RequestAsync(set.Id, tenantId);
        run = await StandInRunAsync(emulated, tenantId);
        await LedgerRowsAsync(unprotected, run, (ItemResult.Updated, PlanAction.Update, objectId));
        (await RefusalAsync(unprotected)).Should().Be("The execute's pre-restore snapshot was not found: the request cannot be rolled back.");

        var incomplete = await RequestAsync(set.Id, tenantId);
        run = await StandInRunAsync(emulated, tenantId);
        await SnapshotAsync(tenantId, incomplete, run, objectId);
        await LedgerRowsAsync(incomplete, run, (ItemResult.Updated, PlanAction.Update, objectId), (ItemResult.Updated, PlanAction.Update, emulated.Ids(Configs)[1]));
        (await RefusalAsync(incomplete)).Should().StartWith("The pre-restore snapshot lacks 1 object(s) the execute changed");

        var running = await RequestAsync(set.Id, tenantId);
        var slow = fixture.Emulator.AddFault(FaultSpec.Latency("/v1.0/groups*", 3000, emulated.TenantId));
        try
        {
            var started = await fixture.StartAsync(OperationTypes.DirectoryGroupsSync, tenantId);
            await SetExecuteRunAsync(running, started.Run!.Id);
            await LedgerRowsAsync(running, started.Run.Id, (ItemResult.Updated, PlanAction.Update, objectId));
            (await RefusalAsync(running)).Should().Be("The request's execute has not finished: roll it back once it has.");
            await fixture.WaitForCompletionAsync(started.Run.Id);
        }
        finally
        {
            fixture.Emulator.State.RemoveFault(slow.Id);
        }

        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_requests WHERE target_tenant_id = $1 AND rollback_of_request_id IS NOT NULL", tenantId))
            .Should().Be(0, "a refused rollback creates no request");
        (await AuditCountAsync(tenantId)).Should().Be(0);
        (await fixture.RunsOfAsync(RestoreOperationTypes.Plan, tenantId)).Should().Be(planRuns, "a refused rollback plans nothing");
    }

    [Fact]
    public async Task Operator_and_readonly_are_forbidden_an_outsider_finds_nothing_and_a_refusal_writes_nothing()
    {
        var executed = await ExecutedAsync();

        (await Rollbacks.RollbackAsync(fixture.Demo.Operator, executed.RequestId)).Decision.Should().Be(AccessDecision.Forbidden);
        (await Rollbacks.RollbackAsync(fixture.Demo.Readonly, executed.RequestId)).Decision.Should().Be(AccessDecision.Forbidden);
        (await Rollbacks.RollbackAsync(fixture.Demo.Outsider, executed.RequestId)).Decision.Should().Be(AccessDecision.NotFound);
        (await Rollbacks.RollbackAsync(fixture.Demo.Owner, Guid.NewGuid())).Decision.Should().Be(AccessDecision.NotFound);

        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_requests WHERE rollback_of_request_id = $1", executed.RequestId)).Should().Be(0);
        (await AuditCountAsync(executed.TenantId)).Should().Be(0);
        var admin = fixture.App.Services.GetRequiredService<IAccessAdministration>();
        var manager = await admin.EnsureUserAsync("manager-rollback@demo.test", SignIn.DemoPassword, false);
        await admin.EnsureMembershipAsync(fixture.Demo.Contoso, manager, WorkspaceRole.Manager);
        var allowed = await Rollbacks.RollbackAsync(manager, executed.RequestId);
        allowed.Ok.Should().BeTrue(allowed.Error);
        await fixture.WaitForCompletionAsync(allowed.Value!.PlanRunId!.Value, 120);
    }

    /// <summary>
    /// A same-tenant restore, planned and "executed": after the backup one object drifted and one was deleted; the execute
    /// snapshots the drifted object, puts its backed-up value back (Updated) and creates the deleted one anew (Created).
    /// </summary>
    private async Task<Executed> ExecutedAsync(bool failed = false)
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        // The plans resolve the assigned groups in the directory cache.
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var ids = emulated.Ids(Configs);
        var (updatedId, goneId) = (ids[0], ids[1]);
        emulated.Update(Configs, updatedId, new JsonObject { ["description"] = BackedUp });
        var set = await fixture.BackupAsync(tenantId, Configs);
        emulated.Update(Configs, updatedId, new JsonObject { ["description"] = Drifted });
        var gone = emulated.Get(Configs, goneId)!;
        emulated.DeletePolicy(Configs, goneId);
        var requestId = await RequestAsync(set.Id, tenantId);
        var planRun = await fixture.Requests.PlanAsync(fixture.Demo.Owner, requestId);
        (await fixture.WaitForCompletionAsync(planRun.Value!.Run!.Id, 120)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var plan = await LatestPlanAsync(requestId);
        plan.Items.Where(i => i.Action != PlanAction.Skip).Select(i => (i.Action, i.SourceGraphId)).Should()
            .BeEquivalentTo([(PlanAction.Update, updatedId), (PlanAction.Create, goneId)], "the restore puts the drifted object back and re-creates the deleted one");

        var run = await StandInRunAsync(emulated, tenantId, failed);
        var snapshotId = await SnapshotAsync(tenantId, requestId, run, updatedId);
        emulated.Update(Configs, updatedId, new JsonObject { ["description"] = BackedUp });
        var createdName = gone["displayName"]!.GetValue<string>();
        var createdId = emulated.AddPolicy(Configs, createdName, gone["@odata.type"]?.GetValue<string>())["id"]!.GetValue<string>();
        await LedgerAsync(requestId, run, plan, i => i.Action switch
        {
            PlanAction.Update => (ItemResult.Updated, i.TargetObjectId),
            PlanAction.Create => (ItemResult.Created, createdId),
            _ => (ItemResult.Skipped, null),
        });
        return new Executed(emulated, tenantId, requestId, run, snapshotId, updatedId, createdId, createdName);
    }

    private async Task<RestoreRequestView> RollbackPlannedAsync(Guid requestId)
    {
        var result = await Rollbacks.RollbackAsync(fixture.Demo.Owner, requestId);
        result.Ok.Should().BeTrue(result.Error);
        var run = await fixture.WaitForCompletionAsync(result.Value!.PlanRunId!.Value, 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        return result.Value;
    }

    private async Task<string?> RefusalAsync(Guid requestId)
    {
        var result = await Rollbacks.RollbackAsync(fixture.Demo.Owner, requestId);
        result.Decision.Should().Be(AccessDecision.Allowed);
        result.Ok.Should().BeFalse();
        return result.Error;
    }

    private async Task<Guid> RequestAsync(Guid setId, Guid tenantId)
    {
        var created = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(setId, tenantId, [Configs], []));
        created.Ok.Should().BeTrue(created.Error);
        return created.Value!.Id;
    }

    /// <summary>A real completed run standing in for the execute's (a directory sync; failed under a persistent 503).</summary>
    private async Task<long> StandInRunAsync(TenantState emulated, Guid tenantId, bool failed = false)
    {
        var fault = failed ? fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = "/v1.0/groups*", Status = 503, RetryAfterSeconds = 1 }) : null;
        try
        {
            var run = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
            run.Outcome.Should().Be(failed ? OperationRunOutcome.Failed : OperationRunOutcome.Succeeded);
            return run.Id;
        }
        finally
        {
            if (fault is not null)
            {
                fixture.Emulator.State.RemoveFault(fault.Id);
            }
        }
    }

    /// <summary>What an execute does before its first write: reads the objects in full and stores them as the request's snapshot.</summary>
    private async Task<Guid> SnapshotAsync(Guid tenantId, Guid requestId, long runId, params string[] objectIds)
    {
        var graph = fixture.App.Services.GetRequiredService<IGraphGateway>();
        var objects = new List<GraphPolicyDetail>();
        foreach (var id in objectIds)
        {
            objects.Add(await graph.GetPolicyAsync(tenantId, Configs, id));
        }

        return await fixture.App.Services.GetRequiredService<IPreRestoreSnapshots>()
            .StoreAsync(new PreRestoreSnapshot(fixture.Demo.Contoso, tenantId, runId, "restore.execute", requestId, objects));
    }

    /// <summary>The execute's ledger, one row per plan item, and the request's execute run.</summary>
    private async Task LedgerAsync(Guid requestId, long runId, RestorePlan plan, Func<RestorePlanItem, (ItemResult Result, string? TargetId)> outcome)
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            foreach (var item in plan.Items)
            {
                var (result, targetId) = outcome(item);
                db.ItemResults.Add(new RestoreItemResult
                {
                    RequestId = requestId, OperationRunId = runId, PlanItemId = item.Id, BackupItemId = item.BackupItemId, Family = item.Family,
                    DisplayName = item.DisplayName, ODataType = item.ODataType, PlannedAction = item.Action, Result = result, TargetObjectId = targetId,
                    StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow,
                });
            }

            await db.SaveChangesAsync();
        }

        await SetExecuteRunAsync(requestId, runId);
    }

    private async Task LedgerRowsAsync(Guid requestId, long runId, params (ItemResult Result, PlanAction Planned, string? TargetId)[] rows)
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            var planItemId = 1_000_000L;
            foreach (var (result, planned, targetId) in rows)
            {
                db.ItemResults.Add(new RestoreItemResult
                {
                    RequestId = requestId, OperationRunId = runId, PlanItemId = planItemId++, Family = Configs, DisplayName = "Item " + planItemId,
                    PlannedAction = planned, Result = result, TargetObjectId = targetId, StartedAt = DateTimeOffset.UtcNow,
                });
            }

            await db.SaveChangesAsync();
        }

        await SetExecuteRunAsync(requestId, runId);
    }

    private async Task SetExecuteRunAsync(Guid requestId, long runId)
    {
        await using var db = await Db.CreateDbContextAsync();
        await db.Requests.Where(r => r.Id == requestId).ExecuteUpdateAsync(u => u.SetProperty(r => r.ExecuteRunId, runId));
    }

    private async Task<RestorePlan> LatestPlanAsync(Guid requestId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Plans.AsNoTracking().Include(p => p.Items).Where(p => p.RequestId == requestId).OrderByDescending(p => p.CreatedAt).FirstAsync();
    }

    private Task<long> AuditCountAsync(Guid tenantId) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE tenant_id = $1 AND action = $2", tenantId, RestoreAuditActions.RollbackCreated);
}
