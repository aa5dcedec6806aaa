using System.Text.Json.Nodes;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Execution;

/// <summary>Issue 13, items 2 and 6: restore.execute through Hangfire against the emulator, its ledger in PostgreSQL.</summary>
[Collection(RestoreCollection.Name)]
public sealed class RestoreExecuteJobTests(RestoreFixture fixture)
{
    private const string Configs = GraphResourceKeys.DeviceConfigurations;
    private const string Catalog = GraphResourceKeys.ConfigurationPolicies;

    private readonly ExecuteSupport support = new(fixture);

    private static bool IsWrite(RequestLogEntry e) => e.Kind == "graph" && e.Method != "GET" && !e.PathAndQuery.Contains("$batch", StringComparison.Ordinal);

    [Fact]
    public async Task A_same_tenant_execute_snapshots_first_then_leaves_the_target_as_planned_with_protected_groups_kept_and_a_redelivery_writes_nothing_twice()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs, Catalog);
        var items = await fixture.BackupSets.ReadItemsAsync(set.Id, [.. (await fixture.BackupSets.ListItemsAsync(set.Id)).Select(i => i.Id)]);
        var configs = items.Where(i => i.Family == Configs).ToList();
        var assigned = configs.First(i => i.Assignments.Count > 0);
        var deleted = configs.First(i => i.Id != assigned.Id);
        var copied = configs.First(i => i.Id != assigned.Id && i.Id != deleted.Id);
        var catalog = items.First(i => i.Family == Catalog);

        // In the target after the backup: a changed description, a deleted object, a changed settings catalog policy, and
        // the assigned policy's assignments replaced by one to a group that becomes protected.
        emulated.Update(Configs, assigned.GraphId, new JsonObject { ["description"] = "changed in the portal" });
        emulated.DeletePolicy(Configs, deleted.GraphId);
        emulated.Update(Catalog, catalog.GraphId, new JsonObject { ["description"] = "changed in the portal too" });
        var used = GraphReferences.Collect(assigned.Content, assigned.Assignments).GroupIds;
        var protectedGroup = emulated.Ids("groups").First(g => !used.Contains(g));
        await support.Graph.AssignAsync(tenantId, Configs, assigned.GraphId,
            [new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = protectedGroup } }]);
        (await fixture.App.Services.GetRequiredService<ITenantDirectorySettings>().SaveAsync(Actor.User(fixture.Demo.Owner), tenantId,
            new TenantDirectorySettings([protectedGroup], null))).Saved.Should().BeTrue();

        var requestId = await support.RequestAsync(set.Id, tenantId, Configs, Catalog);
        await support.PlanAsync(requestId);
        (await fixture.Requests.ChooseItemAsync(fixture.Demo.Owner, requestId, new ItemChoice(copied.Id, RestoreItemMode.CreateCopy))).Ok.Should().BeTrue();
        var plan = await support.PlanAsync(requestId);
        plan.Items.Single(i => i.BackupItemId == assigned.Id).Action.Should().Be(PlanAction.Update);
        plan.Items.Single(i => i.BackupItemId == deleted.Id).Action.Should().Be(PlanAction.Create);
        plan.Items.Single(i => i.BackupItemId == copied.Id).Match.Should().Be(PlanMatch.Copy);
        plan.Items.Single(i => i.BackupItemId == catalog.Id).Action.Should().Be(PlanAction.Update);
        PlanJson.Read<JsonArray>(plan.Items.Single(i => i.BackupItemId == assigned.Id).ProtectedAssignments, []).Should().ContainSingle();
        var before = fixture.Emulator.RequestLog(emulated.TenantId).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var ledger = await support.LedgerAsync(run.Id);
        ledger.Should().HaveCount(plan.Items.Count).And.NotContain(r => r.Result == ItemResult.Writing);
        (run.Count(OperationSummaryKeys.Created), run.Count(OperationSummaryKeys.Updated)).Should().Be((2, 2));
        run.Count(OperationSummaryKeys.Skipped).Should().Be(plan.Items.Count - 4);
        run.Count(OperationSummaryKeys.Processed).Should().Be(plan.Items.Count);
        (await support.AssertTargetAsIntendedAsync(tenantId, set.Id, plan, ledger)).Should().Be(4);
        emulated.Get(Configs, copied.GraphId).Should().NotBeNull("a copy leaves the original alone");
        emulated.List(Configs).Count(o => o["displayName"]?.GetValue<string>() == copied.DisplayName + RestoreDefaults.CopySuffix).Should().Be(1);
        var assignedNow = await support.Graph.GetPolicyAsync(tenantId, Configs, assigned.GraphId);
        assignedNow.Assignments.Select(a => AssignmentTarget.From(a).GroupId).Should().Contain(protectedGroup, "a restore never removes a protected group's assignment");
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.State.Should().Be(RestoreState.Completed);

        // The snapshot: stored before the first write, holding the updated objects as they were.
        var snapshot = (await fixture.App.Services.GetRequiredService<IPreRestoreSnapshots>().ListForRequestAsync(requestId)).Should().ContainSingle().Subject;
        snapshot.OperationRunId.Should().Be(run.Id);
        var snapshotItems = await fixture.BackupSets.ReadItemsAsync(snapshot.Id, [.. (await fixture.BackupSets.ListItemsAsync(snapshot.Id)).Select(i => i.Id)]);
        snapshotItems.Select(i => i.GraphId).Should().BeEquivalentTo([assigned.GraphId, catalog.GraphId]);
        snapshotItems.Single(i => i.GraphId == assigned.GraphId).Content!["description"]!.GetValue<string>().Should().Be("changed in the portal");
        var log = fixture.Emulator.RequestLog(emulated.TenantId, before).Where(e => e.Kind == "graph").ToList();
        var firstWrite = log.First(IsWrite);
        firstWrite.Timestamp.Should().BeAfter(snapshot.CreatedAt, "the snapshot is stored before the first write");
        log.TakeWhile(e => !IsWrite(e)).Should().Contain(e => e.Method == "GET" && e.PathAndQuery.Contains(assigned.GraphId, StringComparison.Ordinal))
            .And.Contain(e => e.Method == "GET" && e.PathAndQuery.Contains(catalog.GraphId, StringComparison.Ordinal), "every object to update is read before anything is written");

        // Redelivery of the same run: nothing is written again and the ledger stays as it is.
        var afterRun = fixture.Emulator.RequestLog(emulated.TenantId).Max(e => e.Sequence);
        (await support.RedeliverAsync(run, requestId, plan.Id)).Should().Be(OperationJobResult.Succeeded);
        fixture.Emulator.RequestLog(emulated.TenantId, afterRun).Should().NotContain(e => IsWrite(e));
        (await support.LedgerAsync(run.Id)).Should().BeEquivalentTo(ledger);

        // A crash right after a create, before its id was recorded: the row is left Writing; the next delivery adopts
        // the object it finds instead of creating a second one.
        var recreated = ledger.Single(r => r.BackupItemId == deleted.Id);
        await fixture.Database.ExecuteAsync(
            "UPDATE restore.restore_item_results SET result = 'Writing', target_object_id = NULL, finished_at = NULL WHERE id = $1", recreated.Id);
        var beforeCrash = fixture.Emulator.RequestLog(emulated.TenantId).Max(e => e.Sequence);
        (await support.RedeliverAsync(run, requestId, plan.Id)).Should().Be(OperationJobResult.Succeeded);
        var adopted = (await support.LedgerAsync(run.Id)).Single(r => r.Id == recreated.Id);
        adopted.Result.Should().Be(ItemResult.Created);
        adopted.TargetObjectId.Should().Be(recreated.TargetObjectId);
        fixture.Emulator.RequestLog(emulated.TenantId, beforeCrash).Should().NotContain(e => e.Method == "POST" && e.PathAndQuery.EndsWith("/deviceConfigurations", StringComparison.Ordinal),
            "the object created before the crash is adopted, not created twice");
        emulated.List(Configs).Count(o => o["displayName"]?.GetValue<string>() == deleted.DisplayName).Should().Be(1);

        // A worker killed mid-item (the run ended, its row left Writing), then the request executed again: the new run
        // adopts that object, and what the first run wrote it records as already written — nothing is written twice.
        await fixture.Database.ExecuteAsync(
            "UPDATE restore.restore_item_results SET result = 'Writing', target_object_id = NULL, finished_at = NULL WHERE id = $1", recreated.Id);
        var beforeRetry = fixture.Emulator.RequestLog(emulated.TenantId).Max(e => e.Sequence);
        var retry = await support.ExecuteAsync(requestId, plan.Id);
        retry.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", retry.Failures.Select(f => f.Message)));
        var retried = await support.LedgerAsync(retry.Id);
        retried.Single(r => r.BackupItemId == deleted.Id).Should().Match<RestoreItemResult>(r => r.Result == ItemResult.Created && r.TargetObjectId == recreated.TargetObjectId);
        retried.Where(r => r.BackupItemId != deleted.Id).Should().OnlyContain(r => r.Result == ItemResult.Skipped);
        fixture.Emulator.RequestLog(emulated.TenantId, beforeRetry).Should().NotContain(e => IsWrite(e) && !e.PathAndQuery.EndsWith("/assign", StringComparison.Ordinal),
            "only the interrupted item's assignment is repeated");
        emulated.List(Configs).Count(o => o["displayName"]?.GetValue<string>() == deleted.DisplayName).Should().Be(1);
    }

    [Fact]
    public async Task An_object_changed_after_the_plan_is_not_overwritten_a_graph_failure_fails_only_its_item_and_the_run_is_partially_succeeded()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs);
        var ids = emulated.Ids(Configs);
        foreach (var id in ids.Take(3))
        {
            emulated.Update(Configs, id, new JsonObject { ["description"] = "changed in the portal" });
        }

        var requestId = await support.RequestAsync(set.Id, tenantId, Configs);
        var plan = await support.PlanAsync(requestId);
        plan.Updates.Should().Be(3);
        emulated.Update(Configs, ids[0], new JsonObject { ["description"] = "changed after the plan" });
        fixture.Emulator.AddFault(new FaultSpec
        {
            TenantId = emulated.TenantId, Pattern = $"/beta/deviceManagement/deviceConfigurations/{ids[1]}", Method = "PATCH", Status = 400,
            ErrorCode = "ModelValidationFailure", ErrorMessage = "The value is not valid.",
        });
        var before = fixture.Emulator.RequestLog(emulated.TenantId).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

        OperationRunView run;
        try
        {
            run = await support.ExecuteAsync(requestId, plan.Id);
        }
        finally
        {
            fixture.Emulator.ClearFaults(emulated.TenantId);
        }

        run.Outcome.Should().Be(OperationRunOutcome.PartiallySucceeded);
        var ledger = await support.LedgerAsync(run.Id);
        var changed = ledger.Single(r => r.TargetObjectId == ids[0]);
        changed.Result.Should().Be(ItemResult.Conflict);
        changed.ErrorCode.Should().Be("changed_since_plan");
        emulated.Get(Configs, ids[0])!["description"]!.GetValue<string>().Should().Be("changed after the plan");
        fixture.Emulator.RequestLog(emulated.TenantId, before).Should().NotContain(e => IsWrite(e) && e.PathAndQuery.Contains(ids[0], StringComparison.Ordinal),
            "an object changed since the plan is not written");
        var failed = ledger.Single(r => r.TargetObjectId == ids[1]);
        failed.Result.Should().Be(ItemResult.Failed);
        failed.ErrorCode.Should().Be("ModelValidationFailure");
        ledger.Single(r => r.TargetObjectId == ids[2]).Result.Should().Be(ItemResult.Updated);
        emulated.Get(Configs, ids[2])!["description"]?.GetValue<string>().Should().NotBe("changed in the portal");
        (run.Count(OperationSummaryKeys.Updated), run.Count(OperationSummaryKeys.Failed), run.Count(RestoreExecuteSummaryKeys.Conflicts)).Should().Be((1, 1, 1));
        run.Failures.Select(f => f.Code).Should().Contain(["changed_since_plan", "ModelValidationFailure"]);
    }

    [Fact]
    public async Task An_administrative_template_is_created_with_its_settings_and_a_changed_setting_is_put_back()
    {
        const string Templates = GraphResourceKeys.GroupPolicyConfigurations;
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 48);
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var ids = emulated.Ids(Templates).Where(id => SettingsOf(emulated.Get(Templates, id)!).Count > 1).Take(2).ToList();
        ids.Should().HaveCount(2, "the seed gives templates several definition values");
        var set = await fixture.BackupAsync(tenantId, Templates);
        var deleted = SettingsOf(emulated.Get(Templates, ids[0])!);
        var changed = SettingsOf(emulated.Get(Templates, ids[1])!);
        var deletedName = emulated.Get(Templates, ids[0])!["displayName"]!.GetValue<string>();
        emulated.DeletePolicy(Templates, ids[0]);
        // In the portal: one setting removed, another switched off.
        emulated.EditDefinitionValues(ids[1], values =>
        {
            values.RemoveAt(0);
            values[0]["enabled"] = !values[0]["enabled"]!.GetValue<bool>();
        });
        SettingsOf(emulated.Get(Templates, ids[1])!).Should().NotEqual(changed);
        var requestId = await support.RequestAsync(set.Id, tenantId, Templates);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Single(i => i.SourceGraphId == ids[1]).Action.Should().Be(PlanAction.Update);

        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var ledger = await support.LedgerAsync(run.Id);
        var created = ledger.Single(r => r.PlannedAction == PlanAction.Create && r.DisplayName == deletedName);
        created.Result.Should().Be(ItemResult.Created);
        SettingsOf(emulated.Get(Templates, created.TargetObjectId!)!).Should().Equal(deleted, "the template is created with every setting it had");
        SettingsOf(emulated.Get(Templates, ids[1])!).Should().Equal(changed, "the changed settings are as backed up again");
    }

    [Fact]
    public async Task An_endpoint_security_intent_is_created_from_its_template_with_its_settings_and_a_changed_setting_is_put_back()
    {
        const string Intents = GraphResourceKeys.Intents;
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.FamilyCounts = new() { [Intents] = 4 });
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var ids = emulated.Ids(Intents).Take(2).ToList();
        var set = await fixture.BackupAsync(tenantId, Intents);
        var deleted = IntentSettingsOf(emulated.Get(Intents, ids[0])!);
        var deletedName = emulated.Get(Intents, ids[0])!["displayName"]!.GetValue<string>();
        var deletedAssignments = (emulated.Get(Intents, ids[0])!["assignments"] as JsonArray ?? []).Count;
        var changed = IntentSettingsOf(emulated.Get(Intents, ids[1])!);
        emulated.DeletePolicy(Intents, ids[0]);
        // In the portal: one setting of the other intent changed.
        var current = await support.Graph.GetPolicyAsync(tenantId, Intents, ids[1]);
        var edited = (JsonObject)current.Content.DeepClone();
        var first = edited["settings"]!.AsArray().OfType<JsonObject>().First(s => s["@odata.type"]!.GetValue<string>().EndsWith("BooleanSettingInstance", StringComparison.Ordinal)
            || s["@odata.type"]!.GetValue<string>().EndsWith("IntegerSettingInstance", StringComparison.Ordinal));
        first.Remove("value");
        first["valueJson"] = first["@odata.type"]!.GetValue<string>().EndsWith("BooleanSettingInstance", StringComparison.Ordinal)
            ? (first["valueJson"]!.GetValue<string>() == "true" ? "false" : "true")
            : "99";
        await support.Graph.UpdateObjectAsync(tenantId, Intents, ids[1], edited);
        IntentSettingsOf(emulated.Get(Intents, ids[1])!).Should().NotEqual(changed);
        var requestId = await support.RequestAsync(set.Id, tenantId, Intents);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Single(i => i.SourceGraphId == ids[1]).Action.Should().Be(PlanAction.Update);

        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var ledger = await support.LedgerAsync(run.Id);
        var created = ledger.Single(r => r.PlannedAction == PlanAction.Create && r.DisplayName == deletedName);
        created.Result.Should().Be(ItemResult.Created);
        var recreated = emulated.Get(Intents, created.TargetObjectId!)!;
        IntentSettingsOf(recreated).Should().Equal(deleted, "the intent is made from its template with every setting it had");
        (recreated["assignments"] as JsonArray ?? []).Count.Should().Be(deletedAssignments);
        IntentSettingsOf(emulated.Get(Intents, ids[1])!).Should().Equal(changed, "the changed setting is as backed up again");
        fixture.Emulator.RequestLog(emulated.TenantId).Where(IsWrite).Select(e => $"{e.Method} {e.PathAndQuery.Split('/')[^1]}")
            .Should().Contain(["POST createInstance", "POST updateSettings"]);
    }

    /// <summary>An intent's settings as comparable lines: definition and value (JSON text).</summary>
    private static List<string> IntentSettingsOf(JsonObject intent) =>
        [.. (intent["settings"] as JsonArray ?? []).OfType<JsonObject>().Select(s => $"{s["definitionId"]}={s["valueJson"]}").Order(StringComparer.Ordinal)];

    /// <summary>An administrative template's settings as comparable lines: definition, enabled, each presentation's value.</summary>
    private static List<string> SettingsOf(JsonObject template) =>
        [.. (template["definitionValues"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => $"{v["definition"]!["id"]}|{v["enabled"]}|" + string.Join(";", (v["presentationValues"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => $"{p["presentation"]!["id"]}={p["value"]?.ToJsonString()}{p["values"]?.ToJsonString()}").Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_cross_tenant_execute_creates_every_object_with_assignments_mapped_to_the_targets_groups()
    {
        var (source, sourceId) = await fixture.NewTenantAsync();
        var (target, targetId) = await fixture.NewTenantAsync(s => { s.Seed = 12; s.Policies = 0; s.Groups = 0; });
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, sourceId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(sourceId, Configs);
        var items = await fixture.BackupSets.ReadItemsAsync(set.Id, [.. (await fixture.BackupSets.ListItemsAsync(set.Id)).Select(i => i.Id)]);
        var sourceGroups = source.List("groups").ToDictionary(g => g["id"]!.GetValue<string>(), g => g["displayName"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        var groupIds = items.SelectMany(i => GraphReferences.Collect(i.Content, i.Assignments).GroupIds).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        groupIds.Should().NotBeEmpty();
        foreach (var name in groupIds.Select(id => sourceGroups[id]).Distinct(StringComparer.Ordinal))
        {
            target.AddGroup(name);
        }

        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, targetId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var requestId = await support.RequestAsync(set.Id, targetId, Configs);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Should().OnlyContain(i => i.Action == PlanAction.Create, string.Join("; ", plan.Items.Select(i => i.Reason)));

        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.Count(OperationSummaryKeys.Created).Should().Be(items.Count);
        target.Count(Configs).Should().Be(items.Count);
        (await support.AssertTargetAsIntendedAsync(targetId, set.Id, plan, await support.LedgerAsync(run.Id))).Should().Be(items.Count);
        var targetGroupIds = target.Ids("groups").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var written = target.List(Configs).SelectMany(o => o["assignments"]?.AsArray() ?? []).OfType<JsonObject>()
            .Select(a => AssignmentTarget.From(a).GroupId).OfType<string>().ToList();
        written.Should().NotBeEmpty().And.OnlyContain(g => targetGroupIds.Contains(g), "every assignment names the target's group, mapped by name");
    }

    [Fact]
    public async Task Terms_get_their_assignments_back_one_by_one_and_the_branding_default_is_updated_in_place()
    {
        const string Terms = GraphResourceKeys.TermsAndConditions;
        const string Branding = GraphResourceKeys.IntuneBrandingProfiles;
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.FamilyCounts = new() { [Terms] = 3, [Branding] = 2 });
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Terms, Branding);
        var items = await fixture.BackupSets.ReadItemsAsync(set.Id, [.. (await fixture.BackupSets.ListItemsAsync(set.Id)).Select(i => i.Id)]);
        var terms = items.First(i => i.Family == Terms && i.Assignments.Count > 0);
        var backedUpTargets = Targets(terms.Assignments);
        var brandingDefault = items.Single(i => i.Family == Branding && i.Content!["isDefaultProfile"]!.GetValue<bool>());

        // In the portal after the backup: the terms assigned to another group only, the default branding recoloured.
        var used = GraphReferences.Collect(terms.Content, terms.Assignments).GroupIds;
        var otherGroup = emulated.Ids("groups").First(g => !used.Contains(g));
        await support.Graph.AssignAsync(tenantId, Terms, terms.GraphId,
            [new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = otherGroup } }]);
        emulated.Update(Branding, brandingDefault.GraphId, new JsonObject { ["themeColor"] = new JsonObject { ["r"] = 1, ["g"] = 2, ["b"] = 3 } });
        var requestId = await support.RequestAsync(set.Id, tenantId, Terms, Branding);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Single(i => i.BackupItemId == terms.Id).Action.Should().Be(PlanAction.Update);
        plan.Items.Single(i => i.BackupItemId == brandingDefault.Id).Should().Match<RestorePlanItem>(
            i => i.Match == PlanMatch.TenantDefault && i.Action == PlanAction.Update && i.TargetObjectId == brandingDefault.GraphId);
        var before = fixture.Emulator.RequestLog(emulated.TenantId).Select(e => e.Sequence).DefaultIfEmpty(0).Max();

        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var restoredTerms = await support.Graph.GetPolicyAsync(tenantId, Terms, terms.GraphId);
        Targets(new JsonArray([.. restoredTerms.Assignments.Select(a => (JsonNode)a.DeepClone())])).Should().BeEquivalentTo(backedUpTargets);
        var writes = fixture.Emulator.RequestLog(emulated.TenantId, before).Where(IsWrite).ToList();
        writes.Where(e => e.PathAndQuery.Contains($"/termsAndConditions/{terms.GraphId}/assignments", StringComparison.Ordinal)).Select(e => e.Method)
            .Should().BeEquivalentTo([.. Enumerable.Repeat("POST", backedUpTargets.Count), "DELETE"], "each backed-up assignment is created and the other group's deleted");
        writes.Should().NotContain(e => e.PathAndQuery.Contains("/termsAndConditions/", StringComparison.Ordinal) && e.PathAndQuery.EndsWith("/assign", StringComparison.Ordinal));
        var brandingNow = emulated.Get(Branding, brandingDefault.GraphId)!;
        brandingNow["themeColor"]!["r"]!.GetValue<int>().Should().Be(brandingDefault.Content!["themeColor"]!["r"]!.GetValue<int>());
        brandingNow["isDefaultProfile"]!.GetValue<bool>().Should().BeTrue();
        emulated.Count(Branding).Should().Be(2, "the default is updated, never created");
    }

    [Fact]
    public async Task A_branding_default_restored_into_another_tenant_updates_that_tenants_default()
    {
        const string Branding = GraphResourceKeys.IntuneBrandingProfiles;
        var (source, sourceId) = await fixture.NewTenantAsync(s => s.FamilyCounts = new() { [Branding] = 1 });
        var (target, targetId) = await fixture.NewTenantAsync(s => { s.Seed = 12; s.Policies = 0; s.FamilyCounts = new() { [Branding] = 1 }; });
        var set = await fixture.BackupAsync(sourceId, Branding);
        var sourceDefault = source.List(Branding).Single();
        var targetDefaultId = target.Ids(Branding).Single();
        targetDefaultId.Should().NotBe(sourceDefault["id"]!.GetValue<string>());

        var requestId = await support.RequestAsync(set.Id, targetId, Branding);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Should().ContainSingle().Which.Should().Match<RestorePlanItem>(
            i => i.Match == PlanMatch.TenantDefault && i.Action == PlanAction.Update && i.TargetObjectId == targetDefaultId, string.Join("; ", plan.Items.Select(i => i.Reason)));
        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var updated = target.Get(Branding, targetDefaultId)!;
        foreach (var name in new[] { "themeColor", "contactITEmailAddress", "themeColorLogo", "lightBackgroundLogo", "landingPageCustomizedImage" })
        {
            JsonNode.DeepEquals(updated[name], sourceDefault[name]).Should().BeTrue($"the target's default takes the backed-up {name}");
        }

        updated["isDefaultProfile"]!.GetValue<bool>().Should().BeTrue();
        target.Count(Branding).Should().Be(1);
    }

    [Fact]
    public async Task A_custom_intune_role_is_created_in_another_tenant_and_a_changed_permission_put_back_while_built_in_roles_are_blocked()
    {
        const string Roles = GraphResourceKeys.RoleDefinitions;
        var (source, sourceId) = await fixture.NewTenantAsync(s => s.CustomRoleDefinitions = 1);
        var (target, targetId) = await fixture.NewTenantAsync(s => { s.Seed = 12; s.Policies = 0; s.CustomRoleDefinitions = 0; });
        var set = await fixture.BackupAsync(sourceId, Roles);
        var custom = source.List(Roles).Single(r => r["isBuiltIn"]!.GetValue<bool>() == false);
        var builtInCount = source.List(Roles).Count(r => r["isBuiltIn"]!.GetValue<bool>());
        var targetRolesBefore = target.Count(Roles);

        var requestId = await support.RequestAsync(set.Id, targetId, Roles);
        var plan = await support.PlanAsync(requestId);
        plan.Items.Single(i => i.SourceGraphId == custom["id"]!.GetValue<string>()).Action.Should().Be(PlanAction.Create, string.Join("; ", plan.Items.Select(i => i.Reason)));
        var blocked = plan.Items.Where(i => i.Action == PlanAction.Blocked).ToList();
        blocked.Should().HaveCount(builtInCount).And.OnlyContain(i => i.Reason!.Contains("is built into Intune", StringComparison.Ordinal));
        var run = await support.ExecuteAsync(requestId, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.Count(OperationSummaryKeys.Created).Should().Be(1);
        target.Count(Roles).Should().Be(targetRolesBefore + 1, "only the custom role is written; the target's built-in roles are untouched");
        var createdId = (await support.LedgerAsync(run.Id)).Single(r => r.Result == ItemResult.Created).TargetObjectId!;
        var created = target.Get(Roles, createdId)!;
        created["isBuiltIn"]!.GetValue<bool>().Should().BeFalse();
        JsonNode.DeepEquals(created["rolePermissions"], custom["rolePermissions"]).Should().BeTrue("the role's permissions are restored as backed up");

        // In the target's portal later: the role loses its permissions; a second restore of the same backup puts them back.
        target.Update(Roles, createdId, new JsonObject
        {
            ["rolePermissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray("Microsoft.Intune_Organization_Read"),
                ["resourceActions"] = new JsonArray(new JsonObject { ["allowedResourceActions"] = new JsonArray("Microsoft.Intune_Organization_Read"), ["notAllowedResourceActions"] = new JsonArray() }),
            }),
        });
        var again = await support.RequestAsync(set.Id, targetId, Roles);
        var replan = await support.PlanAsync(again);
        replan.Items.Single(i => i.SourceGraphId == custom["id"]!.GetValue<string>()).Should().Match<RestorePlanItem>(i => i.Action == PlanAction.Update && i.TargetObjectId == createdId);
        var second = await support.ExecuteAsync(again, replan.Id);

        second.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", second.Failures.Select(f => f.Message)));
        JsonNode.DeepEquals(target.Get(Roles, createdId)!["rolePermissions"], custom["rolePermissions"]).Should().BeTrue("the changed permission is put back");
        target.Count(Roles).Should().Be(targetRolesBefore + 1);
    }

    private static List<string> Targets(JsonArray assignments) =>
        [.. assignments.OfType<JsonObject>().Select(a => $"{AssignmentTarget.From(a).GroupId}|{a["target"]!["@odata.type"]!.GetValue<string>().TrimStart('#')}")];
}
