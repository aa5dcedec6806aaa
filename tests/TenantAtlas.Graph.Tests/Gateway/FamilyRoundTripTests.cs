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
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations)]
    [InlineData(GraphResourceKeys.IosManagedAppProtections)]
    [InlineData(GraphResourceKeys.AndroidManagedAppProtections)]
    [InlineData(GraphResourceKeys.TargetedManagedAppConfigurations)]
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

    [Fact]
    public async Task Conditional_access_is_read_at_its_own_pace_of_one_request_a_second_while_intune_reads_go_ahead()
    {
        // The emulator enforces Microsoft's limit (1 request/s per tenant, 429 without Retry-After): any burst shows.
        var tenant = fixture.NewTenant(s =>
        {
            s.ConditionalAccessLimitPerSecond = 1;
            s.ConditionalAccessPolicies = 3;
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
        intune[^1].Timestamp.Should().BeBefore(ca[^1].Timestamp, "the Intune reads did not wait for the Conditional Access budget");
        (intune[^1].Timestamp - intune[0].Timestamp).Should().BeLessThan(TimeSpan.FromSeconds(1), "nor were they paced like it");
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
