using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>
/// References inside an object's content: compliance actions' notification templates and settings catalog values naming
/// a reusable setting — collected, mapped to the target's ids, and dropped without touching anything else.
/// </summary>
public sealed class ContentReferenceTests
{
    private const string TemplateA = "aaaaaaaa-1111-4000-8000-000000000001";
    private const string TemplateB = "bbbbbbbb-1111-4000-8000-000000000002";
    private const string ReusableA = "aaaaaaaa-2222-4000-8000-000000000001";
    private const string ReusableB = "bbbbbbbb-2222-4000-8000-000000000002";
    private const string ReusableC = "cccccccc-2222-4000-8000-000000000003";

    private static readonly HashSet<string> NoIds = [];

    /// <summary>A compliance policy: block at once (no template, zero GUID), a notification naming A, another with an empty id, a retire naming B.</summary>
    private static JsonObject Compliance() => (JsonObject)JsonNode.Parse($$"""
        {
          "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
          "displayName": "WIN - Compliance",
          "scheduledActionsForRule": [
            {
              "ruleName": "PasswordRequired",
              "scheduledActionConfigurations": [
                { "actionType": "block", "gracePeriodHours": 0, "notificationTemplateId": "00000000-0000-0000-0000-000000000000", "notificationMessageCCList": [] },
                { "actionType": "notification", "gracePeriodHours": 24, "notificationTemplateId": "{{TemplateA}}", "notificationMessageCCList": [] },
                { "actionType": "notification", "gracePeriodHours": 48, "notificationTemplateId": "", "notificationMessageCCList": [] },
                { "actionType": "retire", "gracePeriodHours": 72, "notificationTemplateId": "{{TemplateB}}", "notificationMessageCCList": [] }
              ]
            }
          ]
        }
        """)!.AsObject();

    /// <summary>
    /// A Defender device control policy: a rule whose entries name reusable settings in a collection nested in a group
    /// collection (A and B), a second setting with a lone reference (C), and a plain string value that is not a reference.
    /// </summary>
    private static JsonObject DeviceControl() => (JsonObject)JsonNode.Parse($$"""
        {
          "name": "Device control",
          "settings": [
            {
              "id": "0",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
                "settingDefinitionId": "device_vendor_msft_defender_configuration_devicecontrol_policyrules_{ruleid}",
                "groupSettingCollectionValue": [
                  {
                    "children": [
                      {
                        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingCollectionInstance",
                        "settingDefinitionId": "device_vendor_msft_defender_configuration_devicecontrol_policyrules_{ruleid}_ruledata_includedidlist",
                        "simpleSettingCollectionValue": [
                          { "@odata.type": "#microsoft.graph.deviceManagementConfigurationReferenceSettingValue", "value": "{{ReusableA}}", "note": "USB sticks" },
                          { "@odata.type": "#microsoft.graph.deviceManagementConfigurationReferenceSettingValue", "value": "{{ReusableB}}", "note": "Phones" }
                        ]
                      },
                      {
                        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                        "settingDefinitionId": "device_vendor_msft_defender_configuration_devicecontrol_policyrules_{ruleid}_ruledata_name",
                        "simpleSettingValue": { "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", "value": "{{ReusableC}}" }
                      }
                    ]
                  }
                ]
              }
            },
            {
              "id": "1",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                "settingDefinitionId": "vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_remoteaddressdynamickeywords",
                "simpleSettingValue": { "@odata.type": "#microsoft.graph.deviceManagementConfigurationReferenceSettingValue", "value": "{{ReusableC}}", "note": "" }
              }
            }
          ]
        }
        """)!.AsObject();

    [Fact]
    public void Notification_templates_are_collected_from_every_action_but_never_the_zero_guid_or_an_empty_id()
    {
        var references = GraphReferences.Collect(Compliance(), []);

        references.NotificationTemplateIds.Should().BeEquivalentTo([TemplateA, TemplateB], "the zero GUID and an empty id mean \"no template\"");
        references.ReusableSettingIds.Should().BeEmpty();
        references.IsEmpty.Should().BeFalse();
        GraphReferences.Collect(Compliance(), []).NotificationTemplateIds.Should().NotContain(GraphReferences.NoNotificationTemplate);
    }

