using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using static TenantAtlas.Graph.Tests.Diff.DiffSamples;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>Settings catalog policies: settings matched by definition id at every level, paths named after the setting.</summary>
public sealed class SettingsCatalogDiffTests
{
    [Fact]
    public void One_changed_setting_value_is_exactly_one_change_with_a_readable_path()
    {
        var diff = GraphObjectDiff.Compare(SettingsCatalogPolicy(realTimeMonitoring: "_1"), SettingsCatalogPolicy(realTimeMonitoring: "_0"));

        var change = diff.Changes.Should().ContainSingle().Subject;
        change.Path.Should().Be("settings[defender › allowrealtimemonitoring].value");
        change.Locator.Should().Be($"/settings/{RealTimeMonitoring}/settingInstance/choiceSettingValue/value");
        change.Kind.Should().Be(FieldChangeKind.Changed);
        change.Before!.GetValue<string>().Should().Be(RealTimeMonitoring + "_1");
        change.After!.GetValue<string>().Should().Be(RealTimeMonitoring + "_0");
    }

    [Fact]
    public void A_catalogue_of_setting_names_gives_the_path_its_words()
    {
        var options = new DiffOptions
        {
            SettingLabel = id => id == RealTimeMonitoring ? "Defender › Allow real-time monitoring" : null,
        };

        var diff = GraphObjectDiff.Compare(SettingsCatalogPolicy(realTimeMonitoring: "_1"), SettingsCatalogPolicy(realTimeMonitoring: "_0"), options);

        diff.Changes.Should().ContainSingle().Which.Path.Should().Be("settings[Defender › Allow real-time monitoring].value");
    }

    [Fact]
    public void An_expanded_setting_definition_names_the_setting()
    {
        var before = SettingsCatalogPolicy(activeHoursStart: 8);
        var after = SettingsCatalogPolicy(activeHoursStart: 7);
        after["settings"]![2]!["settingDefinitions"] = new JsonArray(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationIntegerSettingDefinition",
            ["id"] = ActiveHoursStart,
            ["displayName"] = "Active Hours Start",
            ["version"] = "1",
        });

        var diff = GraphObjectDiff.Compare(before, after);

