using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using static TenantAtlas.Graph.Tests.Diff.DiffSamples;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>Administrative templates, compliance scheduled actions and custom profiles: collections matched by their key.</summary>
public sealed class KeyedCollectionDiffTests
{
    [Fact]
    public void Definition_values_match_by_definition_and_presentation_values_by_presentation_whatever_their_order_and_ids()
    {
        var before = AdministrativeTemplate(valueIdSuffix: "a");
        var after = AdministrativeTemplate(valueIdSuffix: "b", reverse: true);

        GraphObjectDiff.Compare(before, after).IsIdentical.Should().BeTrue("the ids of values are the service's; the definition is the identity");
    }

    [Fact]
    public void A_changed_presentation_value_is_named_after_the_definition_and_the_presentation_label()
    {
        var diff = GraphObjectDiff.Compare(AdministrativeTemplate(installTime: 3), AdministrativeTemplate(installTime: 22, reverse: true));

        var change = diff.Changes.Should().ContainSingle().Subject;
        change.Path.Should().Be("definitionValues[Configure Automatic Updates].presentationValues[Scheduled install time].value");
        change.Locator.Should().Be("/definitionValues/7d3a1c55-8a3e-4c1f-b2a9-0e5f6d4c3b21/presentationValues/b2d1f8a3-6c55-4e1f-8d4b-3a2c9e8f7d61/value");
        (change.BeforePreview, change.AfterPreview).Should().Be(("3", "22"));
    }

