using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using static TenantAtlas.Graph.Tests.Diff.DiffSamples;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>Folding long values, stripping for writes, and comparing whole sets of items.</summary>
public sealed class DiffBuildingBlockTests
{
    [Fact]
    public void A_big_value_is_folded_to_a_short_line_that_says_how_long_it_is()
    {
        var script = string.Concat(Enumerable.Range(0, 400).Select(i => $"Write-Output \"line {i}\"\r\n"));
        var before = Parse($$"""{"scriptContent": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes(script))}}"}""");
        var after = Parse($$"""{"scriptContent": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes(script + "exit 1"))}}"}""");

        var change = GraphObjectDiff.Compare(before, after).Changes.Should().ContainSingle().Subject;

        change.BeforePreview.Length.Should().BeLessThan(DiffPreview.DefaultLength + 30);
        change.BeforePreview.Should().StartWith("\"V3JpdGUtT3V0cHV0").And.MatchRegex(@"… \(\d{1,3}(,\d{3})+ characters\)$");
        change.Before!.GetValue<string>().Length.Should().BeGreaterThan(10_000, "the change keeps the whole value; only the preview is folded");
        DiffPreview.IsFolded(change.Before).Should().BeTrue();
        DiffPreview.Full(change.Before).Should().Be(change.Before.ToJsonString());
    }

    [Fact]
    public void Short_values_and_objects_are_shown_whole_as_json()
    {
        DiffPreview.Fold(JsonValue.Create("Property of Contoso.")).Should().Be("\"Property of Contoso.\"");
        DiffPreview.Fold(null).Should().Be("null");
        DiffPreview.Fold(Parse("""{"a": 1, "b": "ü"}""")).Should().Be("""{"a":1,"b":"ü"}""");
        DiffPreview.Fold(JsonValue.Create(new string('x', 50)), maxLength: 20).Should().Be("\"xxxxxxxxxxxxxxxxxx… (52 characters)");
        DiffPreview.IsFolded(JsonValue.Create("short")).Should().BeFalse();
    }

    [Fact]
    public void StripForWrite_removes_exactly_the_read_only_list_and_the_annotations()
    {
        var item = Parse("""
        {
          "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies/$entity",
          "@odata.etag": "W/\"1\"",
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
          "id": "9f4e3c2a",
          "createdDateTime": "2025-01-01T00:00:00Z",
          "lastModifiedDateTime": "2025-01-02T00:00:00Z",
          "modifiedDateTime": "2025-01-02T00:00:00Z",
          "version": 3,
          "supportsScopeTags": true,
          "settingCount": 1,
          "creationSource": null,
          "isAssigned": true,
          "name": "SC - Defender",
          "description": "",
          "isBuiltIn": false,
          "roleScopeTagIds": ["0"],
          "templateReference": { "@odata.type": "microsoft.graph.deviceManagementConfigurationPolicyTemplateReference", "templateId": "", "templateFamily": "none" },
          "settings@odata.count": 1,
          "settings@odata.nextLink": "https://graph.microsoft.com/beta/x?$skiptoken=1",
          "settings": [{
            "id": "0",
            "settingInstance": {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
              "settingDefinitionId": "device_vendor_msft_policy_config_update_activehoursstart",
              "simpleSettingValue": { "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", "value": 8 }
            }
          }],
          "definition@odata.bind": "https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('d1')",
          "assignments": [{ "id": "a1", "target": { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }]
        }
        """);
        var original = item.ToJsonString();

        var body = GraphWriteBody.StripForWrite(item);

        body.Select(p => p.Key).Should().Equal(
            "@odata.type", "name", "description", "isBuiltIn", "roleScopeTagIds", "templateReference", "settings", "definition@odata.bind", "assignments");
        body["templateReference"]!.AsObject().Select(p => p.Key).Should().Equal("@odata.type", "templateId", "templateFamily");
        body["settings"]![0]!.AsObject().Select(p => p.Key).Should().Equal(["settingInstance"], "a setting's id is the source tenant's");
        body["settings"]![0]!["settingInstance"]!.ToJsonString().Should().Be(item["settings"]![0]!["settingInstance"]!.ToJsonString());
        body["assignments"]![0]!.AsObject().Select(p => p.Key).Should().Equal("target");
        item.ToJsonString().Should().Be(original, "the stored object is not touched");
    }

