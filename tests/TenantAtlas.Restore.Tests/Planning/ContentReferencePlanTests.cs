using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Planning;

/// <summary>
/// The dependency map's content references, without I/O: a compliance action's notification template and a settings
/// catalog value's reusable setting resolve like assignment filters (choice → same id → the only namesake → blocked),
/// are rewritten in what the plan intends to write, and a drop leaves out exactly what names them.
/// </summary>
public sealed class ContentReferencePlanTests
{
    private const string Compliance = "deviceCompliancePolicies";
    private const string Catalog = "configurationPolicies";
    private const string Type = "#microsoft.graph.windows10CompliancePolicy";
    private const string SourceTemplate = "5a5a5a5a-0000-4000-8000-000000000001";
    private const string TargetTemplate = "7b7b7b7b-0000-4000-8000-000000000001";
    private const string SourceReusable = "5c5c5c5c-0000-4000-8000-000000000002";
    private const string TargetReusable = "7d7d7d7d-0000-4000-8000-000000000002";

    private static PlanSettings Settings(bool cross = true, params ReferenceChoice[] references) =>
        new(cross, " (restored)", new Dictionary<string, bool> { [Compliance] = true, [Catalog] = true }, [], references);

    private static JsonObject Policy(string templateId) => new()
    {
        ["@odata.type"] = Type,
        ["id"] = "src-policy",
        ["displayName"] = "WIN - Compliance",
        ["passwordRequired"] = true,
        ["scheduledActionsForRule"] = new JsonArray(new JsonObject
        {
            ["ruleName"] = "PasswordRequired",
            ["scheduledActionConfigurations"] = new JsonArray(
                new JsonObject { ["actionType"] = "block", ["gracePeriodHours"] = 0, ["notificationTemplateId"] = GraphReferences.NoNotificationTemplate, ["notificationMessageCCList"] = new JsonArray() },
                new JsonObject { ["actionType"] = "notification", ["gracePeriodHours"] = 24, ["notificationTemplateId"] = templateId, ["notificationMessageCCList"] = new JsonArray() }),
        }),
    };