    [Fact]
    public void An_enabled_switch_and_an_added_definition_value_are_reported_by_definition_name()
    {
        var before = AdministrativeTemplate(cortanaEnabled: false);
        var after = AdministrativeTemplate(cortanaEnabled: true);
        after["definitionValues"]!.AsArray().Add(Parse("""
        {
          "enabled": true,
          "configurationType": "policy",
          "id": "55555555-0000-0000-0000-000000000000",
          "definition": { "id": "e6f4d3c2-2a1b-4c9d-8e7f-0a9b8c7d6e53", "displayName": "Turn off the advertising ID", "classType": "machine" },
          "presentationValues": []
        }
        """));

        var diff = GraphObjectDiff.Compare(before, after);

        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("definitionValues[Allow Cortana].enabled", FieldChangeKind.Changed),
            ("definitionValues[Turn off the advertising ID]", FieldChangeKind.Added));
        diff.Changes[1].After!.AsObject().Select(p => p.Key).Should().Equal("enabled", "configurationType", "presentationValues");
    }

    [Fact]
    public void A_definition_value_written_with_a_bind_matches_the_expanded_one_read_back()
    {
        var read = AdministrativeTemplate();
        var written = AdministrativeTemplate();
        foreach (var value in written["definitionValues"]!.AsArray().OfType<JsonObject>())
        {
            var definitionId = value["definition"]!["id"]!.GetValue<string>();
            value.Remove("definition");
            value["definition@odata.bind"] = $"https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('{definitionId}')";
            foreach (var presentationValue in value["presentationValues"]!.AsArray().OfType<JsonObject>())
            {
                var presentationId = presentationValue["presentation"]!["id"]!.GetValue<string>();
                presentationValue.Remove("presentation");
                presentationValue["presentation@odata.bind"] = $"https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('{definitionId}')/presentations/{presentationId}";
            }
        }

        GraphObjectDiff.Compare(read, written).IsIdentical.Should().BeTrue();
    }

    [Fact]
    public void Two_definitions_with_the_same_name_are_told_apart_by_their_id_and_brackets_in_labels_are_escaped()
    {
        static JsonObject Template(bool userEnabled) => Parse($$"""
        {
          "displayName": "ADMX - Edge",
          "definitionValues": [
            { "id": "1", "enabled": true, "definition": { "id": "def-machine", "displayName": "Configure the home page URL", "classType": "machine" }, "presentationValues": [] },
            { "id": "2", "enabled": {{(userEnabled ? "true" : "false")}}, "definition": { "id": "def-user", "displayName": "Configure the home page URL", "classType": "user" }, "presentationValues": [] },
            { "id": "3", "enabled": {{(userEnabled ? "true" : "false")}}, "definition": { "id": "def-brackets", "displayName": "Block [legacy] add-ons", "classType": "user" }, "presentationValues": [] }
          ]
        }
        """);

        var diff = GraphObjectDiff.Compare(Template(false), Template(true));

        diff.Changes.Select(c => c.Path).Should().Equal(
            "definitionValues[Configure the home page URL (def-user)].enabled",
            "definitionValues[Block [legacy\\] add-ons].enabled");
    }

    [Fact]
    public void Compliance_scheduled_actions_match_by_rule_and_action_type_whatever_their_order_and_ids()
    {
        var before = CompliancePolicy(ruleId: "e1f2a3b4-0000-0000-0000-000000000001");
        var after = CompliancePolicy(ruleId: "f9e8d7c6-0000-0000-0000-000000000002", reverseActions: true, ccList: ["7b2a9d3f-5c4e-4f6a-8b1c-2d3e4f5a6b7c", "6a1f8c2e-4b3d-4e5f-9a0b-1c2d3e4f5a6b"]);

        GraphObjectDiff.Compare(before, after).IsIdentical.Should().BeTrue("CC lists are sets; rule and action ids are the service's");
    }

    [Fact]
    public void A_changed_grace_period_an_added_action_and_a_new_cc_recipient_are_three_changes()
    {
        var before = CompliancePolicy(retireGraceHours: 72);
        var after = CompliancePolicy(retireGraceHours: 168, reverseActions: true, ccList: ["6a1f8c2e-4b3d-4e5f-9a0b-1c2d3e4f5a6b", "7b2a9d3f-5c4e-4f6a-8b1c-2d3e4f5a6b7c", "8c3b0e4a-6d5f-4a7b-9c2d-3e4f5a6b7c8d"]);
        after["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray().Add(Parse("""
        { "id": "x", "gracePeriodHours": 48, "actionType": "remoteLock", "notificationTemplateId": "00000000-0000-0000-0000-000000000000", "notificationMessageCCList": [] }
        """));

        var diff = GraphObjectDiff.Compare(before, after);

        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("scheduledActionsForRule[PasswordRequired].scheduledActionConfigurations[notification].notificationMessageCCList[\"8c3b0e4a-6d5f-4a7b-9c2d-3e4f5a6b7c8d\"]", FieldChangeKind.Added),
            ("scheduledActionsForRule[PasswordRequired].scheduledActionConfigurations[retire].gracePeriodHours", FieldChangeKind.Changed),
            ("scheduledActionsForRule[PasswordRequired].scheduledActionConfigurations[remoteLock]", FieldChangeKind.Added));
        diff.Changes[2].After!.AsObject().ContainsKey("id").Should().BeFalse();
    }

    [Fact]
    public void Two_actions_of_the_same_type_pair_in_order()
    {
        static JsonObject Policy(int secondGrace) => Parse($$"""
        {
          "scheduledActionsForRule": [{
            "ruleName": "PasswordRequired",
            "scheduledActionConfigurations": [
              { "actionType": "block", "gracePeriodHours": 0 },
              { "actionType": "notification", "gracePeriodHours": 0, "notificationTemplateId": "t1" },
              { "actionType": "notification", "gracePeriodHours": {{secondGrace}}, "notificationTemplateId": "t2" }
            ]
          }]
        }
        """);

        var diff = GraphObjectDiff.Compare(Policy(24), Policy(48));

        diff.Changes.Should().ContainSingle().Which.Path
            .Should().Be("scheduledActionsForRule[PasswordRequired].scheduledActionConfigurations[notification #2].gracePeriodHours");
    }

    [Fact]
    public void Oma_settings_match_by_oma_uri()
    {
        GraphObjectDiff.Compare(CustomProfile(), CustomProfile(reverse: true)).IsIdentical.Should().BeTrue();

        var diff = GraphObjectDiff.Compare(CustomProfile(downloadMode: 1), CustomProfile(downloadMode: 3, reverse: true));

        var change = diff.Changes.Should().ContainSingle().Subject;
        change.Path.Should().Be("omaSettings[./Device/Vendor/MSFT/Policy/Config/DeliveryOptimization/DODownloadMode].value");
        change.Locator.Should().Be("/omaSettings/.~1Device~1Vendor~1MSFT~1Policy~1Config~1DeliveryOptimization~1DODownloadMode/value");
    }

    [Fact]
    public void A_removed_oma_setting_is_removed_by_its_uri()
    {
        var after = CustomProfile();
        after["omaSettings"]!.AsArray().RemoveAt(1);

        var diff = GraphObjectDiff.Compare(CustomProfile(), after);

        diff.Changes.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Path = "omaSettings[./Vendor/MSFT/Personalization/LockScreenImageUrl]",
            Kind = FieldChangeKind.Removed,
        });
    }
}
