using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Planning;

/// <summary>
/// Issue 16: Intune's default enrollment configurations exist in every tenant (one per type, id "{tenantId}_Default…")
/// and can only be updated. The plan matches a backed-up default to the target's default of the same type — never by
/// id or name, never as a create or a copy.
/// </summary>
public sealed class TenantDefaultPlanTests
{
    private const string Family = "deviceEnrollmentConfigurations";
    private const string Limit = "#microsoft.graph.deviceEnrollmentLimitConfiguration";
    private const string Restrictions = "#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration";
    private const string SourceTenant = "11111111-1111-1111-1111-111111111111";
    private const string TargetTenant = "22222222-2222-2222-2222-222222222222";

    private static PlanSettings Settings(params ItemChoice[] choices) =>
        new(true, " (restored)", new Dictionary<string, bool> { [Family] = true }, choices, [],
            DefaultObjectMarkers: new Dictionary<string, string> { [Family] = "_Default" },
            NotWritableProperties: new Dictionary<string, IReadOnlyList<string>> { [Family] = ["priority"] });

    private static JsonObject Content(string id, string type, int limit, int priority = 0) => new()
    {
        ["@odata.type"] = type,
        ["id"] = id,
        ["displayName"] = "All users and all devices",
        ["priority"] = priority,
        ["limit"] = limit,
        ["roleScopeTagIds"] = new JsonArray("0"),
    };

    private static SourceItem Item(string graphId, string type, int limit = 5) =>
        new(1, Family, graphId, "All users and all devices", type, Content(graphId, type, limit), []);

    private static PlanOutcome Plan(SourceItem item, TargetObject[] listing, TargetDetail[] details, PlanSettings settings)
    {
        var matches = PlanBuilder.Match([item], new Dictionary<string, IReadOnlyList<TargetObject>> { [Family] = listing }, settings);
        var references = PlanBuilder.ResolveReferences([item], ReferenceDirectory.Empty, settings);
        return PlanBuilder.Build(matches, details.ToDictionary(d => d.Id), references, ReferenceDirectory.Empty, settings);
    }

    [Fact]
    public void A_default_updates_the_targets_default_of_the_same_type_whose_id_names_the_other_tenant()
    {
        var targetLimit = $"{TargetTenant}_DefaultLimit";
        var outcome = Plan(Item($"{SourceTenant}_DefaultLimit", Limit, limit: 5),
            [new TargetObject($"{TargetTenant}_DefaultPlatformRestrictions", "All users and all devices", Restrictions),
             new TargetObject(targetLimit, "All users and all devices", Limit),
             new TargetObject("custom-limit", "All users and all devices", Limit)],
            [new TargetDetail(targetLimit, "All users and all devices", Limit, Content(targetLimit, Limit, 15), [])],
            Settings());

        var item = outcome.Items.Single();
        item.Match.Should().Be(PlanMatch.TenantDefault);
        item.TargetObjectId.Should().Be(targetLimit, "the default of the same type, not the namesake of the admin's");
        item.Action.Should().Be(PlanAction.Update);
    }

    [Fact]
    public void A_default_is_blocked_when_the_target_has_none_of_its_type_or_the_admin_asks_for_a_copy()
    {
        var noDefault = Plan(Item($"{SourceTenant}_DefaultLimit", Limit),
            [new TargetObject("custom-limit", "All users and all devices", Limit)], [], Settings()).Items.Single();
        var copy = Plan(Item($"{SourceTenant}_DefaultLimit", Limit),
            [new TargetObject($"{TargetTenant}_DefaultLimit", "All users and all devices", Limit)], [],
            Settings(new ItemChoice(1, RestoreItemMode.CreateCopy))).Items.Single();

        noDefault.Action.Should().Be(PlanAction.Blocked, "Intune does not create defaults and a name match would overwrite an admin's object");
        noDefault.Reason.Should().Contain("built-in default").And.Contain("only be updated");
        copy.Action.Should().Be(PlanAction.Blocked);
        copy.Reason.Should().Contain("not as a copy");
    }

