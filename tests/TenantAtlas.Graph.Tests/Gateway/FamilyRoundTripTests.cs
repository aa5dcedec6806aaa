using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

/// <summary>
/// Issue 16, item 1: each family added to the registry is restorable through the gateway's write paths — an object read
/// whole from one tenant is created in another, assigned with its own assignment shape, updated, and reads back the same.
/// </summary>
public sealed class FamilyRoundTripTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Theory]
    [InlineData(GraphResourceKeys.DeviceHealthScripts)]
    [InlineData(GraphResourceKeys.DeviceShellScripts)]
    [InlineData(GraphResourceKeys.DeviceCustomAttributeShellScripts)]
    [InlineData(GraphResourceKeys.DeviceComplianceScripts)]
    [InlineData(GraphResourceKeys.WindowsFeatureUpdateProfiles)]
    [InlineData(GraphResourceKeys.WindowsQualityUpdateProfiles)]
    [InlineData(GraphResourceKeys.WindowsDriverUpdateProfiles)]
    [InlineData(GraphResourceKeys.CompliancePolicies)]
    [InlineData(GraphResourceKeys.Intents)]
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations)]
    [InlineData(GraphResourceKeys.TermsAndConditions)]
    [InlineData(GraphResourceKeys.IosManagedAppProtections)]
    [InlineData(GraphResourceKeys.AndroidManagedAppProtections)]
    [InlineData(GraphResourceKeys.TargetedManagedAppConfigurations)]
    [InlineData(GraphResourceKeys.WindowsManagedAppProtections)]
    [InlineData(GraphResourceKeys.WindowsInformationProtectionPolicies)]
    [InlineData(GraphResourceKeys.MdmWindowsInformationProtectionPolicies)]
    public async Task An_object_read_from_one_tenant_is_created_assigned_and_updated_in_another_and_reads_back_the_same(string family)
    {
        // Same seed: the target tenant has the same groups and filters, so the assignments need no mapping here.
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 8 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var policyId = source.List(family).First(p => p["assignments"] is JsonArray { Count: > 0 })["id"]!.GetValue<string>();
        var original = await App.Gateway.GetPolicyAsync(sourceId, family, policyId);
        original.Assignments.Should().NotBeEmpty();

        var created = await App.Gateway.CreateObjectAsync(targetId, family, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        await App.Gateway.AssignAsync(targetId, family, createdId, original.Assignments);
        var restored = await App.Gateway.GetPolicyAsync(targetId, family, createdId);

        createdId.Should().NotBe(policyId);
        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"{family} reads back as it was backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        var assignments = GraphObjectDiff.CompareAssignments(Array(original.Assignments), Array(restored.Assignments));
        restored.Assignments.Should().HaveCount(original.Assignments.Count);
        assignments.IsIdentical.Should().BeTrue($"{family} keeps its assignments, each in the family's own shape");

        var changed = (JsonObject)original.Content.DeepClone();
        changed["description"] = "Updated by the round trip";
        await App.Gateway.UpdateObjectAsync(targetId, family, createdId, changed);
        target.Get(family, createdId)!["description"]!.GetValue<string>().Should().Be("Updated by the round trip");
    }

    [Theory]
    [InlineData(GraphResourceKeys.IosManagedAppProtections, "bundleId")]
    [InlineData(GraphResourceKeys.AndroidManagedAppProtections, "packageId")]
    [InlineData(GraphResourceKeys.TargetedManagedAppConfigurations, null)]
    [InlineData(GraphResourceKeys.WindowsManagedAppProtections, "windowsAppId")]
    public async Task App_protection_reads_its_apps_expanded_and_writes_them_with_targetApps_after_the_create_and_the_update(string family, string? identifier)
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 4 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var policyId = source.List(family)[0]["id"]!.GetValue<string>();

        var original = await App.Gateway.GetPolicyAsync(sourceId, family, policyId);
        var apps = original.Content["apps"].Should().BeOfType<JsonArray>().Subject;
        apps.Should().HaveCountGreaterThan(1);
        JsonNode.DeepEquals(apps, source.Get(family, policyId)!["apps"]).Should().BeTrue("the backup holds the apps as Graph answered them");
        if (identifier is not null)
        {
            apps.Should().OnlyContain(a => a!["mobileAppIdentifier"]![identifier] != null, "one platform's apps only");
        }

        var created = await App.Gateway.CreateObjectAsync(targetId, family, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        AppKeys(target.Get(family, createdId)!).Should().Equal(AppKeys(original.Content));

        // An update that drops an app writes the shorter list: targetApps replaces the set.
        var changed = (JsonObject)original.Content.DeepClone();
        changed["apps"]!.AsArray().RemoveAt(0);
        await App.Gateway.UpdateObjectAsync(targetId, family, createdId, changed);
        AppKeys(target.Get(family, createdId)!).Should().Equal(AppKeys(changed));

        var path = registryPath(family);
        fixture.GraphLog(source).Should().Contain(e => e.PathAndQuery == $"/beta/{path}/{policyId}?$expand=apps,assignments");
        fixture.GraphLog(target).Where(e => e.Method == "POST" && e.PathAndQuery == $"/beta/{path}/{createdId}/targetApps")
            .Should().HaveCount(2).And.OnlyContain(e => e.Status == 204);
        fixture.GraphLog(target).Should().NotContain(e => e.Status >= 400, "the create and update bodies leave the apps out, as Graph wants");

        static string registryPath(string family) => $"deviceAppManagement/{family}";
    }

    [Theory]
    [InlineData(GraphResourceKeys.WindowsInformationProtectionPolicies)]
    [InlineData(GraphResourceKeys.MdmWindowsInformationProtectionPolicies)]
    public async Task Information_protection_keeps_its_applocker_files_which_are_written_below_the_policy_and_replaced_on_update(string family)
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 10 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var policyId = source.List(family).First(p => p["protectedAppLockerFiles"] is JsonArray { Count: > 0 })["id"]!.GetValue<string>();

        var original = await App.Gateway.GetPolicyAsync(sourceId, family, policyId);
        var files = original.Content["protectedAppLockerFiles"].Should().BeOfType<JsonArray>().Subject;
        JsonNode.DeepEquals(files, source.Get(family, policyId)!["protectedAppLockerFiles"]).Should().BeTrue("the backup holds each file whole, as Graph answered it");
        Convert.FromBase64String(files[0]!["file"]!.GetValue<string>()).Should().NotBeEmpty();

        var created = await App.Gateway.CreateObjectAsync(targetId, family, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        FileNames(target.Get(family, createdId)!, "protectedAppLockerFiles").Should().Equal(FileNames(original.Content, "protectedAppLockerFiles"));

        // An update that drops the protected files and adds an exempt one: the target's files follow the backup.
        var changed = (JsonObject)original.Content.DeepClone();
        var moved = changed["protectedAppLockerFiles"]!.AsArray()[0]!.DeepClone();
        moved["displayName"] = "Moved to exempt";
        changed["protectedAppLockerFiles"] = new JsonArray();
        changed["exemptAppLockerFiles"] = new JsonArray(moved);
        await App.Gateway.UpdateObjectAsync(targetId, family, createdId, changed);
        var stored = target.Get(family, createdId)!;
        stored["protectedAppLockerFiles"].Should().BeNull("every protected file was deleted");
        FileNames(stored, "exemptAppLockerFiles").Should().Equal("Moved to exempt");

        // Written again as it is: nothing to change below the policy.
        var before = fixture.GraphLog(target).Count;
        await App.Gateway.UpdateObjectAsync(targetId, family, createdId, changed);
        fixture.GraphLog(target).Skip(before).Should().NotContain(e => e.PathAndQuery.Contains("AppLockerFiles", StringComparison.Ordinal) && e.Method != "GET");
        fixture.GraphLog(source).Should().Contain(e => e.PathAndQuery == $"/beta/deviceAppManagement/{family}/{policyId}?$expand=protectedAppLockerFiles,exemptAppLockerFiles,assignments");
        fixture.GraphLog(target).Should().NotContain(e => e.Status >= 400, "the create and update bodies leave the files out, as Graph wants");

        static List<string> FileNames(JsonObject policy, string navigation) =>
            [.. (policy[navigation] as JsonArray ?? []).Select(f => f!["displayName"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_policy_set_comes_back_in_its_own_tenant_with_its_items_and_assignments_through_the_update_action()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.PolicySets] = 6 });
        var id = App.AddTenant(tenant);
        var setId = tenant.List(GraphFamilies.PolicySets).First(p => p["assignments"] is JsonArray { Count: > 0 } && p["items"] is JsonArray { Count: > 2 })["id"]!.GetValue<string>();
        var original = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.PolicySets, setId);
        var items = original.Content["items"].Should().BeOfType<JsonArray>().Subject;
        JsonNode.DeepEquals(items, tenant.Get(GraphFamilies.PolicySets, setId)!["items"]).Should().BeTrue("the backup holds every item with its payloadId");

        // Deleted by mistake, then restored from the backup: created, its items added, its assignments set.
        (await App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.PolicySets, setId)).Should().BeTrue();
        var created = await App.Gateway.CreateObjectAsync(id, GraphResourceKeys.PolicySets, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        await App.Gateway.AssignAsync(id, GraphResourceKeys.PolicySets, createdId, original.Assignments);
        var restored = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.PolicySets, createdId);

        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"the set reads back as it was backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        GraphObjectDiff.CompareAssignments(Array(original.Assignments), Array(restored.Assignments)).IsIdentical.Should().BeTrue();
        Payloads(restored.Content).Should().Equal(Payloads(original.Content));

        // An update that drops one item: one update call deletes it, the kept items are left as they are.
        var changed = (JsonObject)original.Content.DeepClone();
        changed["description"] = "Updated by the round trip";
        changed["items"]!.AsArray().RemoveAt(0);
        var before = fixture.GraphLog(tenant).Count;
        await App.Gateway.UpdateObjectAsync(id, GraphResourceKeys.PolicySets, createdId, changed);
        var stored = tenant.Get(GraphFamilies.PolicySets, createdId)!;
        stored["description"]!.GetValue<string>().Should().Be("Updated by the round trip");
        Payloads(stored).Should().Equal(Payloads(changed));
        var writes = fixture.GraphLog(tenant).Skip(before).Where(e => e.Method == "POST").ToList();
        writes.Should().ContainSingle().Which.PathAndQuery.Should().Be($"/beta/deviceAppManagement/policySets/{createdId}/update");

        var log = fixture.GraphLog(tenant);
        log.Should().Contain(e => e.PathAndQuery == $"/beta/deviceAppManagement/policySets/{setId}?$expand=items,assignments");
        log.Where(e => e.Method == "POST" && e.PathAndQuery == $"/beta/deviceAppManagement/policySets/{createdId}/update").Should().HaveCount(3, "the items after the create, the assignments, the items after the update");
        log.Should().NotContain(e => e.Status >= 400, "no body carries the items, and assignments go with the update action (there is no assign)");

        static List<string> Payloads(JsonObject set) =>
            [.. (set["items"] as JsonArray ?? []).Select(i => i!["payloadId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData(GraphResourceKeys.NotificationMessageTemplates, "localizedNotificationMessages")]
    [InlineData(GraphResourceKeys.WindowsInformationProtectionPolicies, "protectedAppLockerFiles")]
    [InlineData(GraphResourceKeys.PolicySets, "items")]
    public async Task An_object_written_again_with_its_own_content_has_its_children_read_and_none_of_them_written(string family, string navigation)
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 6 });
        var tenantId = App.AddTenant(tenant);
        var objectId = tenant.List(family).First(o => o[navigation] is JsonArray { Count: > 0 })["id"]!.GetValue<string>();
        var original = await App.Gateway.GetPolicyAsync(tenantId, family, objectId);
        var before = fixture.GraphLog(tenant).Count;

        await App.Gateway.UpdateObjectAsync(tenantId, family, objectId, original.Content);

        var calls = fixture.GraphLog(tenant).Skip(before).ToList();
        calls.Should().Contain(e => e.Method == "GET" && e.PathAndQuery.Contains($"/{objectId}/{navigation}", StringComparison.Ordinal), "the target's children are read to be compared");
        calls.Where(e => e.Method != "GET").Should().ContainSingle("a redelivered write changes only the object itself").Which.Method.Should().Be("PATCH");
    }

    [Fact]
    public async Task A_policy_set_written_into_another_tenant_is_refused_because_its_items_name_objects_that_tenant_lacks()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.PolicySets] = 3 });
        var target = fixture.NewTenant(s => { s.Seed = 99; s.FamilyCounts = new() { [GraphFamilies.PolicySets] = 0 }; });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.PolicySets, source.List(GraphFamilies.PolicySets)[0]["id"]!.GetValue<string>());

        var write = () => App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.PolicySets, original.Content);

        // What the registry's CrossTenantRestoreBlockedReason keeps the restore plan from doing.
        (await write.Should().ThrowAsync<GraphRequestException>()).Which.Message.Should().Contain("does not exist in this tenant");
        App.Contracts.Find(GraphResourceKeys.PolicySets)!.CrossTenantRestoreBlockedReason.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task An_app_is_read_with_its_assignments_and_their_intent_and_the_gateway_writes_none_of_it()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.MobileApps] = 6 };
            s.BuiltInApps = 0;
        });
        var id = App.AddTenant(tenant);
        var listed = (await App.ListAllAsync(id, GraphResourceKeys.MobileApps)).SelectMany(p => p.Items).ToList();
        var assigned = listed.First(p => p.Raw["assignments"] is JsonArray { Count: > 0 });

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.MobileApps, assigned.Id);
        var create = () => App.Gateway.CreateObjectAsync(id, GraphResourceKeys.MobileApps, detail.Content);
        var assign = () => App.Gateway.AssignAsync(id, GraphResourceKeys.MobileApps, assigned.Id, detail.Assignments);

        listed.Select(p => p.Id).Should().BeEquivalentTo(tenant.Ids(GraphFamilies.MobileApps));
        listed.Should().OnlyContain(p => p.ODataType != null, "apps are polymorphic: the listing names each type");
        detail.Assignments.Should().NotBeEmpty().And.OnlyContain(a => a["intent"] != null && a["target"] is JsonObject);
        JsonNode.DeepEquals(new JsonArray([.. detail.Assignments.Select(a => a.DeepClone())]), tenant.Get(GraphFamilies.MobileApps, assigned.Id)!["assignments"]).Should().BeTrue();
        (await create.Should().ThrowAsync<GraphRequestException>()).Which.Kind.Should().Be(GraphFailureKind.NotInRegistry);
        (await assign.Should().ThrowAsync<GraphRequestException>()).Which.Kind.Should().Be(GraphFailureKind.NotInRegistry);
        fixture.GraphLog(tenant).Should().OnlyContain(e => e.Method == "GET", "nothing was sent for the refused writes");
    }

    private static List<string> AppKeys(JsonObject policy) =>
        [.. (policy["apps"] as JsonArray ?? []).Select(a => a!["mobileAppIdentifier"]!.AsObject().Where(p => p.Key != "@odata.type").Single().Value!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static JsonArray Array(IEnumerable<JsonObject> items) => new([.. items.Select(i => i.DeepClone())]);

    [Fact]
    public async Task A_remediation_keeps_both_scripts_and_each_assignments_schedule_which_the_listing_leaves_out()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceHealthScripts] = 4 });
        var id = App.AddTenant(tenant);
        var listed = (await App.ListAllAsync(id, GraphResourceKeys.DeviceHealthScripts)).SelectMany(p => p.Items)
            .First(p => p.Raw["assignments"] is JsonArray { Count: > 0 });

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceHealthScripts, listed.Id);

        listed.Raw["detectionScriptContent"].Should().BeNull();
        listed.Raw["remediationScriptContent"].Should().BeNull();
        Convert.FromBase64String(detail.Content["detectionScriptContent"]!.GetValue<string>()).Should().NotBeEmpty();
        Convert.FromBase64String(detail.Content["remediationScriptContent"]!.GetValue<string>()).Should().NotBeEmpty();
        detail.Assignments.Should().NotBeEmpty().And.OnlyContain(a => a["runSchedule"] is JsonObject && a["runRemediationScript"] != null);
        fixture.GraphLog(tenant).Should().Contain(e => e.PathAndQuery == $"/beta/deviceManagement/deviceHealthScripts/{listed.Id}?$expand=assignments");
    }

    [Theory]
    [InlineData("#microsoft.graph.ipNamedLocation", "ipRanges")]
    [InlineData("#microsoft.graph.countryNamedLocation", "countriesAndRegions")]
    public async Task A_named_location_of_either_kind_is_created_in_another_tenant_updated_with_its_type_and_reads_back_the_same(string type, string part)
    {
        var source = fixture.NewTenant(s => s.NamedLocations = 6);
        var target = fixture.NewTenant(s => s.NamedLocations = 0);
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var locationId = source.List(GraphResourceKeys.NamedLocations).First(l => l["@odata.type"]!.GetValue<string>() == type)["id"]!.GetValue<string>();
        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.NamedLocations, locationId);

        var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.NamedLocations, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        var restored = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.NamedLocations, createdId);

        original.Content[part].Should().BeOfType<JsonArray>().Which.Should().NotBeEmpty();
        original.Assignments.Should().BeEmpty();
        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"the named location reads back as it was backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        restored.ODataType.Should().Be(type);

        // Graph wants the @odata.type in a named location's PATCH; the backed-up content carries it.
        var changed = (JsonObject)original.Content.DeepClone();
        changed["displayName"] = "Renamed by the round trip";
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.NamedLocations, createdId, changed);
        target.Get(GraphResourceKeys.NamedLocations, createdId)!["displayName"]!.GetValue<string>().Should().Be("Renamed by the round trip");
        fixture.GraphLog(target).Should().Contain(e => e.Method == "PATCH" && e.PathAndQuery == $"/v1.0/identity/conditionalAccess/namedLocations/{createdId}" && e.Status == 204);
    }

    [Fact]
    public async Task A_conditional_access_policy_changed_by_mistake_is_put_back_in_its_own_tenant_state_and_conditions_included()
    {
        var tenant = fixture.NewTenant(s => s.ConditionalAccessPolicies = 5);
        var id = App.AddTenant(tenant);
        var policyId = tenant.List(GraphResourceKeys.ConditionalAccessPolicies)
            .First(p => p["conditions"]!["users"]!["includeGroups"] is JsonArray { Count: > 0 })["id"]!.GetValue<string>();
        var backedUp = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.ConditionalAccessPolicies, policyId);

        // The bad change: someone switches the policy off and drops its group.
        var broken = (JsonObject)backedUp.Content.DeepClone();
        broken["state"] = "disabled";
        broken["conditions"]!["users"]!["includeGroups"] = new JsonArray();
        broken["conditions"]!["users"]!["includeUsers"] = new JsonArray("All");
        await App.Gateway.UpdateObjectAsync(id, GraphResourceKeys.ConditionalAccessPolicies, policyId, broken);
        tenant.Get(GraphResourceKeys.ConditionalAccessPolicies, policyId)!["state"]!.GetValue<string>().Should().Be("disabled");

        await App.Gateway.UpdateObjectAsync(id, GraphResourceKeys.ConditionalAccessPolicies, policyId, backedUp.Content);
        var restored = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.ConditionalAccessPolicies, policyId);

        var diff = GraphObjectDiff.Compare(backedUp.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"the policy is as backed up again: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        restored.Content["state"]!.GetValue<string>().Should().Be(backedUp.Content["state"]!.GetValue<string>());
        JsonNode.DeepEquals(restored.Content["conditions"], backedUp.Content["conditions"]).Should().BeTrue();

        // Deleted by mistake: created again from the backup, as it was (state included).
        (await App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.ConditionalAccessPolicies, policyId)).Should().BeTrue();
        var created = await App.Gateway.CreateObjectAsync(id, GraphResourceKeys.ConditionalAccessPolicies, backedUp.Content);
        var again = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.ConditionalAccessPolicies, created["id"]!.GetValue<string>());
        JsonNode.DeepEquals(again.Content["conditions"], backedUp.Content["conditions"]).Should().BeTrue();
        JsonNode.DeepEquals(again.Content["grantControls"], backedUp.Content["grantControls"]).Should().BeTrue();
        again.Content["state"]!.GetValue<string>().Should().Be(backedUp.Content["state"]!.GetValue<string>());
        fixture.GraphLog(tenant).Should().Contain(e => e.Method == "POST" && e.PathAndQuery == "/v1.0/identity/conditionalAccess/policies" && e.Status == 201);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Conditional_access_is_read_at_its_own_pace_of_one_request_a_second_while_intune_reads_go_ahead(int caPolicies)
    {
        // The emulator enforces Microsoft's limit (1 request/s per tenant, 429 without Retry-After): any burst shows.
        // Eight is more than the tenant's four in-process request permits: Conditional Access reads waiting for their
        // second must not hold the permits the Intune reads started after them need.
        var tenant = fixture.NewTenant(s =>
        {
            s.ConditionalAccessLimitPerSecond = 1;
            s.ConditionalAccessPolicies = caPolicies;
            s.NamedLocations = 0;
            s.FamilyCounts = new() { [GraphFamilies.DeviceManagementScripts] = 6 };
        });
        var id = App.AddTenant(tenant);
        var policies = tenant.Ids(GraphResourceKeys.ConditionalAccessPolicies);
        var scripts = tenant.Ids(GraphResourceKeys.DeviceManagementScripts);

        var caReads = Task.WhenAll(policies.Select(p => App.Gateway.GetPolicyAsync(id, GraphResourceKeys.ConditionalAccessPolicies, p)));
        await Task.Delay(100);
        var intuneReads = Task.WhenAll(scripts.Select(p => App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceManagementScripts, p)));
        (await intuneReads).Should().HaveCount(scripts.Count);
        (await caReads).Should().HaveCount(policies.Count);

        var log = fixture.GraphLog(tenant);
        var ca = log.Where(e => e.PathAndQuery.StartsWith("/v1.0/identity/conditionalAccess/", StringComparison.Ordinal)).OrderBy(e => e.Timestamp).ToList();
        var intune = log.Where(e => e.PathAndQuery.StartsWith("/beta/deviceManagement/", StringComparison.Ordinal)).OrderBy(e => e.Timestamp).ToList();
        log.Should().NotContain(e => e.Status == 429, "our own budget keeps Conditional Access below its limit");
        ca.Should().HaveCount(policies.Count);
        ca.Zip(ca.Skip(1), (a, b) => b.Timestamp - a.Timestamp).Should().OnlyContain(gap => gap >= TimeSpan.FromSeconds(1), "one Conditional Access request a second");
        intune.Should().HaveCount(scripts.Count);
        intune[^1].Timestamp.Should().BeBefore(ca[2].Timestamp, "the Intune reads did not wait for the Conditional Access budget or its requests");
        (intune[^1].Timestamp - intune[0].Timestamp).Should().BeLessThan(TimeSpan.FromSeconds(1), "nor were they paced like it");
    }

    [Fact]
    public async Task An_intent_is_read_with_its_settings_and_assignments_below_it_created_from_its_template_elsewhere_and_its_changed_setting_written_with_updateSettings()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.Intents] = 4 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.Intents] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var seeded = source.List(GraphFamilies.Intents).First(i => i["assignments"] is JsonArray { Count: > 0 });
        var intentId = seeded["id"]!.GetValue<string>();
        var templateId = seeded["templateId"]!.GetValue<string>();

        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.Intents, intentId);
        var settings = original.Content["settings"].Should().BeOfType<JsonArray>().Subject;
        settings.Should().HaveCount(source.Get(GraphFamilies.Templates, templateId)!["settings"]!.AsArray().Count, "an intent carries every setting of its template");
        original.Assignments.Should().HaveCount(seeded["assignments"]!.AsArray().Count, "read below the intent: Graph answers them empty when expanded");
        fixture.GraphLog(source).Select(e => e.PathAndQuery).Should().Contain(p => p.EndsWith($"/intents/{intentId}/settings", StringComparison.Ordinal))
            .And.Contain(p => p.EndsWith($"/intents/{intentId}/assignments", StringComparison.Ordinal))
            .And.NotContain(p => p.Contains("$expand", StringComparison.Ordinal));

        var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.Intents, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        await App.Gateway.AssignAsync(targetId, GraphResourceKeys.Intents, createdId, original.Assignments);
        var restored = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.Intents, createdId);
        var log = fixture.GraphLog(target);

        log.Should().Contain(e => e.Method == "GET" && e.PathAndQuery.EndsWith($"/templates/{templateId}", StringComparison.Ordinal), "the template is looked up first");
        log.Should().ContainSingle(e => e.Method == "POST" && e.PathAndQuery.EndsWith($"/templates/{templateId}/createInstance", StringComparison.Ordinal));
        GraphObjectDiff.Compare(original.Content, restored.Content).IsIdentical.Should().BeTrue("the intent reads back with its template and every setting value");
        GraphObjectDiff.CompareAssignments(Array(original.Assignments), Array(restored.Assignments)).IsIdentical.Should().BeTrue();

        // A setting changed in the backup is written with updateSettings; the rest stays.
        var changed = (JsonObject)original.Content.DeepClone();
        var flag = changed["settings"]!.AsArray().OfType<JsonObject>().First(s => s["@odata.type"]!.GetValue<string>().EndsWith("BooleanSettingInstance", StringComparison.Ordinal));
        var flipped = !flag["value"]!.GetValue<bool>();
        flag["value"] = flipped;
        flag["valueJson"] = flipped ? "true" : "false";
        changed["displayName"] = "Renamed by the round trip";
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.Intents, createdId, changed);
        var updated = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.Intents, createdId);

        fixture.GraphLog(target).Should().ContainSingle(e => e.Method == "POST" && e.PathAndQuery.EndsWith($"/intents/{createdId}/updateSettings", StringComparison.Ordinal))
            .And.ContainSingle(e => e.Method == "PATCH" && e.PathAndQuery.EndsWith($"/intents/{createdId}", StringComparison.Ordinal));
        var diff = GraphObjectDiff.Compare(changed, updated.Content);
        diff.IsIdentical.Should().BeTrue(string.Join("; ", diff.Changes.Select(c => c.Path)));
        GraphObjectDiff.Compare(original.Content, updated.Content).Changes.Select(c => c.Locator).Should().BeEquivalentTo(
            ["/displayName", $"/settings/{flag["definitionId"]}/value", $"/settings/{flag["definitionId"]}/valueJson"], "only the name and the one setting changed");
    }

    [Fact]
    public async Task An_intent_is_not_created_in_a_tenant_without_its_template_nor_from_a_template_intune_retired_and_the_message_names_the_template()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.Intents] = 5 });
        var bare = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.Templates] = 0 });
        var sourceId = App.AddTenant(source);
        var bareId = App.AddTenant(bare);
        var intents = source.List(GraphFamilies.Intents);
        var current = intents.First(i => source.Get(GraphFamilies.Templates, i["templateId"]!.GetValue<string>())!["isDeprecated"]!.GetValue<bool>() == false);
        var old = intents.First(i => source.Get(GraphFamilies.Templates, i["templateId"]!.GetValue<string>())!["isDeprecated"]!.GetValue<bool>());
        var content = (await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.Intents, current["id"]!.GetValue<string>())).Content;
        var oldContent = (await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.Intents, old["id"]!.GetValue<string>())).Content;

        var missing = await FluentActions.Awaiting(() => App.Gateway.CreateObjectAsync(bareId, GraphResourceKeys.Intents, content))
            .Should().ThrowAsync<GraphRequestException>();
        var retired = await FluentActions.Awaiting(() => App.Gateway.CreateObjectAsync(sourceId, GraphResourceKeys.Intents, oldContent))
            .Should().ThrowAsync<GraphRequestException>();

        missing.Which.ErrorCode.Should().Be("templateNotInTenant");
        missing.Which.Message.Should().Contain(current["templateId"]!.GetValue<string>()).And.Contain("has no endpoint security template");
        retired.Which.ErrorCode.Should().Be("templateDeprecated");
        retired.Which.Message.Should().Contain("no longer creates profiles").And.Contain("Security Baseline");
        bare.List(GraphFamilies.Intents).Should().BeEmpty();
        source.List(GraphFamilies.Intents).Should().HaveCount(5, "nothing was created");
        fixture.GraphLog(bare).Concat(fixture.GraphLog(source)).Should().NotContain(e => e.PathAndQuery.EndsWith("/createInstance", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reusable_setting_is_created_in_another_tenant_updated_and_reads_back_the_same()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ReusablePolicySettings] = 3 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.ReusablePolicySettings] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        foreach (var item in source.List(GraphFamilies.ReusablePolicySettings))
        {
            var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.ReusablePolicySettings, item["id"]!.GetValue<string>());
            original.Content["settingInstance"].Should().NotBeNull();
            original.Assignments.Should().BeEmpty();

            var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.ReusablePolicySettings, original.Content);
            var createdId = created["id"]!.GetValue<string>();
            var restored = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.ReusablePolicySettings, createdId);
            var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
            diff.IsIdentical.Should().BeTrue(string.Join("; ", diff.Changes.Select(c => c.Path)));

            var changed = (JsonObject)original.Content.DeepClone();
            changed["description"] = "Updated by the round trip";
            await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.ReusablePolicySettings, createdId, changed);
            target.Get(GraphFamilies.ReusablePolicySettings, createdId)!["description"]!.GetValue<string>().Should().Be("Updated by the round trip");
        }

        fixture.GraphLog(target).Where(e => e.Method != "GET").Select(e => e.Method).Should().Equal(["POST", "PATCH", "POST", "PATCH", "POST", "PATCH"]);
    }

    [Fact]
    public async Task An_enrollment_default_is_updated_in_place_without_its_priority_and_intune_refuses_to_assign_or_delete_it()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceEnrollmentConfigurations] = 8 });
        var id = App.AddTenant(tenant);
        var defaults = tenant.List(GraphFamilies.DeviceEnrollmentConfigurations).Where(p => p["id"]!.GetValue<string>().Contains("_Default", StringComparison.Ordinal)).ToList();
        defaults.Select(p => (p["priority"]?.GetValue<int>(), (p["assignments"] as JsonArray)?.Count ?? 0)).Should().Equal(Enumerable.Repeat(((int?)0, 0), 4), "the defaults come first, unassigned");
        var limitId = defaults.Single(p => p["@odata.type"]!.GetValue<string>() == "#microsoft.graph.deviceEnrollmentLimitConfiguration")["id"]!.GetValue<string>();
        limitId.Should().Be($"{tenant.TenantId}_DefaultLimit");

        var limit = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceEnrollmentConfigurations, limitId);
        var changed = (JsonObject)limit.Content.DeepClone();
        changed["limit"] = 7;
        changed["priority"] = 3;
        await App.Gateway.UpdateObjectAsync(id, GraphResourceKeys.DeviceEnrollmentConfigurations, limitId, changed);
        var assign = () => App.Gateway.AssignAsync(id, GraphResourceKeys.DeviceEnrollmentConfigurations, limitId, []);
        var delete = () => App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.DeviceEnrollmentConfigurations, limitId);

        tenant.Get(GraphFamilies.DeviceEnrollmentConfigurations, limitId)!["limit"]!.GetValue<int>().Should().Be(7);
        tenant.Get(GraphFamilies.DeviceEnrollmentConfigurations, limitId)!["priority"]!.GetValue<int>().Should().Be(0);
        fixture.GraphLog(tenant).Should().ContainSingle(e => e.Method == "PATCH" && e.PathAndQuery.EndsWith("_DefaultLimit", StringComparison.Ordinal));
        (await assign.Should().ThrowAsync<GraphRequestException>()).Which.Kind.Should().Be(GraphFailureKind.BadRequest);
        (await delete.Should().ThrowAsync<GraphRequestException>()).Which.Kind.Should().Be(GraphFailureKind.BadRequest);
        tenant.Get(GraphFamilies.DeviceEnrollmentConfigurations, limitId).Should().NotBeNull();
    }

    [Fact]
    public async Task Terms_are_assigned_one_by_one_without_an_assign_action_deleting_the_unwanted_creating_the_missing_and_a_second_assign_writes_nothing()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.TermsAndConditions] = 1 });
        var id = App.AddTenant(tenant);
        var termsId = tenant.List(GraphFamilies.TermsAndConditions)[0]["id"]!.GetValue<string>();
        var groups = tenant.List(GraphFamilies.Groups).Select(g => g["id"]!.GetValue<string>()).Take(3).ToArray();
        static JsonObject Group(string groupId) => new()
        {
            ["@odata.type"] = "#microsoft.graph.termsAndConditionsAssignment",
            ["id"] = "source-assignment-" + groupId,
            ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = groupId },
        };

        await App.Gateway.AssignAsync(id, GraphResourceKeys.TermsAndConditions, termsId, [Group(groups[0]), Group(groups[1])]);
        var before = fixture.GraphLog(tenant).Count;
        await App.Gateway.AssignAsync(id, GraphResourceKeys.TermsAndConditions, termsId, [Group(groups[1]), Group(groups[2])]);
        var writes = fixture.GraphLog(tenant).Skip(before).Where(e => e.Method != "GET").ToList();
        var afterSecond = fixture.GraphLog(tenant).Count;
        await App.Gateway.AssignAsync(id, GraphResourceKeys.TermsAndConditions, termsId, [Group(groups[1]), Group(groups[2])]);

        var assigned = (tenant.Get(GraphFamilies.TermsAndConditions, termsId)!["assignments"] as JsonArray)!
            .Select(a => a!["target"]!["groupId"]!.GetValue<string>()).ToList();
        assigned.Should().BeEquivalentTo([groups[1], groups[2]]);
        writes.Select(e => (e.Method, e.Status)).Should().Equal([("DELETE", 204), ("POST", 201)], "the unwanted group goes, the missing one comes, the kept one stays");
        writes.Should().OnlyContain(e => e.PathAndQuery.Contains($"/termsAndConditions/{termsId}/assignments", StringComparison.Ordinal));
        fixture.GraphLog(tenant).Should().NotContain(e => e.PathAndQuery.EndsWith("/assign", StringComparison.Ordinal), "Graph has no assign action for terms");
        fixture.GraphLog(tenant).Skip(afterSecond).Should().OnlyContain(e => e.Method == "GET", "the set is already as intended");
    }

    [Fact]
    public async Task A_notification_template_is_read_with_its_localized_messages_created_with_them_in_another_tenant_and_an_update_makes_them_match()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.NotificationMessageTemplates] = 6 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.NotificationMessageTemplates] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var templateId = source.List(GraphFamilies.NotificationMessageTemplates)
            .First(t => t["localizedNotificationMessages"] is JsonArray { Count: >= 2 })["id"]!.GetValue<string>();

        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.NotificationMessageTemplates, templateId);
        var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.NotificationMessageTemplates, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        var restored = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.NotificationMessageTemplates, createdId);

        var messages = (JsonArray)original.Content["localizedNotificationMessages"]!;
        messages.Count.Should().BeGreaterThanOrEqualTo(2);
        Locales(restored.Content).Should().Equal(Locales(original.Content));
        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"the template and each message (matched on its locale) read back as backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");

        // The admin's later edit in the target: the backed-up messages are put back — one changed, one added, one extra removed.
        var edited = (JsonObject)restored.Content.DeepClone();
        var editedMessages = (JsonArray)edited["localizedNotificationMessages"]!;
        editedMessages[0]!["subject"] = "Changed in the target";
        editedMessages.RemoveAt(1);
        editedMessages.Add(new JsonObject { ["locale"] = "it-it", ["subject"] = "Extra", ["messageTemplate"] = "Extra", ["isDefault"] = false });
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.NotificationMessageTemplates, createdId, edited);
        var before = fixture.GraphLog(target).Count;
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.NotificationMessageTemplates, createdId, original.Content);
        var writes = fixture.GraphLog(target).Skip(before).Where(e => e.Method != "GET" && e.PathAndQuery.Contains("/localizedNotificationMessages", StringComparison.Ordinal)).ToList();
        var back = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.NotificationMessageTemplates, createdId);

        Locales(back.Content).Should().Equal(Locales(original.Content));
        ((JsonArray)back.Content["localizedNotificationMessages"]!).Select(m => m!["subject"]!.GetValue<string>())
            .Should().Equal(messages.Select(m => m!["subject"]!.GetValue<string>()));
        writes.Select(e => e.Method).Should().BeEquivalentTo(["PATCH", "POST", "DELETE"]);
    }

    [Fact]
    public async Task A_branding_profile_is_read_with_its_images_selected_created_in_another_tenant_with_them_and_the_default_is_updated_in_place_only()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.IntuneBrandingProfiles] = 4 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.IntuneBrandingProfiles] = 1 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var own = source.List(GraphFamilies.IntuneBrandingProfiles).First(p => p["isDefaultProfile"]!.GetValue<bool>() == false && p["assignments"] is JsonArray { Count: > 0 });

        var listed = new List<GraphObjectSummary>();
        await foreach (var page in App.Gateway.ListObjectsAsync(sourceId, GraphResourceKeys.IntuneBrandingProfiles))
        {
            listed.AddRange(page.Items);
        }

        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.IntuneBrandingProfiles, own["id"]!.GetValue<string>());
        var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.IntuneBrandingProfiles, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        await App.Gateway.AssignAsync(targetId, GraphResourceKeys.IntuneBrandingProfiles, createdId, original.Assignments);
        var restored = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.IntuneBrandingProfiles, createdId);

        listed.Should().OnlyContain(p => p.Raw["themeColorLogo"] == null, "Graph leaves the images out unless they are selected");
        original.Content["themeColorLogo"]!["value"]!.GetValue<string>().Should().Be(own["themeColorLogo"]!["value"]!.GetValue<string>());
        original.DisplayName.Should().Be(own["profileName"]!.GetValue<string>());
        GraphObjectDiff.Compare(original.Content, restored.Content).IsIdentical.Should().BeTrue("the profile, its images included, reads back as backed up");
        GraphObjectDiff.CompareAssignments(Array(original.Assignments), Array(restored.Assignments)).IsIdentical.Should().BeTrue();
        target.Get(GraphFamilies.IntuneBrandingProfiles, createdId)!["isDefaultProfile"]!.GetValue<bool>().Should().BeFalse();

        var sourceDefault = source.List(GraphFamilies.IntuneBrandingProfiles).Single(p => p["isDefaultProfile"]!.GetValue<bool>());
        var targetDefaultId = target.List(GraphFamilies.IntuneBrandingProfiles).Single(p => p["isDefaultProfile"]!.GetValue<bool>())["id"]!.GetValue<string>();
        var backedUpDefault = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.IntuneBrandingProfiles, sourceDefault["id"]!.GetValue<string>());
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.IntuneBrandingProfiles, targetDefaultId, backedUpDefault.Content);
        var assign = () => App.Gateway.AssignAsync(targetId, GraphResourceKeys.IntuneBrandingProfiles, targetDefaultId, original.Assignments);
        var delete = () => App.Gateway.DeleteObjectAsync(targetId, GraphResourceKeys.IntuneBrandingProfiles, targetDefaultId);

        var updatedDefault = target.Get(GraphFamilies.IntuneBrandingProfiles, targetDefaultId)!;
        updatedDefault["isDefaultProfile"]!.GetValue<bool>().Should().BeTrue();
        updatedDefault["themeColor"]!.ToJsonString().Should().Be(sourceDefault["themeColor"]!.ToJsonString());
        updatedDefault["lightBackgroundLogo"]!.ToJsonString().Should().Be(sourceDefault["lightBackgroundLogo"]!.ToJsonString());
        (await assign.Should().ThrowAsync<GraphRequestException>()).Which.Kind.Should().Be(GraphFailureKind.BadRequest);
        (await delete.Should().ThrowAsync<GraphRequestException>()).Which.Kind.Should().Be(GraphFailureKind.BadRequest);
    }

    private static List<string> Locales(JsonObject template) =>
        [.. ((JsonArray)template["localizedNotificationMessages"]!).Select(m => m!["locale"]!.GetValue<string>())];

    [Fact]
    public async Task The_apps_listing_takes_the_tenants_own_and_assigned_apps_and_leaves_out_intunes_built_in_apps_nobody_assigned()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.MobileApps] = 5 };
            s.BuiltInApps = 6;
        });
        var id = App.AddTenant(tenant);
        var builtIn = tenant.List(GraphFamilies.MobileApps).Where(a => a["appAvailability"]?.GetValue<string>() == "global").Select(a => a["id"]!.GetValue<string>()).ToList();
        var own = tenant.Ids(GraphFamilies.MobileApps).Except(builtIn).ToList();
        // An admin assigned one of the built-in apps (Outlook to everyone, say): that one is the tenant's business.
        tenant.Update(GraphFamilies.MobileApps, builtIn[2], new JsonObject { ["isAssigned"] = true });

        var listed = (await App.ListAllAsync(id, GraphResourceKeys.MobileApps)).SelectMany(p => p.Items).ToList();

        builtIn.Should().HaveCount(6);
        own.Should().HaveCount(5);
        listed.Select(p => p.Id).Should().BeEquivalentTo(own.Append(builtIn[2]), "the tenant's own apps and the built-in app it assigned");
        fixture.GraphLog(tenant).Should().ContainSingle(e => e.PathAndQuery.StartsWith("/beta/deviceAppManagement/mobileApps?", StringComparison.Ordinal))
            .Which.PathAndQuery.Should().Contain("$filter=" + Uri.EscapeDataString(
                "(microsoft.graph.managedApp/appAvailability eq null or microsoft.graph.managedApp/appAvailability eq 'lineOfBusiness' or isAssigned eq true)"));
    }

    [Fact]
    public async Task A_driver_profile_keeps_its_hand_approved_drivers_and_a_restore_approves_those_the_targets_inventory_has_noting_the_rest()
    {
        // Another seed: Windows Update offers the target's devices partly other drivers. Small pages: the inventory pages.
        var source = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.WindowsDriverUpdateProfiles] = 8 };
            s.ExpandedPageSize = 3;
        });
        var target = fixture.NewTenant(s =>
        {
            s.Seed = 3;
            s.FamilyCounts = new() { [GraphFamilies.WindowsDriverUpdateProfiles] = 0 };
        });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var profile = source.List(GraphFamilies.WindowsDriverUpdateProfiles)
            .First(p => p["approvalType"]!.GetValue<string>() == "manual" && Approved(p).Count > 0);
        var profileId = profile["id"]!.GetValue<string>();

        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.WindowsDriverUpdateProfiles, profileId);
        var notes = new List<string>();
        var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.WindowsDriverUpdateProfiles, original.Content, notes: notes);
        var createdId = created["id"]!.GetValue<string>();
        var restored = target.Get(GraphFamilies.WindowsDriverUpdateProfiles, createdId)!;
        var inTarget = (restored["driverInventories"] as JsonArray ?? []).Select(d => d!["id"]!.GetValue<string>()).ToHashSet();
        var backedUpApproved = Approved(original.Content);
        var missing = backedUpApproved.Where(d => !inTarget.Contains(d["id"]!.GetValue<string>())).ToList();

        JsonNode.DeepEquals(original.Content["driverInventories"], profile["driverInventories"]).Should().BeTrue("the backup holds the whole inventory, every page of it");
        ((JsonArray)original.Content["driverInventories"]!).Count.Should().BeGreaterThan(3);
        fixture.GraphLog(source).Should().Contain(e => e.PathAndQuery.StartsWith($"/beta/deviceManagement/windowsDriverUpdateProfiles/{profileId}/driverInventories?", StringComparison.Ordinal)
            && e.PathAndQuery.Contains("skiptoken", StringComparison.OrdinalIgnoreCase));
        missing.Should().NotBeEmpty("the target's devices lack some of the approved drivers");
        backedUpApproved.Should().Contain(d => inTarget.Contains(d["id"]!.GetValue<string>()), "and have others");
        Approved(restored).Select(d => d["id"]!.GetValue<string>()).Should().BeEquivalentTo(
            backedUpApproved.Select(d => d["id"]!.GetValue<string>()).Where(inTarget.Contains), "the drivers approved by hand are approved again where the target has them");
        Approved(restored).Should().OnlyContain(d => d["deployDateTime"]!.GetValue<string>() == backedUpApproved.Single(b => b["id"]!.GetValue<string>() == d["id"]!.GetValue<string>())["deployDateTime"]!.GetValue<string>());
        notes.Should().ContainSingle().Which.Should().ContainAll(missing.Select(d => d["name"]!.GetValue<string>()));

        // An update approves nothing twice: the approvals are in place.
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.WindowsDriverUpdateProfiles, createdId, original.Content);
        fixture.GraphLog(target).Where(e => e.PathAndQuery == $"/beta/deviceManagement/windowsDriverUpdateProfiles/{createdId}/executeAction")
            .Should().ContainSingle().Which.Status.Should().Be(200);
        fixture.GraphLog(target).Should().NotContain(e => e.Status >= 400, "driverInventories stays out of the create and update bodies");

        static List<JsonObject> Approved(JsonObject p) =>
            [.. (p["driverInventories"] as JsonArray ?? []).OfType<JsonObject>().Where(d => d["approvalStatus"]?.GetValue<string>() == "approved")];
    }

    [Fact]
    public async Task A_settings_catalog_compliance_update_makes_the_targets_actions_for_noncompliance_match_the_backup()
    {
        var source = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.CompliancePolicies] = 4 });
        var target = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.CompliancePolicies] = 0 });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var policyId = source.Ids(GraphFamilies.CompliancePolicies)[0];
        var original = await App.Gateway.GetPolicyAsync(sourceId, GraphResourceKeys.CompliancePolicies, policyId);
        var created = await App.Gateway.CreateObjectAsync(targetId, GraphResourceKeys.CompliancePolicies, original.Content);
        var createdId = created["id"]!.GetValue<string>();

        // The backup to restore over it has other actions: a longer grace period, and a retire 30 days on.
        var backup = (JsonObject)original.Content.DeepClone();
        var rule = backup["scheduledActionsForRule"]!.AsArray()[0]!.AsObject();
        foreach (var action in rule["scheduledActionConfigurations"]!.AsArray())
        {
            action!["gracePeriodHours"] = 96;
        }

        rule["scheduledActionConfigurations"]!.AsArray().Add(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementComplianceActionItem",
            ["id"] = Guid.NewGuid().ToString(),
            ["gracePeriodHours"] = 720,
            ["actionType"] = "retire",
            ["notificationTemplateId"] = "",
            ["notificationMessageCCList"] = new JsonArray(),
        });
        backup["description"] = "Restored with its actions";
        await App.Gateway.UpdateObjectAsync(targetId, GraphResourceKeys.CompliancePolicies, createdId, backup);
        var restored = await App.Gateway.GetPolicyAsync(targetId, GraphResourceKeys.CompliancePolicies, createdId);

        var diff = GraphObjectDiff.Compare(backup, restored.Content);
        diff.IsIdentical.Should().BeTrue($"settings, properties and actions for noncompliance are as backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        restored.Content["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray()
            .Should().Contain(a => a!["actionType"]!.GetValue<string>() == "retire" && a["gracePeriodHours"]!.GetValue<int>() == 720);
        var log = fixture.GraphLog(target);
        log.Should().Contain(e => e.Method == "PUT" && e.PathAndQuery == $"/beta/deviceManagement/compliancePolicies/{createdId}" && e.Status == 204);
        log.Should().ContainSingle(e => e.Method == "POST" && e.PathAndQuery == $"/beta/deviceManagement/compliancePolicies/{createdId}/setScheduledActions")
            .Which.Status.Should().Be(200);
    }

    [Theory]
    [InlineData(GraphResourceKeys.AssignmentFilters)]
    [InlineData(GraphResourceKeys.RoleScopeTags)]
    [InlineData(GraphResourceKeys.RoleDefinitions)]
    public async Task A_tenant_wide_object_read_from_one_tenant_is_created_and_updated_in_another_and_reads_back_the_same(string family)
    {
        var source = fixture.NewTenant();
        var target = fixture.NewTenant(s =>
        {
            s.AssignmentFilters = 0;
            s.ScopeTags = 0;
            s.CustomRoleDefinitions = 0;
        });
        var sourceId = App.AddTenant(source);
        var targetId = App.AddTenant(target);
        var objectId = source.List(family).First(o => o["isBuiltIn"]?.GetValue<bool>() != true)["id"]!.GetValue<string>();
        var original = await App.Gateway.GetPolicyAsync(sourceId, family, objectId);

        var created = await App.Gateway.CreateObjectAsync(targetId, family, original.Content);
        var createdId = created["id"]!.GetValue<string>();
        var restored = await App.Gateway.GetPolicyAsync(targetId, family, createdId);

        original.Assignments.Should().BeEmpty();
        var diff = GraphObjectDiff.Compare(original.Content, restored.Content);
        diff.IsIdentical.Should().BeTrue($"{family} reads back as it was backed up: {string.Join("; ", diff.Changes.Select(c => c.Path))}");
        restored.Content["isBuiltIn"]?.GetValue<bool>().Should().NotBe(true, "a restored copy is the tenant's own");

        var changed = (JsonObject)original.Content.DeepClone();
        changed["description"] = "Updated by the round trip";
        await App.Gateway.UpdateObjectAsync(targetId, family, createdId, changed);
        target.Get(family, createdId)!["description"]!.GetValue<string>().Should().Be("Updated by the round trip");
        fixture.GraphLog(target).Should().NotContain(e => e.Status >= 400).And.NotContain(e => e.PathAndQuery.EndsWith("/assign", StringComparison.Ordinal), "no assignments");
    }
}
