using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Planning;

/// <summary>Issue 12, item 4: the plan's decisions without I/O — matching, the dependency map, diffs and actions.</summary>
public sealed class PlanBuilderTests
{
    private const string Family = "deviceConfigurations";
    private const string Other = "deviceCompliancePolicies";
    private const string Windows = "#microsoft.graph.windows10GeneralConfiguration";
    private const string Ios = "#microsoft.graph.iosGeneralDeviceConfiguration";

    private static PlanSettings Settings(bool cross = false, ItemChoice[]? items = null, ReferenceChoice[]? references = null) =>
        new(cross, " (restored)", new Dictionary<string, bool> { [Family] = true, [Other] = true, ["windowsAutopilotDeploymentProfiles"] = false },
            items ?? [], references ?? []);

    private static JsonObject Content(string id, string name, string type = Windows, string description = "baseline", params string[] scopeTags) => new()
    {
        ["@odata.type"] = type,
        ["id"] = id,
        ["displayName"] = name,
        ["description"] = description,
        ["roleScopeTagIds"] = new JsonArray([.. (scopeTags.Length == 0 ? ["0"] : scopeTags).Select(t => (JsonNode)JsonValue.Create(t))]),
        ["lastModifiedDateTime"] = "2025-01-01T00:00:00Z",
        ["version"] = 3,
    };