    [Fact]
    public void StripForWrite_keeps_compliance_actions_without_their_ids()
    {
        var body = GraphWriteBody.StripForWrite(CompliancePolicy());

        body.ContainsKey("id").Should().BeFalse();
        body.ContainsKey("version").Should().BeFalse();
        var rule = body["scheduledActionsForRule"]![0]!.AsObject();
        rule.Select(p => p.Key).Should().Equal("ruleName", "scheduledActionConfigurations");
        rule["scheduledActionConfigurations"]!.AsArray().Select(c => c!["actionType"]!.GetValue<string>()).Should().Equal("block", "notification", "retire");
        rule["scheduledActionConfigurations"]!.AsArray().Should().OnlyContain(c => !c!.AsObject().ContainsKey("id"));
    }

    public static TheoryData<string, bool> Pairs() => new()
    {
        { "settings catalog, volatile only", true },
        { "settings catalog, one value", false },
        { "settings catalog, reordered", true },
        { "administrative template, reordered", true },
        { "administrative template, one value", false },
        { "compliance, reordered actions", true },
        { "compliance, grace period", false },
        { "custom profile, reordered", true },
        { "custom profile, value", false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_fast_path_gives_the_same_verdict_as_the_full_comparison(string pair, bool identical)
    {
        var (before, after) = pair switch
        {
            "settings catalog, volatile only" => (SettingsCatalogPolicy(), SettingsCatalogPolicy(id: "other", created: "2026-01-01T00:00:00Z")),
            "settings catalog, one value" => (SettingsCatalogPolicy(), SettingsCatalogPolicy(pinUsage: "_1")),
            "settings catalog, reordered" => (SettingsCatalogPolicy(), SettingsCatalogPolicy(reverseSettings: true)),
            "administrative template, reordered" => (AdministrativeTemplate(), AdministrativeTemplate(valueIdSuffix: "c", reverse: true)),
            "administrative template, one value" => (AdministrativeTemplate(), AdministrativeTemplate(cortanaEnabled: true)),
            "compliance, reordered actions" => (CompliancePolicy(), CompliancePolicy(reverseActions: true)),
            "compliance, grace period" => (CompliancePolicy(), CompliancePolicy(retireGraceHours: 1)),
            "custom profile, reordered" => (CustomProfile(), CustomProfile(reverse: true)),
            _ => (CustomProfile(), CustomProfile(downloadMode: 0)),
        };

        GraphObjectDiff.Compare(before, after).IsIdentical.Should().Be(identical);
        GraphObjectDiff.IdenticalAfterStripping(before, after).Should().Be(identical);
        GraphObjectDiff.IdenticalAfterStripping(after, before).Should().Be(identical, "the verdict does not depend on the side");
    }

    [Fact]
    public void Two_sets_compare_to_added_removed_changed_and_identical_items()
    {
        var older = new[]
        {
            new DiffItem("configurationPolicies", "p1", "SC - Defender", SettingsCatalogPolicy(realTimeMonitoring: "_1"), new JsonArray(Assignment("groupAssignmentTarget", GroupA))),
            new DiffItem("deviceCompliancePolicies", "c1", "WIN - Compliance", CompliancePolicy(), new JsonArray()),
            new DiffItem("deviceConfigurations", "gone", "WIN - Old", CustomProfile(), null),
        };
        var newer = new[]
        {
            new DiffItem("deviceConfigurations", "new", "WIN - New", CustomProfile(), null),
            new DiffItem("deviceCompliancePolicies", "C1", "WIN - Compliance", CompliancePolicy(ruleId: "other"), new JsonArray()),
            new DiffItem("configurationPolicies", "p1", "SC - Defender (renamed)", SettingsCatalogPolicy(realTimeMonitoring: "_0"), new JsonArray(Assignment("groupAssignmentTarget", GroupA), Assignment("groupAssignmentTarget", GroupB))),
        };

        var items = GraphObjectDiff.CompareItems(older, newer);

        items.Select(i => (i.Id, i.Kind)).Should().Equal(
            ("p1", ItemChangeKind.Changed), ("C1", ItemChangeKind.Identical), ("gone", ItemChangeKind.Removed), ("new", ItemChangeKind.Added));
        items[0].DisplayName.Should().Be("SC - Defender (renamed)");
        items[0].Content.Changes.Should().ContainSingle().Which.Path.Should().Be("settings[defender › allowrealtimemonitoring].value");
        items[0].Assignments.Changes.Should().ContainSingle().Which.Target.GroupId.Should().Be(GroupB);
    }
}