    [Fact]
    public void Reusable_settings_are_collected_from_reference_values_at_any_depth_under_settings_and_only_from_those()
    {
        var references = GraphReferences.Collect(DeviceControl(), []);

        references.ReusableSettingIds.Should().BeEquivalentTo([ReusableA, ReusableB, ReusableC],
            "values nested in a group collection's children and a lone value are references; a string value with the same text is not");
        references.NotificationTemplateIds.Should().BeEmpty();
    }

    [Fact]
    public void Rewrite_maps_templates_and_reusable_settings_on_a_copy_and_leaves_unmapped_ids_alone()
    {
        var compliance = Compliance();
        var control = DeviceControl();
        var map = ReferenceMap.None with
        {
            NotificationTemplateIds = new Dictionary<string, string> { [TemplateA.ToUpperInvariant()] = "target-template-a" },
            ReusableSettingIds = new Dictionary<string, string> { [ReusableA] = "target-reusable-a", [ReusableC] = "target-reusable-c" },
        };

        var mappedCompliance = GraphReferences.Rewrite(compliance, map);
        var mappedControl = GraphReferences.Rewrite(control, map);

        Templates(mappedCompliance).Should().Equal(GraphReferences.NoNotificationTemplate, "target-template-a", "", TemplateB);
        GraphReferences.Collect(mappedControl, []).ReusableSettingIds.Should().BeEquivalentTo(["target-reusable-a", ReusableB, "target-reusable-c"]);
        Values(mappedControl).Should().Contain(ReusableC, "a string value that is not a reference keeps its text even when it looks like a mapped id");
        Templates(compliance).Should().Contain(TemplateA, "rewriting works on a copy");
        GraphReferences.Collect(control, []).ReusableSettingIds.Should().Contain(ReusableA);
    }

    [Fact]
    public void Dropping_a_template_removes_only_its_notification_action_and_clears_it_from_another_action()
    {
        var compliance = Compliance();

        var dropped = GraphReferences.WithoutDropped(compliance, new HashSet<string> { TemplateA, TemplateB }, NoIds);

        var actions = dropped["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray();
        actions.Select(a => a!["actionType"]!.GetValue<string>()).Should().Equal(["block", "notification", "retire"],
            "the notification naming A is removed; the one without a template and the other actions stay");
        actions.Select(a => a!["gracePeriodHours"]!.GetValue<int>()).Should().Equal(0, 48, 72);
        actions[2]!["notificationTemplateId"]!.GetValue<string>().Should().Be(GraphReferences.NoNotificationTemplate,
            "a retire action naming the dropped template keeps its place with no template");
        GraphObjectDiff.Compare(compliance, GraphReferences.WithoutDropped(compliance, NoIds, NoIds)).IsIdentical.Should().BeTrue("nothing dropped, nothing changes");
        Templates(compliance).Should().HaveCount(4, "dropping works on a copy");
    }

    [Fact]
    public void Dropping_a_reusable_setting_removes_its_value_from_the_collection_and_a_lone_one_takes_its_setting()
    {
        var control = DeviceControl();

        var withoutA = GraphReferences.WithoutDropped(control, NoIds, new HashSet<string> { ReusableA.ToUpperInvariant() });
        var withoutC = GraphReferences.WithoutDropped(control, NoIds, new HashSet<string> { ReusableC });

        GraphReferences.Collect(withoutA, []).ReusableSettingIds.Should().BeEquivalentTo([ReusableB, ReusableC], "only A's value leaves its collection");
        withoutA["settings"]!.AsArray().Should().HaveCount(2);
        withoutC["settings"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Should().Equal(["0"],
            "the firewall setting held only the dropped reference; the device control rule's string value that reads like C stays");
        GraphReferences.Collect(withoutC, []).ReusableSettingIds.Should().BeEquivalentTo([ReusableA, ReusableB]);
        Values(withoutC).Should().Contain(ReusableC);
    }

    private static List<string> Templates(JsonObject compliance) =>
        [.. compliance["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray().Select(a => a!["notificationTemplateId"]!.GetValue<string>())];

    /// <summary>Every string "value" in the content, reference or not.</summary>
    private static List<string> Values(JsonNode? node)
    {
        var values = new List<string>();
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (key == "value" && child is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        values.Add(text);
                    }
                    else
                    {
                        values.AddRange(Values(child));
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    values.AddRange(Values(child));
                }

                break;
        }

        return values;
    }
}