    /// <summary>A firewall policy whose rule names two reusable address groups in a collection, one of them the referenced one.</summary>
    private static JsonObject Firewall(string reusableId, string otherReusableId) => new()
    {
        ["id"] = "src-firewall",
        ["name"] = "Firewall rules",
        ["settings"] = new JsonArray(new JsonObject
        {
            ["id"] = "0",
            ["settingInstance"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
                ["settingDefinitionId"] = "vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}",
                ["groupSettingCollectionValue"] = new JsonArray(new JsonObject
                {
                    ["children"] = new JsonArray(new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
                        ["settingDefinitionId"] = "vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords",
                        ["simpleSettingCollectionValue"] = new JsonArray(
                            new JsonObject { ["@odata.type"] = GraphReferences.ReferenceSettingValueType, ["value"] = reusableId, ["note"] = "" },
                            new JsonObject { ["@odata.type"] = GraphReferences.ReferenceSettingValueType, ["value"] = otherReusableId, ["note"] = "" }),
                    }),
                }),
            },
        }),
    };

    private static SourceItem Item(JsonObject content, string family = Compliance, long id = 1) =>
        new(id, family, content["id"]!.GetValue<string>(), (content["displayName"] ?? content["name"])!.GetValue<string>(),
            family == Compliance ? Type : null, content, []);

    private static ReferenceDirectory Directory(
        IReadOnlyList<NamedObject>? sourceTemplates = null, IReadOnlyList<NamedObject>? targetTemplates = null,
        IReadOnlyList<NamedObject>? sourceReusable = null, IReadOnlyList<NamedObject>? targetReusable = null,
        IReadOnlyDictionary<(ReferenceKind Kind, string Id), string>? backedUp = null) => ReferenceDirectory.Empty with
        {
            SourceNotificationTemplates = sourceTemplates ?? [],
            TargetNotificationTemplates = targetTemplates ?? [],
            SourceReusableSettings = sourceReusable ?? [],
            TargetReusableSettings = targetReusable ?? [],
            BackedUp = backedUp ?? new Dictionary<(ReferenceKind Kind, string Id), string>(),
        };

    private static (PlanOutcome Outcome, IReadOnlyList<PlanReference> References) Plan(SourceItem item, ReferenceDirectory directory, PlanSettings settings, TargetDetail? detail = null)
    {
        var listing = new Dictionary<string, IReadOnlyList<TargetObject>>
        {
            [item.Family] = detail is null ? [] : [new TargetObject(detail.Id, detail.DisplayName, detail.ODataType)],
        };
        var matches = PlanBuilder.Match([item], listing, settings);
        var references = PlanBuilder.ResolveReferences([item], directory, settings);
        var details = detail is null ? new Dictionary<string, TargetDetail>() : new Dictionary<string, TargetDetail> { [detail.Id] = detail };
        return (PlanBuilder.Build(matches, details, references, directory, settings), references);
    }

    private static List<string> Templates(JsonObject content) =>
        [.. content["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray().Select(a => a!["notificationTemplateId"]!.GetValue<string>())];

    [Fact]
    public void A_cross_tenant_template_found_by_name_in_the_target_is_mapped_and_the_intended_content_names_the_targets_id()
    {
        var item = Item(Policy(SourceTemplate));
        var directory = Directory(
            sourceTemplates: [new NamedObject(SourceTemplate, "Noncompliant device")],
            targetTemplates: [new NamedObject("other", "Grace period ending"), new NamedObject(TargetTemplate, "Noncompliant device")]);

        var (outcome, references) = Plan(item, directory, Settings());

        references.Should().ContainSingle("the zero GUID of the block action is no reference")
            .Which.Should().Match<PlanReference>(r => r.Kind == ReferenceKind.NotificationTemplate && r.SourceId == SourceTemplate
                && r.Resolution == ReferenceResolution.UniqueName && r.TargetId == TargetTemplate && r.SourceDisplayName == "Noncompliant device");
        outcome.Items.Single().Action.Should().Be(PlanAction.Create);
        var (content, _) = PlanBuilder.Intended(item.Content!, item.Assignments, references, []);
        Templates(content).Should().Equal(GraphReferences.NoNotificationTemplate, TargetTemplate);
    }

    [Fact]
    public void A_template_the_target_does_not_have_blocks_the_policy_and_says_to_restore_it_first_when_the_backup_holds_it()
    {
        var item = Item(Policy(SourceTemplate));
        var directory = Directory(sourceTemplates: [new NamedObject(SourceTemplate, "Noncompliant device")], targetTemplates: [new NamedObject(TargetTemplate, "Grace period ending")]);

        var (outcome, references) = Plan(item, directory, Settings());
        var (inBackup, _) = Plan(item, directory with
        {
            BackedUp = new Dictionary<(ReferenceKind Kind, string Id), string> { [(ReferenceKind.NotificationTemplate, SourceTemplate)] = "Noncompliant device" },
        }, Settings());

        references.Single().Resolution.Should().Be(ReferenceResolution.Unresolved);
        var blocked = outcome.Items.Single();
        blocked.Action.Should().Be(PlanAction.Blocked);
        blocked.Reason.Should().StartWith("Blocked until mapped or dropped: Notification template \"Noncompliant device\" (" + SourceTemplate + ") has no match in the target tenant")
            .And.NotContain("first");
        PlanJson.Read<List<PlanBlocker>>(blocked.Blockers, []).Should().Equal(new PlanBlocker(ReferenceKind.NotificationTemplate, SourceTemplate));
        inBackup.Items.Single().Reason.Should().Contain("it is in this backup set: restore the notification template \"Noncompliant device\" (" + SourceTemplate + ") first, then plan again");
    }

    [Fact]
    public void A_template_deleted_from_the_source_is_named_by_the_backup_sets_copy_and_resolved_by_that_name()
    {
        var item = Item(Policy(SourceTemplate));
        var directory = Directory(targetTemplates: [new NamedObject(TargetTemplate, "Noncompliant device")],
            backedUp: new Dictionary<(ReferenceKind Kind, string Id), string> { [(ReferenceKind.NotificationTemplate, SourceTemplate)] = "Noncompliant device" });

        var (outcome, references) = Plan(item, directory, Settings());

        references.Single().Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.UniqueName && r.TargetId == TargetTemplate && r.InBackupSet);
        outcome.Items.Single().Action.Should().Be(PlanAction.Create);
    }

    [Fact]
    public void Dropping_the_template_removes_its_notification_action_from_what_is_written_and_the_diff_shows_it()
    {
        var item = Item(Policy(SourceTemplate));
        var target = Policy(TargetTemplate);
        target["id"] = "target-policy";
        var detail = new TargetDetail("target-policy", "WIN - Compliance", Type, target, []);
        var drop = new ReferenceChoice(ReferenceKind.NotificationTemplate, SourceTemplate, ReferenceAction.Drop);

        var (outcome, references) = Plan(item, Directory(), Settings(true, drop), detail);

        references.Single().Resolution.Should().Be(ReferenceResolution.Dropped);
        var row = outcome.Items.Single();
        row.Action.Should().Be(PlanAction.Update, row.Reason);
        var (content, _) = PlanBuilder.Intended(item.Content!, item.Assignments, references, []);
        content["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray().Select(a => a!["actionType"]!.GetValue<string>())
            .Should().Equal(["block"], "only the notification action naming the dropped template is left out");
        content["passwordRequired"]!.GetValue<bool>().Should().BeTrue();
        var diff = PlanJson.Read<ObjectDiff>(row.ContentDiff, ObjectDiff.Identical);
        diff.Changes.Should().Contain(c => c.Kind == FieldChangeKind.Removed && c.Path.Contains("notification", StringComparison.Ordinal),
            "the review shows the notification action the target loses");
    }

    [Fact]
    public void A_map_choice_is_used_over_a_namesake_and_a_mapped_template_the_target_lost_blocks()
    {
        var item = Item(Policy(SourceTemplate));
        var directory = Directory(
            sourceTemplates: [new NamedObject(SourceTemplate, "Noncompliant device")],
            targetTemplates: [new NamedObject(TargetTemplate, "Noncompliant device"), new NamedObject("chosen", "Our own wording")]);
        var map = new ReferenceChoice(ReferenceKind.NotificationTemplate, SourceTemplate, ReferenceAction.Map, "chosen");

        var (outcome, references) = Plan(item, directory, Settings(true, map));
        var (gone, _) = Plan(item, directory with { TargetNotificationTemplates = [new NamedObject(TargetTemplate, "Noncompliant device")] }, Settings(true, map));

        references.Single().Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.Mapped && r.TargetId == "chosen");
        outcome.Items.Single().Action.Should().Be(PlanAction.Create);
        Templates(PlanBuilder.Intended(item.Content!, item.Assignments, references, []).Content).Should().Contain("chosen").And.NotContain(SourceTemplate);
        gone.Items.Single().Action.Should().Be(PlanAction.Blocked);
    }

    [Fact]
    public void A_same_tenant_template_resolves_by_its_id_and_the_content_is_written_unchanged()
    {
        var item = Item(Policy(SourceTemplate));
        var directory = Directory(sourceTemplates: [new NamedObject(SourceTemplate, "Noncompliant device")], targetTemplates: [new NamedObject(SourceTemplate, "Noncompliant device")]);

        var (outcome, references) = Plan(item, directory, Settings(cross: false));

        references.Single().Resolution.Should().Be(ReferenceResolution.SameId);
        outcome.Items.Single().Action.Should().Be(PlanAction.Create);
        GraphObjectDiff.Compare(item.Content!, PlanBuilder.Intended(item.Content!, item.Assignments, references, []).Content).IsIdentical.Should().BeTrue();
    }

    [Fact]
    public void Nested_reusable_settings_resolve_by_name_and_by_id_are_rewritten_and_a_dropped_one_leaves_its_collection()
    {
        const string Shared = "4e4e4e4e-0000-4000-8000-000000000003";
        var item = Item(Firewall(SourceReusable, Shared), Catalog);
        var directory = Directory(
            sourceReusable: [new NamedObject(SourceReusable, "RS - Firewall address group 0001"), new NamedObject(Shared, "RS - Shared")],
            targetReusable: [new NamedObject(TargetReusable, "RS - Firewall address group 0001"), new NamedObject(Shared, "RS - Shared")]);

        var (outcome, references) = Plan(item, directory, Settings());
        var (dropped, droppedReferences) = Plan(item, directory, Settings(true, new ReferenceChoice(ReferenceKind.ReusableSetting, SourceReusable, ReferenceAction.Drop)));

        references.Select(r => (r.Kind, r.SourceId, r.Resolution, r.TargetId)).Should().BeEquivalentTo(
        [
            (ReferenceKind.ReusableSetting, SourceReusable, ReferenceResolution.UniqueName, (string?)TargetReusable),
            (ReferenceKind.ReusableSetting, Shared, ReferenceResolution.SameId, (string?)Shared),
        ]);
        outcome.Items.Single().Action.Should().Be(PlanAction.Create);
        GraphReferences.Collect(PlanBuilder.Intended(item.Content!, item.Assignments, references, []).Content, null).ReusableSettingIds
            .Should().BeEquivalentTo([TargetReusable, Shared]);
        dropped.Items.Single().Action.Should().Be(PlanAction.Create);
        GraphReferences.Collect(PlanBuilder.Intended(item.Content!, item.Assignments, droppedReferences, []).Content, null).ReusableSettingIds
            .Should().BeEquivalentTo([Shared], "the dropped reference value leaves its collection, the other stays");
    }

    [Fact]
    public void An_ambiguous_reusable_setting_blocks_with_its_candidates()
    {
        var item = Item(Firewall(SourceReusable, SourceReusable), Catalog);
        var directory = Directory(
            sourceReusable: [new NamedObject(SourceReusable, "RS - Office")],
            targetReusable: [new NamedObject("t1", "RS - Office"), new NamedObject("t2", "RS - Office")]);

        var (outcome, references) = Plan(item, directory, Settings());

        references.Single().Should().Match<PlanReference>(r => r.Resolution == ReferenceResolution.Ambiguous && r.Candidates.Count == 2);
        outcome.Items.Single().Should().Match<RestorePlanItem>(i => i.Action == PlanAction.Blocked
            && i.Reason!.Contains("Reusable setting \"RS - Office\"", StringComparison.Ordinal) && i.Reason.Contains("several namesakes", StringComparison.Ordinal));
    }
}
