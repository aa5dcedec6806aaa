using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using static TenantAtlas.Graph.Tests.Diff.DiffSamples;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>The general rules: what never makes a difference, how values compare, how paths read.</summary>
public sealed class GraphObjectDiffTests
{
    [Fact]
    public void Identical_objects_with_different_volatile_fields_are_identical()
    {
        var before = SettingsCatalogPolicy();
        var after = SettingsCatalogPolicy(id: "0c7d5e3b-1a2f-4d6e-9b8a-7f6e5d4c3b2a", created: "2025-07-01T00:00:00Z");
        after["lastModifiedDateTime"] = "2026-01-01T00:00:00Z";
        after["version"] = 17;
        after["settingCount"] = 99;
        after["isAssigned"] = false;
        after["supportsScopeTags"] = false;
        after["creationSource"] = "restore";
        after["modifiedDateTime"] = "2026-01-01T00:00:00Z";
        after["@odata.etag"] = "W/\"JzEtRGV2aWNlQ29uZmlndXJhdGlvbiI=\"";
        after["settings@odata.count"] = 5;
        after["settings@odata.nextLink"] = "https://graph.microsoft.com/beta/deviceManagement/configurationPolicies('x')/settings?$skiptoken=abc";
        after.Remove("@odata.context");
        after.Remove("settings@odata.context");
        var settings = after["settings"]!.AsArray();
        for (var i = 0; i < settings.Count; i++)
        {
            settings[i]!["id"] = $"server-{i}";
        }

        GraphObjectDiff.Compare(before, after).IsIdentical.Should().BeTrue("only fields the service owns differ");
        GraphObjectDiff.IdenticalAfterStripping(before, after).Should().BeTrue();
    }

    [Fact]
    public void Key_order_and_number_spelling_never_make_a_difference()
    {
        var before = Parse("""{"b": 1, "a": {"y": 2.50, "x": [1, 2]}, "c": 100, "d": -0.0, "e": true}""");
        var after = Parse("""{"e": true, "a": {"x": [1.0, 2e0], "y": 2.5}, "c": 1e2, "d": 0, "b": 1.000}""");

        GraphObjectDiff.Compare(before, after).IsIdentical.Should().BeTrue();
        GraphObjectDiff.IdenticalAfterStripping(before, after).Should().BeTrue();
    }