        var change = diff.Changes.Should().ContainSingle("the expanded definitions are metadata, not configuration").Subject;
        change.Path.Should().Be("settings[Active Hours Start].value");
        change.BeforePreview.Should().Be("8");
        change.AfterPreview.Should().Be("7");
    }

    [Fact]
    public void A_reordered_settings_array_is_identical()
    {
        var before = SettingsCatalogPolicy();
        var after = SettingsCatalogPolicy(reverseSettings: true);
        var children = after["settings"]![1]!["settingInstance"]!["choiceSettingValue"]!["children"]!.AsArray();
        after["settings"]![1]!["settingInstance"]!["choiceSettingValue"]!["children"] = new JsonArray([.. children.Reverse().Select(c => c!.DeepClone())]);

        after["settings"]![1]!["settingInstance"]!["settingDefinitionId"]!.GetValue<string>().Should().Be(StartupAuthentication, "the test reorders the children of that setting");
        GraphObjectDiff.Compare(before, after).IsIdentical.Should().BeTrue();
        GraphObjectDiff.IdenticalAfterStripping(before, after).Should().BeTrue();
    }

    [Fact]
    public void A_changed_child_setting_is_named_relative_to_its_parent()
    {
        var diff = GraphObjectDiff.Compare(SettingsCatalogPolicy(pinUsage: "_0"), SettingsCatalogPolicy(pinUsage: "_2"));

        diff.Changes.Should().ContainSingle().Which.Path
            .Should().Be("settings[bitlocker › systemdrivesrequirestartupauthentication].children[configuretpmstartuppinusagedropdown › name].value");
    }

    [Fact]
    public void A_changed_value_inside_a_group_collection_names_the_group_by_position_and_the_child_by_name()
    {
        var diff = GraphObjectDiff.Compare(SettingsCatalogPolicy(ruleDirection: "_out"), SettingsCatalogPolicy(ruleDirection: "_in"));

        var change = diff.Changes.Should().ContainSingle().Subject;
        change.Path.Should().Be("settings[firewall › mdmstore › firewallrules › {firewallrulename}].groupSettingCollectionValue[#1].children[direction].value");
        change.Locator.Should().Be($"/settings/{FirewallRules}/settingInstance/groupSettingCollectionValue/0/children/{FirewallRules}_direction/choiceSettingValue/value");
    }

    [Fact]
    public void An_added_and_a_removed_setting_are_one_added_and_one_removed_change()
    {
        var before = SettingsCatalogPolicy();
        var after = SettingsCatalogPolicy();
        var settings = after["settings"]!.AsArray();
        settings.RemoveAt(1); // cloud protection
        settings.Add(Parse("""
        {
          "id": "9",
          "settingInstance": {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
            "settingDefinitionId": "device_vendor_msft_policy_config_experience_allowcortana",
            "settingInstanceTemplateReference": null,
            "choiceSettingValue": { "settingValueTemplateReference": null, "value": "device_vendor_msft_policy_config_experience_allowcortana_0", "children": [] }
          }
        }
        """));

        var diff = GraphObjectDiff.Compare(before, after);

        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("settings[defender › allowcloudprotection]", FieldChangeKind.Removed),
            ("settings[experience › allowcortana]", FieldChangeKind.Added));
        diff.Changes[1].After!.AsObject().ContainsKey("id").Should().BeFalse("the setting's id is the service's");
        diff.Changes[1].After!["settingInstance"]!["choiceSettingValue"]!["value"]!.GetValue<string>().Should().EndWith("_0");
    }

    [Fact]
    public void Multi_select_choices_are_a_set_of_options()
    {
        static JsonObject Policy(params string[] options) => Parse($$"""
        {
          "name": "SC - Edge",
          "settings": [{
            "id": "0",
            "settingInstance": {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingCollectionInstance",
              "settingDefinitionId": "user_vendor_msft_policy_config_edge_allowedschemes",
              "choiceSettingCollectionValue": [{{string.Join(",", options.Select(o => $$"""{"value": "user_vendor_msft_policy_config_edge_allowedschemes_{{o}}", "children": []}"""))}}]
            }
          }]
        }
        """);

        GraphObjectDiff.Compare(Policy("http", "https"), Policy("https", "http")).IsIdentical.Should().BeTrue();

        var diff = GraphObjectDiff.Compare(Policy("http", "https"), Policy("https", "ftp"));
        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("settings[edge › allowedschemes].choiceSettingCollectionValue[http]", FieldChangeKind.Removed),
            ("settings[edge › allowedschemes].choiceSettingCollectionValue[ftp]", FieldChangeKind.Added));
    }

    /// <summary>
    /// Modelled on Graph's "Create deviceManagementConfigurationPolicy" example: the body a client posts (with the
    /// read-only fields Microsoft's example sends) against the 201 answer (id, timestamps, the service's counts).
    /// </summary>
    [Fact]
    public void A_settings_catalog_policy_as_posted_and_as_created_is_identical()
    {
        var posted = Parse("""
        {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
          "name": "ES - Antivirus - Pilot",
          "description": "Defender Antivirus for the pilot ring",
          "platforms": "windows10",
          "technologies": "mdm,microsoftSense",
          "settingCount": 1,
          "creationSource": "Intune portal",
          "roleScopeTagIds": ["0"],
          "isAssigned": false,
          "templateReference": {
            "@odata.type": "microsoft.graph.deviceManagementConfigurationPolicyTemplateReference",
            "templateId": "804339ad-1553-4478-a742-138fb5807418_1",
            "templateFamily": "endpointSecurityAntivirus",
            "templateDisplayName": "Microsoft Defender Antivirus",
            "templateDisplayVersion": "Version 1"
          },
          "priorityMetaData": {
            "@odata.type": "microsoft.graph.deviceManagementPriorityMetaData",
            "priority": 2
          },
          "settings": [{
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
            "settingInstance": {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
              "settingDefinitionId": "device_vendor_msft_policy_config_defender_allowrealtimemonitoring",
              "choiceSettingValue": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
                "value": "device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1",
                "children": []
              }
            }
          }]
        }
        """);
        var created = posted.DeepClone().AsObject();
        created["id"] = "3ffd7cd0-7cd0-3ffd-d07c-fd3fd07cfd3f";
        created["createdDateTime"] = "2026-02-01T00:02:43.5775965-08:00";
        created["lastModifiedDateTime"] = "2026-02-01T00:02:43.5775965-08:00";
        created["settingCount"] = 12;
        created["creationSource"] = null;
        created["isAssigned"] = true;
        created["settings"]![0]!["id"] = "0";
        created["templateReference"]!["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationPolicyTemplateReference";

        GraphObjectDiff.Compare(posted, created).IsIdentical.Should().BeTrue();

        created["priorityMetaData"]!["priority"] = 3;
        GraphObjectDiff.Compare(posted, created).Changes.Should().ContainSingle().Which.Path.Should().Be("priorityMetaData.priority");
    }
}
