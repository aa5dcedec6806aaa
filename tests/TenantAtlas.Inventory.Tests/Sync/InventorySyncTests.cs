using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;

namespace TenantAtlas.Inventory.Tests.Sync;

/// <summary>Issue 6, items 1 and 5: Sync now → run queued → a Hangfire worker → the run completes with truthful counts.</summary>
[Collection(InventoryCollection.Name)]
public sealed class InventorySyncTests(InventoryFixture fixture)
{
    [Fact]
    public async Task A_sync_stores_every_policy_of_every_family_and_its_counts_match_the_emulator()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();

        var run = await fixture.SyncAsync(tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => $"{f.Code}: {f.Message}")));
        var expected = fixture.PolicyFamilies.Sum(emulated.Count);
        expected.Should().BeGreaterThan(200);
        run.Count(OperationSummaryKeys.Total).Should().Be(expected);
        run.Count(OperationSummaryKeys.Processed).Should().Be(expected);
        run.Count(OperationSummaryKeys.Created).Should().Be(expected);
        run.Count(OperationSummaryKeys.Updated).Should().Be(0);
        run.Count(OperationSummaryKeys.Unchanged).Should().Be(0);
        run.Count(OperationSummaryKeys.Deleted).Should().Be(0);
        run.Count(OperationSummaryKeys.Failed).Should().Be(0);
        run.Initiator.UserId.Should().Be(fixture.Demo.Operator);

        var items = await fixture.ItemsAsync(tenantId);
        items.Should().HaveCount(expected).And.OnlyContain(i => i.DeletedAt == null && i.LastSeenRunId == run.Id);
        var counts = await fixture.Queries.CountsByFamilyAsync(tenantId);
        foreach (var family in fixture.PolicyFamilies)
        {
            emulated.Count(family).Should().BeGreaterThan(0, family);
            items.Where(i => i.Family == family).Select(i => i.GraphId).Should().BeEquivalentTo(emulated.Ids(family), family);
            counts.Single(c => c.Family == family).Items.Should().Be(emulated.Count(family));
        }

        foreach (var item in items)
        {
            var source = emulated.Get(item.Family, item.GraphId)!;
            var nameProperty = item.Family switch
            {
                GraphResourceKeys.ConfigurationPolicies or GraphResourceKeys.CompliancePolicies => "name",
                GraphResourceKeys.IntuneBrandingProfiles => "profileName",
                _ => "displayName",
            };
            item.DisplayName.Should().Be(source[nameProperty]!.GetValue<string>());
            // Graph sends @odata.type in a $select listing only for polymorphic families (scripts, settings catalog: none).
            if (item.Family is not (GraphResourceKeys.DeviceManagementScripts or GraphResourceKeys.ConfigurationPolicies or GraphResourceKeys.GroupPolicyConfigurations
                or GraphResourceKeys.DeviceHealthScripts or GraphResourceKeys.DeviceShellScripts
                or GraphResourceKeys.DeviceCustomAttributeShellScripts or GraphResourceKeys.DeviceComplianceScripts
                or GraphResourceKeys.IosManagedAppProtections or GraphResourceKeys.AndroidManagedAppProtections or GraphResourceKeys.TargetedManagedAppConfigurations
                or GraphResourceKeys.WindowsManagedAppProtections or GraphResourceKeys.WindowsInformationProtectionPolicies
                or GraphResourceKeys.MdmWindowsInformationProtectionPolicies or GraphResourceKeys.PolicySets))
            {
                item.ODataType.Should().Be(source["@odata.type"]?.GetValue<string>(), $"{item.Family}/{item.GraphId}");
            }

            // A family without assignments (Conditional Access: who a policy applies to is in its conditions) has no count;
            // nor have intents, whose listing cannot carry them (Graph answers their expanded assignments empty).
            item.AssignmentCount.Should().Be(
                item.Family is GraphResourceKeys.ConditionalAccessPolicies or GraphResourceKeys.NamedLocations or GraphResourceKeys.AssignmentFilters
                    or GraphResourceKeys.RoleScopeTags or GraphResourceKeys.RoleDefinitions
                    or GraphResourceKeys.Intents or GraphResourceKeys.ReusablePolicySettings or GraphResourceKeys.NotificationMessageTemplates ? null : (source["assignments"] as JsonArray)?.Count ?? 0,
                $"{item.Family}/{item.GraphId}");
            // PostgreSQL keeps microseconds; Graph sends 100-ns ticks.
            // Entra's Conditional Access objects say modifiedDateTime, null until a first change (then the creation counts).
            // Scope tags and role definitions carry no timestamps at all.
            var modified = source["lastModifiedDateTime"] ?? source["modifiedDateTime"] ?? source["createdDateTime"];
            if (modified is null)
            {
                item.LastModifiedAt.Should().BeNull();
            }
            else
            {
                item.LastModifiedAt.Should().BeCloseTo(DateTimeOffset.Parse(modified.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
            }
            item.ContentHash.Should().MatchRegex("^[0-9a-f]{64}$");
            if (source["version"] is JsonValue version)
            {
                item.Version.Should().Be(version.TryGetValue<string>(out var s) ? s : version.ToJsonString());
            }

            if (item.Family is not (GraphResourceKeys.ConditionalAccessPolicies or GraphResourceKeys.NamedLocations or GraphResourceKeys.RoleScopeTags
                or GraphResourceKeys.RoleDefinitions or GraphResourceKeys.AssignmentFilters or GraphResourceKeys.Intents))
            {
                // Entra's Conditional Access objects and Intune's tenant-wide objects are not device policies: no platform of their own;
                // an intent's listing names only its template, not the template's platform.
                item.Platform.Should().NotBeNull($"{item.Family} {item.ODataType} has a platform");
            }
        }
    }

    [Fact]
    public async Task A_second_start_while_the_sync_is_active_returns_the_same_run()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var slow = fixture.Emulator.AddFault(FaultSpec.Latency("*", 300, emulated.TenantId));
        try
        {
            var first = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Operator), new StartRequest(OperationTypes.InventorySync, tenantId));
            var second = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(OperationTypes.InventorySync, tenantId));

            first.Created.Should().BeTrue();
            second.Created.Should().BeFalse("a sync of this tenant is already queued or running");
            second.Run!.Id.Should().Be(first.Run!.Id);
            (await fixture.RunsOfTenantAsync(tenantId)).Should().Be(1);
            (await fixture.WaitForCompletionAsync(first.Run.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        }
        finally
        {
            fixture.Emulator.State.RemoveFault(slow.Id);
        }

        var third = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Operator), new StartRequest(OperationTypes.InventorySync, tenantId));
        third.Created.Should().BeTrue("the previous sync completed");
        await fixture.WaitForCompletionAsync(third.Run!.Id);
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_and_the_run_reports_throttled_requests_and_seconds_waited()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        // Three 429s in a row with Retry-After: 1 on the tenant's first calls; the SDK's retries absorb them.
        fixture.Emulator.AddFault(FaultSpec.Throttle("/beta/deviceManagement/*", retryAfterSeconds: 1, times: 3, emulated.TenantId));

        var run = await fixture.SyncAsync(tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.Count(OperationSummaryKeys.ThrottledRequests).Should().Be(3);
        run.Count(OperationSummaryKeys.ThrottleWaitSeconds).Should().BeGreaterThanOrEqualTo(3);
        run.Count(OperationSummaryKeys.Created).Should().Be(fixture.PolicyFamilies.Sum(emulated.Count));
    }

    [Fact]
    public async Task A_persistent_503_fails_the_run_with_a_failure_entry_per_family()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        fixture.Emulator.AddFault(FaultSpec.Fail("*", 503, tenantId: emulated.TenantId));

        var run = await fixture.SyncAsync(tenantId);

        run.Outcome.Should().Be(OperationRunOutcome.Failed);
        run.Failures.Should().HaveCount(fixture.PolicyFamilies.Count);
        run.Failures.Select(f => f.Item).Should().BeEquivalentTo(fixture.PolicyFamilies);
        run.Failures.Should().OnlyContain(f => f.Code == "ServiceUnavailable" || f.Message.Contains("503", StringComparison.Ordinal), string.Join("; ", run.Failures.Select(f => $"{f.Code}: {f.Message}")));
        run.Count(OperationSummaryKeys.Failed).Should().Be(fixture.PolicyFamilies.Count);
        (await fixture.ItemsAsync(tenantId)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_family_that_cannot_be_listed_is_a_failure_entry_its_items_are_kept_and_the_run_partially_succeeds()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var fault = fixture.Emulator.AddFault(FaultSpec.Fail("/beta/deviceManagement/deviceCompliancePolicies", 503, tenantId: emulated.TenantId));
        try
        {
            var run = await fixture.SyncAsync(tenantId);

            run.Outcome.Should().Be(OperationRunOutcome.PartiallySucceeded);
            run.Failures.Should().ContainSingle().Which.Item.Should().Be(GraphResourceKeys.DeviceCompliancePolicies);
            run.Count(OperationSummaryKeys.Deleted).Should().Be(0, "a family that was not listed completely never marks its items deleted");
            var compliance = (await fixture.ItemsAsync(tenantId)).Where(i => i.Family == GraphResourceKeys.DeviceCompliancePolicies).ToList();
            compliance.Should().HaveCount(emulated.Count(GraphResourceKeys.DeviceCompliancePolicies)).And.OnlyContain(i => i.DeletedAt == null);
        }
        finally
        {
            fixture.Emulator.State.RemoveFault(fault.Id);
        }
    }

    [Fact]
    public async Task Removed_policies_are_marked_deleted_changed_ones_updated_the_rest_unchanged_and_new_ones_created()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var first = await fixture.SyncAsync(tenantId);
        var total = fixture.PolicyFamilies.Sum(emulated.Count);
        var removed = emulated.Ids(GraphResourceKeys.DeviceConfigurations)[5];
        var renamed = emulated.Ids(GraphResourceKeys.ConfigurationPolicies)[3];
        var changed = emulated.Ids(GraphResourceKeys.DeviceCompliancePolicies)[0];
        emulated.DeletePolicy(GraphResourceKeys.DeviceConfigurations, removed);
        emulated.RenamePolicy(GraphResourceKeys.ConfigurationPolicies, renamed, "Renamed " + Guid.NewGuid().ToString("N")[..6]);
        emulated.Update(GraphResourceKeys.DeviceCompliancePolicies, changed, new JsonObject { ["description"] = "changed " + Guid.NewGuid() });
        var added = emulated.AddPolicy(GraphResourceKeys.DeviceManagementScripts, "New script " + Guid.NewGuid().ToString("N")[..6])["id"]!.GetValue<string>();

        var second = await fixture.SyncAsync(tenantId);

        second.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        second.Count(OperationSummaryKeys.Total).Should().Be(total);
        second.Count(OperationSummaryKeys.Created).Should().Be(1);
        second.Count(OperationSummaryKeys.Updated).Should().Be(2);
        second.Count(OperationSummaryKeys.Deleted).Should().Be(1);
        second.Count(OperationSummaryKeys.Unchanged).Should().Be(total - 3);
        var items = (await fixture.ItemsAsync(tenantId)).ToDictionary(i => i.GraphId);
        items.Should().HaveCount(total + 1, "vanished items are kept, marked deleted, never erased");
        items[removed].DeletedAt.Should().NotBeNull();
        items[removed].LastSeenRunId.Should().Be(first.Id);
        items[renamed].DisplayName.Should().StartWith("Renamed ");
        items[added].FirstSeenAt.Should().BeAfter(items[renamed].FirstSeenAt);
        items.Values.Where(i => i.GraphId != removed).Should().OnlyContain(i => i.DeletedAt == null && i.LastSeenRunId == second.Id);

        var third = await fixture.SyncAsync(tenantId);

        third.Count(OperationSummaryKeys.Unchanged).Should().Be(total);
        third.Count(OperationSummaryKeys.Created).Should().Be(0);
        third.Count(OperationSummaryKeys.Updated).Should().Be(0);
        third.Count(OperationSummaryKeys.Deleted).Should().Be(0, "the removed item was already marked deleted");
        (await fixture.ItemsAsync(tenantId)).Single(i => i.GraphId == removed).DeletedAt.Should().Be(items[removed].DeletedAt);
    }

    [Fact]
    public async Task An_item_marked_deleted_that_reappears_is_revived_and_counted_as_updated()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 16);
        await fixture.SyncAsync(tenantId);
        var back = emulated.Ids(GraphResourceKeys.DeviceConfigurations)[0];
        // As if an earlier sync had not seen it (e.g. Graph briefly left it out of a listing).
        await fixture.Database.ExecuteAsync(
            "UPDATE inventory.inventory_items SET deleted_at = now() - interval '1 day' WHERE tenant_id = $1 AND graph_id = $2", tenantId, back);

        var run = await fixture.SyncAsync(tenantId);

        run.Count(OperationSummaryKeys.Updated).Should().Be(1);
        run.Count(OperationSummaryKeys.Created).Should().Be(0);
        run.Count(OperationSummaryKeys.Unchanged).Should().Be(fixture.PolicyFamilies.Sum(emulated.Count) - 1);
        (await fixture.ItemsAsync(tenantId)).Single(i => i.GraphId == back).DeletedAt.Should().BeNull();
    }

    [Fact]
    public async Task The_run_viewer_links_to_the_tenant_inventory()
    {
        var (_, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 8);
        var run = await fixture.SyncAsync(tenantId);
        await using var scope = fixture.App.Services.CreateAsyncScope();

        var links = await scope.ServiceProvider.GetRequiredKeyedService<IOperationLinkProvider>(OperationTypes.InventorySync).GetLinksAsync(run);

        links.Should().ContainSingle().Which.Href.Should().Be($"/admin/tenants/{tenantId}/inventory");
    }
}