    [Fact]
    public void A_string_is_not_the_number_it_spells()
    {
        var diff = GraphObjectDiff.Compare(Parse("""{"value": "1"}"""), Parse("""{"value": 1}"""));

        diff.Changes.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Path = "value", Kind = FieldChangeKind.Changed });
        GraphObjectDiff.IdenticalAfterStripping(Parse("""{"value": "1"}"""), Parse("""{"value": 1}""")).Should().BeFalse();
    }

    [Fact]
    public void A_missing_property_equals_null_but_null_against_a_value_is_a_change()
    {
        GraphObjectDiff.Compare(Parse("""{"description": null, "name": "x"}"""), Parse("""{"name": "x"}""")).IsIdentical.Should().BeTrue();

        var diff = GraphObjectDiff.Compare(Parse("""{"description": null}"""), Parse("""{"description": "Pilot"}"""));
        var change = diff.Changes.Should().ContainSingle().Subject;
        change.Kind.Should().Be(FieldChangeKind.Changed);
        change.Before.Should().BeNull();
        change.After!.GetValue<string>().Should().Be("Pilot");
    }

    [Fact]
    public void A_property_only_on_one_side_is_added_or_removed_with_its_stripped_value()
    {
        var diff = GraphObjectDiff.Compare(
            Parse("""{"old": {"id": "x", "createdDateTime": "2020-01-01T00:00:00Z", "keep": 1}}"""),
            Parse("""{"new": [1, 2]}"""));

        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(("old", FieldChangeKind.Removed), ("new", FieldChangeKind.Added));
        diff.Changes[0].Before!.ToJsonString().Should().Be("""{"id":"x","keep":1}""", "timestamps are stripped at any depth; a nested id of a plain object is data");
        diff.Changes[0].AfterPreview.Should().Be(DiffPreview.Absent);
        diff.Changes[1].BeforePreview.Should().Be(DiffPreview.Absent);
    }

    [Fact]
    public void The_odata_type_is_compared_with_or_without_its_hash_and_a_different_type_is_a_change()
    {
        GraphObjectDiff.Compare(
            Parse("""{"@odata.type": "#microsoft.graph.windows10CompliancePolicy"}"""),
            Parse("""{"@odata.type": "microsoft.graph.windows10CompliancePolicy"}""")).IsIdentical.Should().BeTrue();

        var diff = GraphObjectDiff.Compare(
            Parse("""{"@odata.type": "#microsoft.graph.windows10CompliancePolicy"}"""),
            Parse("""{"@odata.type": "#microsoft.graph.macOSCompliancePolicy"}"""));
        diff.Changes.Should().ContainSingle().Which.Path.Should().Be("[\"@odata.type\"]");
    }

    [Fact]
    public void Property_names_with_dots_brackets_and_quotes_are_quoted_in_the_path()
    {
        var diff = GraphObjectDiff.Compare(
            Parse("""{"a.b": 1, "x[0]": 2, "say \"hi\"": 3, "plain": {"in.ner": 4}, "123": 5}"""),
            Parse("""{"a.b": 2, "x[0]": 3, "say \"hi\"": 4, "plain": {"in.ner": 5}, "123": 6}"""));

        diff.Changes.Select(c => c.Path).Should().Equal(
            "[\"a.b\"]", "[\"x[0]\"]", "[\"say \\\"hi\\\"\"]", "plain[\"in.ner\"]", "[\"123\"]");
        diff.Changes.Select(c => c.Locator).Should().Equal("/a.b", "/x[0]", "/say \"hi\"", "/plain/in.ner", "/123");
    }

    [Fact]
    public void Set_like_value_arrays_ignore_order_and_report_each_member()
    {
        var before = Parse("""{"roleScopeTagIds": ["0", "3", "7"], "includedGroupIds": ["a", "b"]}""");
        var reordered = Parse("""{"roleScopeTagIds": ["7", "0", "3"], "includedGroupIds": ["b", "a"]}""");
        GraphObjectDiff.Compare(before, reordered).IsIdentical.Should().BeTrue("scope tags and *Ids lists are sets");

        var diff = GraphObjectDiff.Compare(before, Parse("""{"roleScopeTagIds": ["0", "7", "5"], "includedGroupIds": ["a", "b"]}"""));
        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("roleScopeTagIds[\"3\"]", FieldChangeKind.Removed),
            ("roleScopeTagIds[\"5\"]", FieldChangeKind.Added));
        diff.Changes[1].After!.GetValue<string>().Should().Be("5");
    }

    [Fact]
    public void Other_value_arrays_are_lists_where_order_matters()
    {
        var diff = GraphObjectDiff.Compare(
            Parse("""{"edgeHomepageUrls": ["https://intranet.contoso.com", "https://news.contoso.com"]}"""),
            Parse("""{"edgeHomepageUrls": ["https://news.contoso.com", "https://intranet.contoso.com", "https://hr.contoso.com"]}"""));

        diff.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("edgeHomepageUrls[#1]", FieldChangeKind.Changed),
            ("edgeHomepageUrls[#2]", FieldChangeKind.Changed),
            ("edgeHomepageUrls[#3]", FieldChangeKind.Added));
        diff.Changes[2].Locator.Should().Be("/edgeHomepageUrls/2");
    }

    [Fact]
    public void Extra_unordered_arrays_and_ignored_properties_come_from_the_options()
    {
        var options = new DiffOptions
        {
            UnorderedArrays = new HashSet<string>(["edgeHomepageUrls"]),
            IgnoredProperties = new HashSet<string>(["description"]),
        };

        GraphObjectDiff.Compare(
            Parse("""{"edgeHomepageUrls": ["a", "b"], "description": "x"}"""),
            Parse("""{"edgeHomepageUrls": ["b", "a"], "description": "y"}"""),
            options).IsIdentical.Should().BeTrue();
    }

    [Fact]
    public void Unknown_arrays_of_objects_match_by_id_when_every_element_has_one_else_by_position()
    {
        var byId = GraphObjectDiff.Compare(
            Parse("""{"rules": [{"id": "r1", "v": 1}, {"id": "r2", "v": 2}]}"""),
            Parse("""{"rules": [{"id": "r2", "v": 2}, {"id": "r1", "v": 5}]}"""));
        byId.Changes.Should().ContainSingle().Which.Path.Should().Be("rules[r1].v");

        var byPosition = GraphObjectDiff.Compare(
            Parse("""{"rules": [{"name": "a"}, {"name": "b"}]}"""),
            Parse("""{"rules": [{"name": "a"}, {"name": "c"}, {"name": "d"}]}"""));
        byPosition.Changes.Select(c => (c.Path, c.Kind)).Should().Equal(
            ("rules[#2].name", FieldChangeKind.Changed),
            ("rules[#3]", FieldChangeKind.Added));
    }

    [Fact]
    public void Assignments_expanded_on_the_object_are_not_part_of_its_comparison()
    {
        var before = CustomProfile();
        before["assignments"] = new JsonArray(Assignment("groupAssignmentTarget", GroupA));
        var after = CustomProfile();
        after["assignments"] = new JsonArray();

        GraphObjectDiff.Compare(before, after).IsIdentical.Should().BeTrue("assignments have their own comparison");
    }

    [Fact]
    public void StripVolatile_returns_what_the_comparison_sees()
    {
        var stripped = GraphObjectDiff.StripVolatile(SettingsCatalogPolicy());

        stripped.Select(p => p.Key).Should().Equal("description", "name", "platforms", "priorityMetaData", "roleScopeTagIds", "technologies", "templateReference", "settings");
        stripped["settings"]![0]!.AsObject().Select(p => p.Key).Should().Equal("settingInstance");
    }

    /// <summary>
    /// Modelled on Graph's "Create windows10CompliancePolicy" example: the 201 answer repeats the body plus id and
    /// timestamps (and keeps <c>version</c>, which the body sent).
    /// </summary>
    [Fact]
    public void A_compliance_policy_as_posted_and_as_created_is_identical_and_one_changed_value_is_one_change()
    {
        var posted = Parse("""
        {
          "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
          "description": "Corporate laptops",
          "displayName": "WIN - Compliance - Laptops",
          "version": 7,
          "passwordRequired": true,
          "passwordBlockSimple": true,
          "passwordRequiredToUnlockFromIdle": true,
          "passwordMinutesOfInactivityBeforeLock": 15,
          "passwordExpirationDays": 90,
          "passwordMinimumLength": 12,
          "passwordMinimumCharacterSetCount": 3,
          "passwordRequiredType": "alphanumeric",
          "passwordPreviousPasswordBlockCount": 5,
          "requireHealthyDeviceReport": true,
          "osMinimumVersion": "10.0.19045",
          "osMaximumVersion": null,
          "earlyLaunchAntiMalwareDriverEnabled": false,
          "bitLockerEnabled": true,
          "secureBootEnabled": true,
          "codeIntegrityEnabled": true,
          "storageRequireEncryption": true
        }
        """);
        var created = posted.DeepClone().AsObject();
        created["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceCompliancePolicies/$entity";
        created["id"] = "2b7e5c1a-9d3f-4e8b-a6c2-1f0e9d8c7b6a";
        created["createdDateTime"] = "2026-02-01T10:11:12.1234567-08:00";
        created["lastModifiedDateTime"] = "2026-02-01T10:11:12.1234567-08:00";
        created["version"] = 1;

        GraphObjectDiff.Compare(posted, created).IsIdentical.Should().BeTrue();

        created["passwordMinimumLength"] = 14;
        var diff = GraphObjectDiff.Compare(posted, created);
        diff.Changes.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Path = "passwordMinimumLength",
            Locator = "/passwordMinimumLength",
            Kind = FieldChangeKind.Changed,
            BeforePreview = "12",
            AfterPreview = "14",
        });
    }

    [Fact]
    public void A_diff_survives_a_round_trip_through_json_as_a_plan_stores_it()
    {
        var diff = GraphObjectDiff.Compare(SettingsCatalogPolicy(), SettingsCatalogPolicy(realTimeMonitoring: "_0", activeHoursStart: 9));

        var json = JsonSerializer.Serialize(diff);
        var back = JsonSerializer.Deserialize<ObjectDiff>(json)!;

        json.Should().Contain("\"Kind\":\"Changed\"").And.NotContain("Preview", "previews are computed, not stored");
        back.Changes.Should().HaveCount(2);
        back.Changes.Select(c => (c.Path, c.Locator, c.Kind, c.Before?.ToJsonString(), c.After?.ToJsonString()))
            .Should().Equal(diff.Changes.Select(c => (c.Path, c.Locator, c.Kind, c.Before?.ToJsonString(), c.After?.ToJsonString())));
    }
}
