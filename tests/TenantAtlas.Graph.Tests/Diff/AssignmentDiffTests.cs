using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using static TenantAtlas.Graph.Tests.Diff.DiffSamples;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>Assignments: matched by whom they target, the filter and intent compared as fields.</summary>
public sealed class AssignmentDiffTests
{
    [Fact]
    public void The_same_assignments_with_other_ids_other_source_ids_and_in_another_order_are_identical()
    {
        var before = new JsonArray(
            Assignment("groupAssignmentTarget", GroupA, policyId: "p1"),
            Assignment("allDevicesAssignmentTarget", filterId: FilterF, filterType: "include", policyId: "p1"));
        var after = new JsonArray(
            Assignment("allDevicesAssignmentTarget", filterId: FilterF, filterType: "include", policyId: "p2"),
            Assignment("groupAssignmentTarget", GroupA.ToUpperInvariant(), policyId: "p2"));
        after[0]!["lastModifiedDateTime"] = "2026-01-01T00:00:00Z";
        after[0]!["target"]!["@odata.type"] = "microsoft.graph.allDevicesAssignmentTarget";

        var diff = GraphObjectDiff.CompareAssignments(before, after);

        diff.IsIdentical.Should().BeTrue("ids, source ids and timestamps are the service's, a group id's case and the type's # carry no meaning");
    }

    [Fact]
    public void An_added_group_a_removed_filter_and_a_changed_intent_are_reported_per_assignment()
    {
        var before = new JsonArray(
            Assignment("groupAssignmentTarget", GroupA),
            Assignment("groupAssignmentTarget", GroupB, filterId: FilterF, filterType: "include"),
            Assignment("allLicensedUsersAssignmentTarget", intent: "apply"));
        var after = new JsonArray(
            Assignment("groupAssignmentTarget", GroupA),
            Assignment("groupAssignmentTarget", GroupB),
            Assignment("allLicensedUsersAssignmentTarget", intent: "remove"),
            Assignment("groupAssignmentTarget", GroupC));

        var diff = GraphObjectDiff.CompareAssignments(before, after);

        diff.Changes.Select(c => (c.Kind, c.Target.TargetType, c.Target.GroupId)).Should().Equal(
            (FieldChangeKind.Changed, "groupAssignmentTarget", GroupB),
            (FieldChangeKind.Changed, "allLicensedUsersAssignmentTarget", null),
            (FieldChangeKind.Added, "groupAssignmentTarget", GroupC));

        var filterRemoved = diff.Changes[0];
        filterRemoved.Fields.Select(f => (f.Path, f.BeforePreview, f.AfterPreview)).Should().Equal(
            ("target.deviceAndAppManagementAssignmentFilterId", $"\"{FilterF}\"", "null"),
            ("target.deviceAndAppManagementAssignmentFilterType", "\"include\"", "\"none\""));
        filterRemoved.Target.FilterId.Should().BeNull("the target is read from the after side");
        filterRemoved.Before!["target"]!["deviceAndAppManagementAssignmentFilterId"]!.GetValue<string>().Should().Be(FilterF);

        diff.Changes[1].Fields.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Path = "intent", Kind = FieldChangeKind.Changed });
        diff.Changes[2].After!.AsObject().ContainsKey("id").Should().BeFalse();
        diff.Changes[2].After!.AsObject().ContainsKey("sourceId").Should().BeFalse();
    }

    [Fact]
    public void Including_and_excluding_the_same_group_are_different_assignments()
    {
        var diff = GraphObjectDiff.CompareAssignments(
            new JsonArray(Assignment("groupAssignmentTarget", GroupA)),
            new JsonArray(Assignment("exclusionGroupAssignmentTarget", GroupA)));

        diff.Changes.Select(c => (c.Kind, c.Target.IsExclusion)).Should().Equal((FieldChangeKind.Removed, false), (FieldChangeKind.Added, true));
    }

    [Fact]
    public void The_target_reads_type_group_filter_and_intent()
    {
        var target = AssignmentTarget.From(Assignment("groupAssignmentTarget", GroupB, filterId: FilterF, filterType: "exclude", intent: "apply"));

        target.Should().Be(new AssignmentTarget("groupAssignmentTarget", GroupB, FilterF, "exclude", "apply"));
        AssignmentTarget.From(Parse("""{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}"""))
            .Should().Be(new AssignmentTarget("allDevicesAssignmentTarget", null, null, "none", null));
    }

    [Fact]
    public void References_are_collected_and_a_mapped_backup_matches_the_target_tenant()
    {
        var content = Parse("""{"displayName": "x", "roleScopeTagIds": ["0", "12"]}""");
        var sourceAssignments = new JsonArray(
            Assignment("groupAssignmentTarget", GroupA, filterId: FilterF, filterType: "include"),
            Assignment("exclusionGroupAssignmentTarget", GroupB),
            Assignment("allDevicesAssignmentTarget"));

        var references = GraphReferences.Collect(content, sourceAssignments);
        references.GroupIds.Should().BeEquivalentTo([GroupA, GroupB]);
        references.FilterIds.Should().BeEquivalentTo([FilterF]);
        references.ScopeTagIds.Should().BeEquivalentTo(["0", "12"]);

        const string targetGroupA = "aaaaaaaa-0000-4000-8000-000000000001";
        const string targetGroupB = "bbbbbbbb-0000-4000-8000-000000000002";
        const string targetFilter = "ffffffff-0000-4000-8000-000000000003";
        var map = new ReferenceMap(
            new Dictionary<string, string> { [GroupA.ToUpperInvariant()] = targetGroupA, [GroupB] = targetGroupB },
            new Dictionary<string, string> { [FilterF] = targetFilter },
            new Dictionary<string, string> { ["12"] = "4" });
        var targetAssignments = new JsonArray(
            Assignment("groupAssignmentTarget", targetGroupA, filterId: targetFilter, filterType: "include", policyId: "target-policy"),
            Assignment("exclusionGroupAssignmentTarget", targetGroupB, policyId: "target-policy"),
            Assignment("allDevicesAssignmentTarget", policyId: "target-policy"));

        GraphObjectDiff.CompareAssignments(targetAssignments, sourceAssignments).Changes.Should().HaveCount(4, "unmapped, every group assignment differs");
        GraphObjectDiff.CompareAssignments(targetAssignments, GraphReferences.RewriteAssignments(sourceAssignments, map)).IsIdentical.Should().BeTrue();
        GraphReferences.Rewrite(content, map)["roleScopeTagIds"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("0", "4");
        sourceAssignments[0]!["target"]!["groupId"]!.GetValue<string>().Should().Be(GroupA, "rewriting works on a copy");
    }
}
