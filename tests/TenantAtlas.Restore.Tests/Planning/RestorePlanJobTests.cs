using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Planning;

/// <summary>Issue 12, items 3 and 4: the restore.plan run through Hangfire against the emulator, stored in PostgreSQL.</summary>
[Collection(RestoreCollection.Name)]
public sealed class RestorePlanJobTests(RestoreFixture fixture)
{
    private const string Configs = GraphResourceKeys.DeviceConfigurations;

    private async Task<RestorePlan> LatestPlanAsync(Guid requestId)
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>().CreateDbContextAsync();
        return await db.Plans.AsNoTracking().Include(p => p.Items).Where(p => p.RequestId == requestId).OrderByDescending(p => p.CreatedAt).FirstAsync();
    }

    private async Task<OperationRunView> PlanAsync(Guid requestId)
    {
        var started = await fixture.Requests.PlanAsync(fixture.Demo.Owner, requestId);
        started.Ok.Should().BeTrue(started.Error);
        var run = await fixture.WaitForCompletionAsync(started.Value!.Run!.Id, 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        return run;
    }

    private async Task<Guid> RequestAsync(Guid setId, Guid target, params string[] families)
    {
        var created = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(setId, target, families, []));
        created.Ok.Should().BeTrue(created.Error);
        return created.Value!.Id;
    }

    [Fact]
    public async Task A_same_tenant_plan_updates_exactly_the_changed_field_creates_the_deleted_skips_the_rest_and_reads_only_the_selection()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs, GraphResourceKeys.ConfigurationPolicies);
        var ids = emulated.Ids(Configs);
        ids.Count.Should().BeGreaterThan(2);
        emulated.Update(Configs, ids[0], new JsonObject { ["description"] = "changed in the portal" });
        emulated.DeletePolicy(Configs, ids[1]);
        var protectedGroup = emulated.List("groups")[0]["id"]!.GetValue<string>();
        (await fixture.App.Services.GetRequiredService<ITenantDirectorySettings>().SaveAsync(Actor.User(fixture.Demo.Owner), tenantId,
            new TenantDirectorySettings([protectedGroup], null))).Saved.Should().BeTrue();
        var requestId = await RequestAsync(set.Id, tenantId, Configs);
        var before = fixture.Emulator.RequestLog(emulated.TenantId).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

        var run = await PlanAsync(requestId);

        var plan = await LatestPlanAsync(requestId);
        plan.OperationRunId.Should().Be(run.Id);
        plan.Items.Should().HaveCount(ids.Count);
        var changed = plan.Items.Single(i => i.SourceGraphId == ids[0]);
        changed.Action.Should().Be(PlanAction.Update);
        changed.Match.Should().Be(PlanMatch.Id);
        PlanJson.Read<ObjectDiff>(changed.ContentDiff, ObjectDiff.Identical).Changes.Select(c => c.Path).Should().Equal("description");
        PlanJson.Read<AssignmentDiff>(changed.AssignmentDiff, AssignmentDiff.Identical).IsIdentical.Should().BeTrue();
        var deleted = plan.Items.Single(i => i.SourceGraphId == ids[1]);
        deleted.Action.Should().Be(PlanAction.Create);
        deleted.Match.Should().Be(PlanMatch.None);
        plan.Items.Where(i => i.SourceGraphId != ids[0] && i.SourceGraphId != ids[1]).Should().OnlyContain(i => i.Action == PlanAction.Skip,
            "an object unchanged since the backup is identical once volatile fields are ignored");
        (plan.Creates, plan.Updates, plan.Identical, plan.Conflicts, plan.Blocked).Should().Be((1, 1, ids.Count - 2, 0, 0));
        run.Count(OperationSummaryKeys.Total).Should().Be(ids.Count);
        run.Count(OperationSummaryKeys.Processed).Should().Be(ids.Count);
        run.Count(RestorePlanSummaryKeys.Updates).Should().Be(1);
        run.Count(RestorePlanSummaryKeys.Creates).Should().Be(1);
        run.Count(RestorePlanSummaryKeys.Identical).Should().Be(ids.Count - 2);
        PlanJson.Read<List<NamedObject>>(plan.ProtectedGroups, []).Should().ContainSingle()
            .Which.Should().Match<NamedObject>(g => g.Id == protectedGroup && g.DisplayName == emulated.List("groups")[0]["displayName"]!.GetValue<string>());
        PlanJson.Read<List<NamedObject>>(plan.TargetScopeTags, []).Should().Contain(t => t.Id == "0");
        PlanJson.Read<List<NamedObject>>(plan.TargetAssignmentFilters, []).Should().HaveCount(emulated.Count(GraphResourceKeys.AssignmentFilters));
        plan.ReadStartedAt.Should().BeOnOrBefore(plan.CreatedAt);

        var log = fixture.Emulator.RequestLog(emulated.TenantId, before).Where(e => e.Kind == "graph").ToList();
        log.Should().NotBeEmpty();
        log.Should().OnlyContain(e => e.PathAndQuery.Contains("/deviceManagement/deviceConfigurations", StringComparison.Ordinal)
                || e.PathAndQuery.Contains("/deviceManagement/assignmentFilters", StringComparison.Ordinal)
                || e.PathAndQuery.Contains("/deviceManagement/roleScopeTags", StringComparison.Ordinal)
                || e.PathAndQuery.Contains("$batch", StringComparison.Ordinal),
            "the plan reads the selected family, assignment filters and scope tags, nothing else: " + string.Join(", ", fixture.Emulator.RequestLog(emulated.TenantId, before).Select(e => e.PathAndQuery)));
        log.Should().NotContain(e => e.Method != "GET" && !e.PathAndQuery.Contains("$batch", StringComparison.Ordinal), "a plan never writes");

        // A second delivery of the same run (handed back on shutdown) stores no second plan.
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var again = new PlanRunContext(run.Id, fixture.Demo.Contoso, tenantId, requestId);
            (await scope.ServiceProvider.GetRequiredKeyedService<IOperationJob>(RestoreOperationTypes.Plan).RunAsync(again, CancellationToken.None))
                .Should().Be(OperationJobResult.Succeeded);
            again.Get(RestorePlanSummaryKeys.Updates).Should().Be(1);
        }

        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_plans WHERE operation_run_id = $1", run.Id)).Should().Be(1);
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.State.Should().Be(RestoreState.Planned);
    }

    [Fact]
    public async Task A_cross_tenant_plan_maps_references_by_name_blocks_on_a_missing_group_and_a_map_choice_unblocks_it_audited()
    {
        var (source, sourceId) = await fixture.NewTenantAsync();
        var (target, targetId) = await fixture.NewTenantAsync(s => { s.Seed = 12; s.Policies = 0; s.Groups = 0; });
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, sourceId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(sourceId, Configs);
        var items = await fixture.BackupSets.ReadItemsAsync(set.Id, [.. (await fixture.BackupSets.ListItemsAsync(set.Id)).Select(i => i.Id)]);
        var groupIds = items.SelectMany(i => GraphReferences.Collect(i.Content, i.Assignments).GroupIds).Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();
        groupIds.Should().HaveCountGreaterThan(1, "the seeded policies assign groups");
        var sourceGroups = source.List("groups").ToDictionary(g => g["id"]!.GetValue<string>(), g => g["displayName"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        var missing = groupIds[0];
        var targetGroups = groupIds.Skip(1).Where(id => sourceGroups[id] != sourceGroups[missing]).ToDictionary(id => id, id => target.AddGroup(sourceGroups[id])["id"]!.GetValue<string>());
        var standIn = target.AddGroup("Stand-in for " + sourceGroups[missing])["id"]!.GetValue<string>();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, targetId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var requestId = await RequestAsync(set.Id, targetId, Configs);
        var before = fixture.Emulator.RequestLog(null).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

        await PlanAsync(requestId);

        var plan = await LatestPlanAsync(requestId);
        var references = PlanJson.Read<List<PlanReference>>(plan.References, []);
        references.Single(r => r.Kind == ReferenceKind.Group && r.SourceId == missing).Resolution.Should().Be(ReferenceResolution.Unresolved);
        foreach (var (sourceGroup, targetGroup) in targetGroups.Where(p => groupIds.Count(g => sourceGroups[g] == sourceGroups[p.Key]) == 1))
        {
            references.Single(r => r.Kind == ReferenceKind.Group && r.SourceId == sourceGroup).Should()
                .Match<PlanReference>(r => r.Resolution == ReferenceResolution.UniqueName && r.TargetId == targetGroup);
        }

        references.Where(r => r.Kind == ReferenceKind.AssignmentFilter).Should().OnlyContain(r => r.Resolution == ReferenceResolution.UniqueName,
            "the target has filters of the same names under other ids");
        var targetFilterIds = target.List(GraphResourceKeys.AssignmentFilters).Select(f => f["id"]!.GetValue<string>()).ToList();
        references.Where(r => r.Kind == ReferenceKind.AssignmentFilter).Should().OnlyContain(r => targetFilterIds.Contains(r.TargetId!));
        references.Where(r => r.Kind == ReferenceKind.ScopeTag).Should().OnlyContain(r => r.Resolution == ReferenceResolution.SameId || r.Resolution == ReferenceResolution.UniqueName);
        var usesMissing = items.Where(i => GraphReferences.Collect(i.Content, i.Assignments).GroupIds.Contains(missing)).Select(i => i.Id).ToHashSet();
        usesMissing.Should().NotBeEmpty();
        plan.Items.Where(i => usesMissing.Contains(i.BackupItemId!.Value)).Should().OnlyContain(i => i.Action == PlanAction.Blocked && i.Reason!.Contains(missing));
        plan.Blocked.Should().BeGreaterThanOrEqualTo(usesMissing.Count);
        plan.Items.Where(i => !usesMissing.Contains(i.BackupItemId!.Value)).Should().Contain(i => i.Action == PlanAction.Create);

        var log = fixture.Emulator.RequestLog(null, before).Where(e => e.Kind == "graph").ToList();
        log.Where(e => e.TenantId == source.TenantId).Should().OnlyContain(e => e.PathAndQuery.Contains("/assignmentFilters", StringComparison.Ordinal) || e.PathAndQuery.Contains("/roleScopeTags", StringComparison.Ordinal),
            "of the source only the names of its filters and scope tags are read");

        var chosen = await fixture.Requests.ChooseReferenceAsync(fixture.Demo.Owner, requestId, new ReferenceChoice(ReferenceKind.Group, missing, ReferenceAction.Map, standIn));
        chosen.Ok.Should().BeTrue(chosen.Error);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE tenant_id = $1 AND action = $2", targetId, RestoreAuditActions.ReferenceChosen))
            .Should().Be(1);

        await PlanAsync(requestId);

        var again = await LatestPlanAsync(requestId);
        PlanJson.Read<List<PlanReference>>(again.References, []).Single(r => r.Kind == ReferenceKind.Group && r.SourceId == missing).Should()
            .Match<PlanReference>(r => r.Resolution == ReferenceResolution.Mapped && r.TargetId == standIn);
        again.Items.Where(i => usesMissing.Contains(i.BackupItemId!.Value)).Should().NotContain(i => i.Reason != null && i.Reason.Contains(missing));
    }

    [Fact]
    public async Task A_plan_of_tenant_wide_objects_restores_the_custom_ones_and_blocks_built_in_roles_and_the_default_scope_tag()
    {
        var (source, sourceId) = await fixture.NewTenantAsync();
        var (_, targetId) = await fixture.NewTenantAsync();
        string[] families = [GraphResourceKeys.AssignmentFilters, GraphResourceKeys.RoleScopeTags, GraphResourceKeys.RoleDefinitions];
        var set = await fixture.BackupAsync(sourceId, families);
        var requestId = await RequestAsync(set.Id, targetId, families);

        await PlanAsync(requestId);

        var plan = await LatestPlanAsync(requestId);
        plan.Items.Should().HaveCount(families.Sum(source.Count), "every backed-up filter, scope tag and role is planned");
        bool BuiltIn(RestorePlanItem i) => source.Get(i.Family, i.SourceGraphId)!["isBuiltIn"]?.GetValue<bool>() == true;
        var builtIn = plan.Items.Where(BuiltIn).ToList();
        builtIn.Should().Contain(i => i.Family == GraphResourceKeys.RoleScopeTags && i.SourceGraphId == "0", "the Default scope tag is Intune's own")
            .And.Contain(i => i.Family == GraphResourceKeys.RoleDefinitions && i.DisplayName == "Help Desk Operator");
        builtIn.Should().OnlyContain(i => i.Action == PlanAction.Blocked && i.Reason!.Contains("is built into Intune", StringComparison.Ordinal));
        var custom = plan.Items.Where(i => !BuiltIn(i)).ToList();
        custom.Select(i => i.Family).Should().Contain(families, "the seed has custom ones of each");
        custom.Should().OnlyContain(i => i.Action != PlanAction.Blocked, "custom filters, scope tags and roles restore: "
            + string.Join("; ", custom.Where(i => i.Action == PlanAction.Blocked).Select(i => $"{i.Family}/{i.DisplayName}: {i.Reason}")));
    }
}

/// <summary>A run as the job sees it, in memory (for a second delivery of one run).</summary>
internal sealed class PlanRunContext(long runId, Guid workspaceId, Guid tenantId, Guid requestId) : IOperationRunContext
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> counts = new();

    public long RunId { get; } = runId;

    public string Type => RestoreOperationTypes.Plan;

    public Guid WorkspaceId { get; } = workspaceId;

    public Guid? TenantId { get; } = tenantId;

    public JsonObject Inputs { get; } = [];

    public Guid? ScheduleId => null;

    public DateTimeOffset? ScheduledFor => null;

    public long? RetryOfRunId => null;

    public Guid? RestoreRequestId { get; } = requestId;

    public void Set(string key, long value) => counts[key] = value;

    public void Increment(string key, long by = 1) => counts.AddOrUpdate(key, by, (_, v) => v + by);

    public long Get(string key) => counts.GetValueOrDefault(key);

    public Task ReportProgressAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task AddFailureAsync(string code, string message, string? item = null, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