    private static JsonObject GroupAssignment(string groupId, string? filterId = null, string kind = "groupAssignmentTarget") => new()
    {
        ["id"] = "a_" + groupId,
        ["target"] = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph." + kind,
            ["groupId"] = groupId,
            ["deviceAndAppManagementAssignmentFilterId"] = filterId,
            ["deviceAndAppManagementAssignmentFilterType"] = filterId is null ? "none" : "include",
        },
    };

    private static SourceItem Item(long id, string graphId, string name, string type = Windows, JsonObject? content = null, string family = Family, params JsonObject[] assignments) =>
        new(id, family, graphId, name, type, content ?? Content(graphId, name, type), new JsonArray([.. assignments.Select(a => (JsonNode)a)]));

    private static Dictionary<string, IReadOnlyList<TargetObject>> Listing(params TargetObject[] objects) => new() { [Family] = objects };

    private static PlanOutcome Plan(IReadOnlyList<SourceItem> items, IReadOnlyDictionary<string, IReadOnlyList<TargetObject>> listing, IEnumerable<TargetDetail> details, PlanSettings settings, ReferenceDirectory? directory = null)
    {
        directory ??= ReferenceDirectory.Empty;
        var matches = PlanBuilder.Match(items, listing, settings);
        var references = PlanBuilder.ResolveReferences(items, directory, settings);
        return PlanBuilder.Build(matches, details.ToDictionary(d => d.Id), references, directory, settings);
    }

    private static TargetDetail Detail(string id, string name, JsonObject content, params JsonObject[] assignments) =>
        new(id, name, content["@odata.type"]?.GetValue<string>(), content, new JsonArray([.. assignments.Select(a => (JsonNode)a)]));

    [Fact]
    public void Same_id_matches_first_even_when_the_name_differs()
    {
        var item = Item(1, "p1", "Baseline");
        var matches = PlanBuilder.Match([item], Listing(new TargetObject("P1", "Renamed", Windows), new TargetObject("p2", "Baseline", Windows)), Settings());

        matches.Single().Match.Should().Be(PlanMatch.Id);
        matches.Single().Target!.Id.Should().Be("P1");
    }

    [Fact]
    public void Same_type_and_the_only_object_with_the_name_match_when_no_id_does()
    {
        var matches = PlanBuilder.Match([Item(1, "src", "Baseline")], Listing(new TargetObject("t1", "Baseline", Windows), new TargetObject("t2", "Baseline", Ios)), Settings(cross: true));

        matches.Single().Match.Should().Be(PlanMatch.Name, "the namesake of another type is no candidate");
        matches.Single().Target!.Id.Should().Be("t1");
    }

    [Fact]
    public void No_match_is_a_create_and_a_namesake_of_another_type_or_another_case_is_none()
    {
        var outcome = Plan([Item(1, "src", "Baseline")], Listing(new TargetObject("t2", "Baseline", Ios), new TargetObject("t3", "baseline", Windows)), [], Settings(cross: true));

        var item = outcome.Items.Single();
        item.Match.Should().Be(PlanMatch.None);
        item.Action.Should().Be(PlanAction.Create);
        PlanJson.Read<ObjectDiff>(item.ContentDiff, ObjectDiff.Identical).IsIdentical.Should().BeTrue("a create has no field diff");
    }

    [Fact]
    public void Several_objects_with_the_name_are_a_conflict_with_every_candidate_never_a_guess()
    {
        var outcome = Plan([Item(1, "src", "Baseline")], Listing(new TargetObject("t1", "Baseline", Windows), new TargetObject("t2", "Baseline", Windows)), [], Settings(cross: true));

        var item = outcome.Items.Single();
        item.Action.Should().Be(PlanAction.Conflict);
        item.Match.Should().Be(PlanMatch.Ambiguous);
        item.TargetObjectId.Should().BeNull();
        PlanJson.Read<List<PlanCandidate>>(item.Candidates, []).Select(c => c.Id).Should().BeEquivalentTo(["t1", "t2"]);
        item.Reason.Should().Contain("2 objects").And.Contain("Baseline");
    }

    [Fact]
    public void Two_selected_items_that_would_update_one_object_are_both_in_conflict()
    {
        var outcome = Plan([Item(1, "s1", "Baseline"), Item(2, "s2", "Baseline")], Listing(new TargetObject("t1", "Baseline", Windows)), [], Settings(cross: true));

        outcome.Items.Should().OnlyContain(i => i.Action == PlanAction.Conflict && i.TargetObjectId == null);
    }

    [Fact]
    public void Create_as_a_copy_overrides_the_match_and_names_the_copy_with_the_suffix()
    {
        var outcome = Plan([Item(1, "p1", "Baseline")], Listing(new TargetObject("p1", "Baseline", Windows)), [],
            Settings(items: [new ItemChoice(1, RestoreItemMode.CreateCopy)]));

        var item = outcome.Items.Single();
        item.Match.Should().Be(PlanMatch.Copy);
        item.Action.Should().Be(PlanAction.Create);
        item.TargetDisplayName.Should().Be("Baseline (restored)");
    }

    [Fact]
    public void A_picked_object_is_updated_and_a_pick_that_vanished_is_a_conflict_with_a_reason()
    {
        var listing = Listing(new TargetObject("t1", "Baseline", Windows), new TargetObject("t2", "Baseline", Windows));
        var picked = PlanBuilder.Match([Item(1, "src", "Baseline")], listing, Settings(items: [new ItemChoice(1, RestoreItemMode.UpdateExisting, "t2")])).Single();
        picked.Match.Should().Be(PlanMatch.Chosen);
        picked.Target!.Id.Should().Be("t2");
        picked.Verdict.Should().BeNull();

        var gone = Plan([Item(1, "src", "Baseline")], listing, [], Settings(items: [new ItemChoice(1, RestoreItemMode.UpdateExisting, "t9")])).Items.Single();
        gone.Action.Should().Be(PlanAction.Conflict);
        gone.Reason.Should().Contain("t9").And.Contain("no longer exists");
    }

    [Fact]
    public void An_object_of_another_type_under_the_same_id_is_blocked_with_the_reason()
    {
        var outcome = Plan([Item(1, "p1", "Baseline")], Listing(new TargetObject("p1", "Baseline", Ios)), [], Settings());

        var item = outcome.Items.Single();
        item.Action.Should().Be(PlanAction.Blocked);
        item.Reason.Should().Contain("iosGeneralDeviceConfiguration").And.Contain("windows10GeneralConfiguration");
    }

    [Fact]
    public void A_family_the_registry_marks_unrestorable_is_blocked_with_the_registry_reason()
    {
        var settings = Settings() with
        {
            NotRestorableReasons = new Dictionary<string, string> { ["windowsAutopilotDeploymentProfiles"] = "Intune creates these from a template only." },
        };

        var item = Plan([Item(1, "p1", "Autopilot", family: "windowsAutopilotDeploymentProfiles")], Listing(), [], settings).Items.Single();

        item.Action.Should().Be(PlanAction.Blocked);
        item.Reason.Should().Be("TenantAtlas cannot restore objects of the family 'windowsAutopilotDeploymentProfiles': Intune creates these from a template only.");
    }

    [Fact]
    public void A_family_restored_only_into_its_own_tenant_is_blocked_cross_tenant_with_the_registry_reason_and_its_state_change_planned_in_its_own()
    {
        const string ca = "conditionalAccessPolicies";
        const string why = "a Conditional Access policy names users, groups, roles and named locations by their ids in this tenant.";
        PlanSettings SettingsFor(bool cross) => new(
            cross, " (restored)", new Dictionary<string, bool> { [Family] = true, [ca] = true }, [], [],
            CrossTenantBlockedReasons: new Dictionary<string, string> { [ca] = why });
        var backedUp = new JsonObject
        {
            ["id"] = "ca1",
            ["displayName"] = "Require MFA",
            ["state"] = "enabled",
            ["conditions"] = new JsonObject { ["users"] = new JsonObject { ["includeGroups"] = new JsonArray("g1") } },
            ["modifiedDateTime"] = "2025-01-01T00:00:00Z",
        };
        var live = (JsonObject)backedUp.DeepClone();
        live["state"] = "disabled";
        var policy = new SourceItem(1, ca, "ca1", "Require MFA", null, backedUp, []);
        var listing = new Dictionary<string, IReadOnlyList<TargetObject>> { [ca] = [new TargetObject("ca1", "Require MFA", null)], [Family] = [] };

        var crossTenant = Plan([policy, Item(2, "p1", "Baseline")], listing, [], SettingsFor(cross: true)).Items;
        var sameTenant = Plan([policy], listing, [new TargetDetail("ca1", "Require MFA", null, live, [])], SettingsFor(cross: false)).Items.Single();

        var blocked = crossTenant.Single(i => i.Family == ca);
        blocked.Action.Should().Be(PlanAction.Blocked);
        blocked.Reason.Should().Be($"TenantAtlas restores objects of the family '{ca}' only into the tenant they were backed up from: {why}");
        crossTenant.Single(i => i.Family == Family).Action.Should().Be(PlanAction.Create, "other families still restore across tenants");
        sameTenant.Action.Should().Be(PlanAction.Update);
        var change = PlanJson.Read<ObjectDiff>(sameTenant.ContentDiff, ObjectDiff.Identical).Changes.Should().ContainSingle().Subject;
        (change.Path, change.Before!.GetValue<string>(), change.After!.GetValue<string>()).Should().Be(("state", "disabled", "enabled"), "the plan shows the state it writes");
    }

    [Fact]
    public void A_built_in_role_or_scope_tag_is_blocked_and_a_custom_one_is_planned()
    {
        const string roles = "roleDefinitions";
        var settings = new PlanSettings(
            true, " (restored)", new Dictionary<string, bool> { [roles] = true }, [], [],
            BuiltInProperties: new Dictionary<string, string> { [roles] = "isBuiltIn" });
        SourceItem Role(long id, string name, bool builtIn) => new(
            id, roles, "r" + id, name, "#microsoft.graph.deviceAndAppManagementRoleDefinition",
            new JsonObject { ["id"] = "r" + id, ["displayName"] = name, ["isBuiltIn"] = builtIn, ["rolePermissions"] = new JsonArray() }, []);
        var listing = new Dictionary<string, IReadOnlyList<TargetObject>> { [roles] = [] };

        var items = Plan([Role(1, "Help Desk Operator", builtIn: true), Role(2, "Contoso Tier 1", builtIn: false)], listing, [], settings).Items;

        var builtIn = items.Single(i => i.DisplayName == "Help Desk Operator");
        builtIn.Action.Should().Be(PlanAction.Blocked);
        builtIn.Reason.Should().Be("\"Help Desk Operator\" is built into Intune: it cannot be created or changed, so TenantAtlas restores only the custom ones.");
        items.Single(i => i.DisplayName == "Contoso Tier 1").Action.Should().Be(PlanAction.Create);
    }

    [Fact]
    public void An_unreadable_item_an_unknown_family_and_a_family_without_restore_are_blocked_with_reasons()
    {
        var unreadable = new SourceItem(1, Family, "p1", "Broken", Windows, null, [], "the stored JSON is not an object");
        var unknown = Item(2, "p2", "Mystery", family: "futurePolicies");
        var readOnly = Item(3, "p3", "Autopilot", family: "windowsAutopilotDeploymentProfiles");

        var outcome = Plan([unreadable, unknown, readOnly], Listing(), [], Settings());

        outcome.Items.Should().OnlyContain(i => i.Action == PlanAction.Blocked);
        outcome.Items.Single(i => i.BackupItemId == 1).Reason.Should().Contain("the stored JSON is not an object");
        outcome.Items.Single(i => i.BackupItemId == 2).Reason.Should().Contain("futurePolicies").And.Contain("unknown");
        outcome.Items.Single(i => i.BackupItemId == 3).Reason.Should().Contain("cannot restore");
    }

    [Fact]
    public void Volatile_fields_never_make_a_diff_and_an_identical_item_is_skipped()
    {
        var backup = Content("p1", "Baseline");
        var target = Content("p1", "Baseline");
        target["lastModifiedDateTime"] = "2026-12-01T10:00:00.1234567Z";
        target["createdDateTime"] = "2026-01-01T00:00:00Z";
        target["version"] = 9;
        target["@odata.context"] = "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations/$entity";
        target["supportsScopeTags"] = true;
        var assignment = GroupAssignment("g1");
        var targetAssignment = GroupAssignment("g1");
        targetAssignment["id"] = "another-assignment-id";
        var directory = ReferenceDirectory.Empty with { TargetGroups = [new NamedObject("g1", "Pilots")], SourceGroupNames = new Dictionary<string, string> { ["g1"] = "Pilots" } };

        var outcome = Plan([Item(1, "p1", "Baseline", content: backup, assignments: [assignment])], Listing(new TargetObject("p1", "Baseline", Windows)),
            [Detail("p1", "Baseline", target, targetAssignment)], Settings(), directory);

        var item = outcome.Items.Single();
        item.Action.Should().Be(PlanAction.Skip, item.ContentDiff + item.AssignmentDiff);
        PlanJson.Read<ObjectDiff>(item.ContentDiff, ObjectDiff.Identical).Changes.Should().BeEmpty();
        item.TargetVersion.Should().Be("9");
        item.TargetContent.Should().Contain("another-assignment-id", "the target is stored as read, assignments included");
    }

    [Fact]
    public void One_changed_setting_is_an_update_whose_diff_holds_exactly_that_field()
    {
        var target = Content("p1", "Baseline", description: "changed in the portal");
        target["version"] = 4;

        var outcome = Plan([Item(1, "p1", "Baseline")], Listing(new TargetObject("p1", "Baseline", Windows)), [Detail("p1", "Baseline", target)], Settings());

        var item = outcome.Items.Single();
        item.Action.Should().Be(PlanAction.Update);
        var change = PlanJson.Read<ObjectDiff>(item.ContentDiff, ObjectDiff.Identical).Changes.Should().ContainSingle().Subject;
        change.Path.Should().Be("description");
        change.Before!.GetValue<string>().Should().Be("changed in the portal");
        change.After!.GetValue<string>().Should().Be("baseline");
    }

    private static ReferenceDirectory CrossDirectory(params NamedObject[] targetGroups) => new(
        new Dictionary<string, string> { ["sg1"] = "Pilots", ["sg2"] = "Finance", ["sg3"] = "Dup" },
        targetGroups,
        [new NamedObject("sf1", "Filter - Windows 01")],
        [new NamedObject("tf1", "Filter - Windows 01"), new NamedObject("tf2", "Filter - iOS 02")],
        [new NamedObject("0", "Default"), new NamedObject("1", "Berlin")],
        [new NamedObject("0", "Default"), new NamedObject("1", "Paris"), new NamedObject("7", "Berlin")],
        []);

    [Fact]
    public void A_cross_tenant_plan_maps_groups_filters_and_scope_tags_by_name_and_writes_the_target_ids_into_the_diff()
    {
        var content = Content("p1", "Baseline", scopeTags: ["0", "1"]);
        var item = Item(1, "p1", "Baseline", content: content, assignments: [GroupAssignment("sg1", "sf1")]);

        var outcome = Plan([item], Listing(), [], Settings(cross: true), CrossDirectory(new NamedObject("tg1", "Pilots")));

        var references = outcome.References.ToDictionary(r => (r.Kind, r.SourceId));
        references[(ReferenceKind.Group, "sg1")].Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.UniqueName && r.TargetId == "tg1");
        references[(ReferenceKind.AssignmentFilter, "sf1")].Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.UniqueName && r.TargetId == "tf1");
        references[(ReferenceKind.ScopeTag, "0")].Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.SameId && r.TargetId == "0");
        references[(ReferenceKind.ScopeTag, "1")].Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.UniqueName && r.TargetId == "7",
            "scope tag ids are per-tenant numbers: tag 1 of the target is another tag (Paris), the source's Berlin is 7 there");
        var planned = outcome.Items.Single();
        planned.Action.Should().Be(PlanAction.Create);
        var added = PlanJson.Read<AssignmentDiff>(planned.AssignmentDiff, AssignmentDiff.Identical).Changes.Should().ContainSingle().Subject;
        added.Kind.Should().Be(FieldChangeKind.Added);
        added.Target.GroupId.Should().Be("tg1");
        added.Target.FilterId.Should().Be("tf1");
    }

    [Fact]
    public void An_unresolved_or_ambiguous_reference_blocks_the_items_that_use_it_and_no_other()
    {
        var uses = Item(1, "p1", "Uses finance", assignments: [GroupAssignment("sg2")]);
        var usesDup = Item(2, "p2", "Uses dup", assignments: [GroupAssignment("sg3")]);
        var clean = Item(3, "c1", "Compliance", family: Other, assignments: [GroupAssignment("sg1")]);

        var outcome = Plan([uses, usesDup, clean], new Dictionary<string, IReadOnlyList<TargetObject>>(), [], Settings(cross: true),
            CrossDirectory(new NamedObject("tg1", "Pilots"), new NamedObject("td1", "Dup"), new NamedObject("td2", "Dup")));

        outcome.References.Single(r => r.SourceId == "sg2").Resolution.Should().Be(ReferenceResolution.Unresolved);
        var dup = outcome.References.Single(r => r.SourceId == "sg3");
        dup.Resolution.Should().Be(ReferenceResolution.Ambiguous);
        dup.Candidates.Select(c => c.Id).Should().BeEquivalentTo(["td1", "td2"]);
        var blocked = outcome.Items.Single(i => i.BackupItemId == 1);
        blocked.Action.Should().Be(PlanAction.Blocked);
        blocked.Reason.Should().Contain("\"Finance\" (sg2)");
        PlanJson.Read<List<PlanBlocker>>(blocked.Blockers, []).Should().Equal(new PlanBlocker(ReferenceKind.Group, "sg2"));
        outcome.Items.Single(i => i.BackupItemId == 2).Action.Should().Be(PlanAction.Blocked);
        outcome.Items.Single(i => i.BackupItemId == 3).Action.Should().Be(PlanAction.Create, "an item of another family that uses only resolved references is unaffected");
    }

    [Fact]
    public void A_map_choice_resolves_the_reference_and_a_drop_choice_leaves_its_assignments_out()
    {
        var item = Item(1, "p1", "Baseline", assignments: [GroupAssignment("sg2"), GroupAssignment("sg1")]);
        var mapped = Plan([item], Listing(), [], Settings(cross: true, references: [new ReferenceChoice(ReferenceKind.Group, "sg2", ReferenceAction.Map, "tg9")]),
            CrossDirectory(new NamedObject("tg1", "Pilots"), new NamedObject("tg9", "Finance EU")));
        mapped.References.Single(r => r.SourceId == "sg2").Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.Mapped && r.TargetId == "tg9" && r.TargetDisplayName == "Finance EU");
        mapped.Items.Single().Action.Should().Be(PlanAction.Create);

        var dropped = Plan([item], Listing(), [], Settings(cross: true, references: [new ReferenceChoice(ReferenceKind.Group, "sg2", ReferenceAction.Drop)]),
            CrossDirectory(new NamedObject("tg1", "Pilots")));
        dropped.References.Single(r => r.SourceId == "sg2").Resolution.Should().Be(ReferenceResolution.Dropped);
        var only = dropped.Items.Single();
        only.Action.Should().Be(PlanAction.Create);
        PlanJson.Read<AssignmentDiff>(only.AssignmentDiff, AssignmentDiff.Identical).Changes.Should().ContainSingle().Which.Target.GroupId.Should().Be("tg1");

        var stale = Plan([item], Listing(), [], Settings(cross: true, references: [new ReferenceChoice(ReferenceKind.Group, "sg2", ReferenceAction.Map, "gone")]),
            CrossDirectory(new NamedObject("tg1", "Pilots")));
        stale.Items.Single().Action.Should().Be(PlanAction.Blocked, "a mapped group the target no longer has blocks again");
    }

    [Fact]
    public void An_update_never_removes_the_targets_assignment_to_a_protected_group()
    {
        var target = Content("p1", "Baseline", description: "other");
        var directory = ReferenceDirectory.Empty with
        {
            SourceGroupNames = new Dictionary<string, string> { ["g1"] = "Pilots" },
            TargetGroups = [new NamedObject("g1", "Pilots"), new NamedObject("gp", "Break glass")],
            ProtectedGroups = [new NamedObject("gp", "Break glass")],
        };

        var outcome = Plan([Item(1, "p1", "Baseline", assignments: [GroupAssignment("g1")])], Listing(new TargetObject("p1", "Baseline", Windows)),
            [Detail("p1", "Baseline", target, GroupAssignment("g1"), GroupAssignment("gp", kind: "exclusionGroupAssignmentTarget"), GroupAssignment("g2"))], Settings(), directory);

        var item = outcome.Items.Single();
        item.Action.Should().Be(PlanAction.Update);
        var changes = PlanJson.Read<AssignmentDiff>(item.AssignmentDiff, AssignmentDiff.Identical).Changes;
        changes.Should().ContainSingle(c => c.Kind == FieldChangeKind.Removed).Which.Target.GroupId.Should().Be("g2", "an unprotected group's assignment is removed as the backup says");
        changes.Should().NotContain(c => c.Target.GroupId == "gp");
        PlanJson.Read<List<JsonObject>>(item.ProtectedAssignments, []).Should().ContainSingle()
            .Which["target"]!["groupId"]!.GetValue<string>().Should().Be("gp");
    }
}