    [Fact]
    public void An_object_of_the_admins_own_matches_and_creates_as_usual()
    {
        var outcome = Plan(Item("3f2c-own_Limit", Limit), [], [], Settings());

        outcome.Items.Single().Match.Should().Be(PlanMatch.None);
        outcome.Items.Single().Action.Should().Be(PlanAction.Create);
    }

    [Fact]
    public void A_different_priority_alone_is_nothing_to_write_because_no_write_can_set_it()
    {
        var item = new SourceItem(1, Family, "own-limit", "All users and all devices", Limit, Content("own-limit", Limit, 5, priority: 2), []);
        var listing = new[] { new TargetObject("their-limit", "All users and all devices", Limit) };

        var samePriorityAside = Plan(item, listing, [new TargetDetail("their-limit", "All users and all devices", Limit, Content("their-limit", Limit, 5, priority: 7), [])], Settings()).Items.Single();
        var otherLimit = Plan(item, listing, [new TargetDetail("their-limit", "All users and all devices", Limit, Content("their-limit", Limit, 9, priority: 7), [])], Settings()).Items.Single();

        samePriorityAside.Action.Should().Be(PlanAction.Skip, "the order Intune applies configurations in is set with setPriority, which a restore does not call; a re-plan must not offer the same update again");
        otherLimit.Action.Should().Be(PlanAction.Update);
        PlanJson.Read<ObjectDiff>(otherLimit.ContentDiff, ObjectDiff.Identical).Changes.Select(c => c.Path).Should().Equal(["limit"]);
    }

    [Fact]
    public void A_branding_default_is_known_by_its_isDefaultProfile_and_updates_the_targets_default_whatever_its_id_or_name()
    {
        const string branding = "intuneBrandingProfiles";
        const string type = "#microsoft.graph.intuneBrandingProfile";
        var settings = new PlanSettings(true, " (restored)", new Dictionary<string, bool> { [branding] = true }, [], [],
            DefaultObjectProperties: new Dictionary<string, string> { [branding] = "isDefaultProfile" });
        SourceItem Profile(long id, string graphId, string name, bool isDefault) =>
            new(id, branding, graphId, name, type, new JsonObject { ["@odata.type"] = type, ["id"] = graphId, ["profileName"] = name, ["isDefaultProfile"] = isDefault }, []);
        var sourceDefault = Profile(1, "aaaaaaaa-0000-0000-0000-000000000001", "Default", isDefault: true);
        var own = Profile(2, "aaaaaaaa-0000-0000-0000-000000000002", "Kiosk", isDefault: false);
        TargetObject[] listing =
        [
            new("bbbbbbbb-0000-0000-0000-000000000001", "Default", type, IsDefault: false),
            new("bbbbbbbb-0000-0000-0000-000000000009", "Contoso branding", type, IsDefault: true),
        ];

        var matches = PlanBuilder.Match([sourceDefault, own], new Dictionary<string, IReadOnlyList<TargetObject>> { [branding] = listing }, settings);
        var copy = PlanBuilder.Match([sourceDefault], new Dictionary<string, IReadOnlyList<TargetObject>> { [branding] = listing },
            settings with { ItemChoices = [new ItemChoice(1, RestoreItemMode.CreateCopy)] }).Single();
        var noDefault = PlanBuilder.Match([sourceDefault], new Dictionary<string, IReadOnlyList<TargetObject>> { [branding] = [listing[0]] }, settings).Single();

        matches[0].Match.Should().Be(PlanMatch.TenantDefault);
        matches[0].Target!.Id.Should().Be("bbbbbbbb-0000-0000-0000-000000000009", "the target's default, not the admin's profile that happens to be named Default");
        matches[1].Match.Should().Be(PlanMatch.None, "a profile of the admin's own is created as usual");
        copy.Verdict.Should().Be(PlanAction.Blocked);
        noDefault.Verdict.Should().Be(PlanAction.Blocked);
        noDefault.Reason.Should().Contain("only be updated");
    }
}

