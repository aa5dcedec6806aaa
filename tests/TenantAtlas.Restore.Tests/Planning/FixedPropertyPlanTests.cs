using System.Text.Json.Nodes;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Planning;

/// <summary>
/// What a restore never writes across: an endpoint security intent keeps the template it was made from for life (the
/// registry's fixed property, <c>templateId</c>), and a tenant's built-in default branding profile is not an admin's own
/// profile that happens to share its name. A namesake of another template, or the default, is left alone and the item is
/// created beside it; an object matched by id or picked with another template is blocked with the reason.
/// </summary>
public sealed class FixedPropertyPlanTests
{
    private const string Intents = "intents";
    private const string Branding = "intuneBrandingProfiles";
    private const string IntentType = "#microsoft.graph.deviceManagementIntent";
    private const string BrandingType = "#microsoft.graph.intuneBrandingProfile";
    private const string Firewall = "4356d05c-a4ab-4a07-9ece-739f7c792910";
    private const string Antivirus = "804339ad-1553-4478-a742-138fb5807418";

    private static PlanSettings Settings(params ItemChoice[] choices) =>
        new(true, " (restored)", new Dictionary<string, bool> { [Intents] = true, [Branding] = true }, choices, [],
            DefaultObjectProperties: new Dictionary<string, string> { [Branding] = "isDefaultProfile" },
            FixedProperties: new Dictionary<string, string> { [Intents] = "templateId" });

    private static SourceItem Intent(string id, string templateId) =>
        new(1, Intents, id, "Baseline firewall", IntentType,
            new JsonObject { ["@odata.type"] = IntentType, ["id"] = id, ["displayName"] = "Baseline firewall", ["templateId"] = templateId, ["description"] = "backed up" }, []);

    private static PlanOutcome Plan(SourceItem item, string family, TargetObject[] listing, PlanSettings settings, params TargetDetail[] details)
    {
        var matches = PlanBuilder.Match([item], new Dictionary<string, IReadOnlyList<TargetObject>> { [family] = listing }, settings);
        var references = PlanBuilder.ResolveReferences([item], ReferenceDirectory.Empty, settings);
        return PlanBuilder.Build(matches, details.ToDictionary(d => d.Id), references, ReferenceDirectory.Empty, settings);
    }

    [Fact]
    public void A_namesake_made_from_another_template_is_left_alone_and_the_intent_created_one_of_its_own_template_updated()
    {
        var otherTemplate = Plan(Intent("source-intent", Firewall), Intents,
            [new TargetObject("target-antivirus", "Baseline firewall", IntentType, Fixed: Antivirus)], Settings()).Items.Single();
        var sameTemplate = Plan(Intent("source-intent", Firewall), Intents,
            [new TargetObject("target-antivirus", "Baseline firewall", IntentType, Fixed: Antivirus),
             new TargetObject("target-firewall", "Baseline firewall", IntentType, Fixed: Firewall)], Settings(),
            new TargetDetail("target-firewall", "Baseline firewall", IntentType,
                new JsonObject { ["@odata.type"] = IntentType, ["id"] = "target-firewall", ["displayName"] = "Baseline firewall", ["templateId"] = Firewall, ["description"] = "changed" }, [])).Items.Single();

        otherTemplate.Action.Should().Be(PlanAction.Create, "an antivirus profile named like the backed-up firewall profile is not the same profile");
        otherTemplate.TargetObjectId.Should().BeNull();
        sameTemplate.Action.Should().Be(PlanAction.Update);
        sameTemplate.TargetObjectId.Should().Be("target-firewall", "the one namesake made from the same template, not an ambiguity with the other");
    }

    [Fact]
    public void An_intent_matched_by_id_or_picked_with_another_template_is_blocked_with_the_reason()
    {
        var byId = Plan(Intent("intent-1", Firewall), Intents,
            [new TargetObject("intent-1", "Baseline firewall", IntentType, Fixed: Antivirus)], Settings()).Items.Single();
        var picked = Plan(Intent("source-intent", Firewall), Intents,
            [new TargetObject("target-antivirus", "Something else", IntentType, Fixed: Antivirus)],
            Settings(new ItemChoice(1, RestoreItemMode.UpdateExisting, "target-antivirus"))).Items.Single();

        foreach (var item in new[] { byId, picked })
        {
            item.Action.Should().Be(PlanAction.Blocked);
            item.Reason.Should().Contain($"templateId {Antivirus}").And.Contain(Firewall).And.Contain("Create a copy");
        }
    }

    [Fact]
    public void An_admins_own_branding_profile_named_like_the_targets_default_is_created_beside_it()
    {
        var own = new SourceItem(1, Branding, "source-profile", "Contoso", BrandingType,
            new JsonObject { ["@odata.type"] = BrandingType, ["id"] = "source-profile", ["profileName"] = "Contoso", ["isDefaultProfile"] = false }, []);

        var item = Plan(own, Branding, [new TargetObject("target-default", "Contoso", BrandingType, IsDefault: true)], Settings()).Items.Single();

        item.Action.Should().Be(PlanAction.Create, "the target's default profile is only ever the restore of a backed-up default");
        item.TargetObjectId.Should().BeNull();
    }
}
