using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

/// <summary>
/// A policy is read whole (nextLinks inside expanded collections followed, encrypted OMA values read and protected), and a
/// write Intune holds for Multi Admin Approval fails once, clearly, without retries.
/// </summary>
public sealed class CompleteContentTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task A_policy_larger_than_an_expanded_page_comes_with_every_setting_and_assignment()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 3 };
            s.ExpandedPageSize = 10;
            s.OversizedPolicies = 1;
        });
        var id = App.AddTenant(tenant);
        var seeded = tenant.List(GraphFamilies.ConfigurationPolicies).Single(p => p["settings"]!.AsArray().Count > 10);
        var policyId = seeded["id"]!.GetValue<string>();

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.ConfigurationPolicies, policyId);

        var settings = seeded["settings"]!.AsArray();
        var assignments = seeded["assignments"]!.AsArray();
        settings.Count.Should().BeGreaterThan(20);
        assignments.Count.Should().BeGreaterThan(20);
        detail.Content["settings"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Should().Equal(settings.Select(s => s!["id"]!.GetValue<string>()));
        detail.Assignments.Select(a => a["id"]!.GetValue<string>()).Should().Equal(assignments.Select(a => a!["id"]!.GetValue<string>()));
        detail.Content.ToJsonString().Should().NotContain("@odata.nextLink");
        var log = fixture.GraphLog(tenant).Select(e => e.PathAndQuery).ToList();
        log.Should().HaveCount(5, "one read of the policy, then two more pages of settings and two of assignments");
        log.Skip(1).Should().OnlyContain(p => p.Contains("$skiptoken=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_listing_follows_nextLinks_of_expanded_assignments_so_inventory_counts_them_all()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.ConfigurationPolicies] = 4 };
            s.ExpandedPageSize = 10;
            s.OversizedPolicies = 1;
        });
        var id = App.AddTenant(tenant);

        var listed = (await App.ListAllAsync(id, GraphResourceKeys.ConfigurationPolicies)).SelectMany(p => p.Items).ToList();

        listed.Should().HaveCount(4);
        foreach (var item in listed)
        {
            var seeded = tenant.Get(GraphFamilies.ConfigurationPolicies, item.Id)!;
            (item.Raw["assignments"] as JsonArray ?? []).Count.Should().Be((seeded["assignments"] as JsonArray ?? []).Count);
            item.Raw.ContainsKey("assignments@odata.nextLink").Should().BeFalse();
        }
    }

    [Fact]
    public async Task An_encrypted_oma_value_is_read_in_clear_and_comes_back_protected_never_in_the_content()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 0 });
        var id = App.AddTenant(tenant);
        var added = tenant.AddPolicy(GraphFamilies.DeviceConfigurations, "WIN - Custom Wi-Fi", "#microsoft.graph.windows10CustomConfiguration");
        var policyId = added["id"]!.GetValue<string>();
        var (reference, plain) = tenant.PlainTextOmaValues(policyId).Single();

        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceConfigurations, policyId);

        var protectedValue = detail.ProtectedValues.Should().ContainSingle().Subject;
        var index = added["omaSettings"]!.AsArray().Select((s, i) => (s, i)).Single(x => x.s!["isEncrypted"]!.GetValue<bool>()).i;
        protectedValue.Path.Should().Be($"/omaSettings/{index}/value");
        protectedValue.ProtectedValue.Should().NotContain(plain);
        App.Get<IDataProtectionProvider>().CreateProtector(GraphSecretProtection.Purpose).Unprotect(protectedValue.ProtectedValue).Should().Be(plain);
        detail.Content["omaSettings"]![index]!["value"]!.GetValue<string>().Should().Be(added["omaSettings"]![index]!["value"]!.GetValue<string>(), "the content keeps Intune's encrypted blob as served");
        detail.Content.ToJsonString().Should().NotContain(plain);
        detail.ToString().Should().NotContain(protectedValue.ProtectedValue);
        App.Logs.All.Should().NotContain(plain);
        fixture.GraphLog(tenant).Select(e => e.PathAndQuery).Should().Equal(
            $"/beta/deviceManagement/deviceConfigurations/{policyId}?$expand=assignments",
            $"/beta/deviceManagement/deviceConfigurations/{policyId}/getOmaSettingPlainTextValue(secretReferenceValueId='{reference}')");
    }

    [Fact]
    public async Task A_protected_value_is_written_back_in_clear_so_intune_encrypts_it_again()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.DeviceConfigurations] = 0 });
        var id = App.AddTenant(tenant);
        var added = tenant.AddPolicy(GraphFamilies.DeviceConfigurations, "WIN - Custom Wi-Fi", "#microsoft.graph.windows10CustomConfiguration");
        var plain = tenant.PlainTextOmaValues(added["id"]!.GetValue<string>()).Single().Value;
        var detail = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceConfigurations, added["id"]!.GetValue<string>());
        detail.Content["displayName"] = "WIN - Custom Wi-Fi (restored)";

        var created = await App.Gateway.CreateObjectAsync(id, GraphResourceKeys.DeviceConfigurations, detail.Content, detail.ProtectedValues);

        var stored = tenant.Get(GraphFamilies.DeviceConfigurations, created["id"]!.GetValue<string>())!;
        stored["omaSettings"]!.AsArray().Should().Contain(s => s!["value"]!.ToString() == plain && s["isEncrypted"]!.GetValue<bool>() == false);
        stored["omaSettings"]!.AsArray().Should().NotContain(s => s!["secretReferenceValueId"] != null && s["secretReferenceValueId"]!.ToString() != "", "the source tenant's secret reference is not sent");
    }

    [Fact]
    public async Task A_write_waiting_for_multi_admin_approval_fails_once_with_its_own_code_and_is_not_retried()
    {
        var tenant = fixture.NewTenant(s => s.ApprovalProtectedFamilies = [GraphFamilies.DeviceConfigurations]);
        var id = App.AddTenant(tenant);
        var policyId = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];
        var content = new JsonObject { ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration", ["displayName"] = "WIN - Restored" };
        var assignment = new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget" } };

        var writes = new Func<Task>[]
        {
            () => App.Gateway.CreateObjectAsync(id, GraphResourceKeys.DeviceConfigurations, content),
            () => App.Gateway.UpdateObjectAsync(id, GraphResourceKeys.DeviceConfigurations, policyId, content),
            () => App.Gateway.AssignAsync(id, GraphResourceKeys.DeviceConfigurations, policyId, [assignment]),
            () => App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.DeviceConfigurations, policyId),
        };
        foreach (var write in writes)
        {
            var before = fixture.GraphLog(tenant).Count;
            var failure = await Assert.ThrowsAsync<GraphRequestException>(write);

            failure.Kind.Should().Be(GraphFailureKind.ApprovalRequired);
            failure.ErrorCode.Should().Be(GraphErrorCodes.ApprovalRequired);
            failure.IsRetryable.Should().BeFalse();
            failure.HttpStatus.Should().Be(403);
            failure.RequestId.Should().NotBeNullOrEmpty();
            failure.Message.Should().StartWith("Waiting for approval in Intune");
            fixture.GraphLog(tenant).Skip(before).Should().ContainSingle("the refusal is final: sent once, no retry")
                .Which.Status.Should().Be(403);
        }

        var read = await App.Gateway.GetPolicyAsync(id, GraphResourceKeys.DeviceConfigurations, policyId);
        read.Id.Should().Be(policyId, "reads are not held for approval");
    }

    [Fact]
    public async Task A_write_to_an_unprotected_family_goes_through()
    {
        var tenant = fixture.NewTenant(s => s.ApprovalProtectedFamilies = [GraphFamilies.DeviceCompliancePolicies]);
        var id = App.AddTenant(tenant);
        var policyId = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];

        await App.Gateway.UpdateObjectAsync(id, GraphResourceKeys.DeviceConfigurations, policyId, new JsonObject { ["description"] = "Checked" });
        await App.Gateway.AssignAsync(id, GraphResourceKeys.DeviceConfigurations, policyId, []);

        tenant.Get(GraphFamilies.DeviceConfigurations, policyId)!["description"]!.GetValue<string>().Should().Be("Checked");
        tenant.Get(GraphFamilies.DeviceConfigurations, policyId)!.ContainsKey("assignments").Should().BeFalse();
    }

    [Fact]
    public async Task A_delete_removes_the_object_once_and_a_second_delete_says_it_was_already_gone()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        var policyId = tenant.Ids(GraphFamilies.DeviceConfigurations)[0];

        (await App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.DeviceConfigurations, policyId)).Should().BeTrue();
        (await App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.DeviceConfigurations, policyId)).Should().BeFalse("a rollback may meet an object someone already deleted");

        tenant.Get(GraphFamilies.DeviceConfigurations, policyId).Should().BeNull();
        fixture.GraphLog(tenant).Where(e => e.Method == "DELETE").Should().HaveCount(2);
    }

    [Fact]
    public async Task A_delete_of_a_family_restore_cannot_create_is_refused_before_anything_is_sent()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        var before = fixture.GraphLog(tenant).Count;

        var failure = await Assert.ThrowsAsync<GraphRequestException>(() => App.Gateway.DeleteObjectAsync(id, GraphResourceKeys.Groups, "any"));

        failure.ErrorCode.Should().NotBeNullOrEmpty();
        fixture.GraphLog(tenant).Count.Should().Be(before);
    }
}
