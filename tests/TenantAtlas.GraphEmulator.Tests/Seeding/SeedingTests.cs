using System.Diagnostics;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Seeding;

public sealed class SeedingTests
{
    private static TenantSpec Spec(int seed, int groups = 60, int policies = 120) => new()
    {
        TenantId = Guid.NewGuid().ToString(),
        AppId = Guid.NewGuid().ToString(),
        AppSecret = "x",
        Domain = "contoso.onmicrosoft.com",
        Seed = seed,
        Groups = groups,
        Policies = policies,
    };

    /// <summary>
    /// The tenant's data with its own id written as a placeholder: Intune's default enrollment configurations carry it in
    /// their ids, which also decides where they sort in a listing — so each family's objects are compared in text order.
    /// </summary>
    private static string Snapshot(TenantState tenant) =>
        string.Join("\n", FamilyRegistry.Families.Select(f => f.Name + ":" + string.Join(",", tenant.List(f.Name)
            .Select(o => o.ToJsonString().Replace(tenant.TenantId, "{tenant}", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))));

    [Fact]
    public void The_same_seed_gives_identical_data_and_another_seed_does_not()
    {
        var state = new EmulatorState(new GraphEmulatorOptions());

        var first = Snapshot(state.CreateTenant(Spec(seed: 11)));
        var second = Snapshot(state.CreateTenant(Spec(seed: 11)));
        var other = Snapshot(state.CreateTenant(Spec(seed: 12)));

        second.Should().Be(first);
        other.Should().NotBe(first);
    }

    [Fact]
    public void A_large_tenant_is_seeded_quickly_with_consistent_references()
    {
        var state = new EmulatorState(new GraphEmulatorOptions());
        var spec = Spec(seed: 5, groups: 5_000, policies: 2_000);
        spec.AssignmentFilters = 6;
        spec.ScopeTags = 4;
        spec.DuplicateGroupNames = 10;
        // Intune's built-in apps come on top of the policies' share (none here, so the policies add up to the spec's).
        spec.BuiltInApps = 0;
        var watch = Stopwatch.StartNew();

        var tenant = state.CreateTenant(spec);

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        tenant.Count(GraphFamilies.Groups).Should().Be(5_000);
        GraphFamilies.Policies.Sum(tenant.Count).Should().Be(2_000);
        GraphFamilies.Policies.Should().OnlyContain(f => tenant.Count(f) > 0);

        var groups = tenant.List(GraphFamilies.Groups);
        var groupIds = groups.Select(g => g["id"]!.GetValue<string>()).ToHashSet();
        var filterIds = tenant.Ids(GraphFamilies.AssignmentFilters).ToHashSet();
        var tagIds = tenant.Ids(GraphFamilies.RoleScopeTags).ToHashSet();
        tagIds.Should().BeEquivalentTo(["0", "1", "2", "3", "4"]);
        groups.GroupBy(g => g["displayName"]!.GetValue<string>()).Count(g => g.Count() > 1).Should().Be(10);
        groups.Should().Contain(g => g["groupTypes"]!.AsArray().Count == 0 && g["securityEnabled"]!.GetValue<bool>() && !g["mailEnabled"]!.GetValue<bool>())
            .And.Contain(g => g["groupTypes"]!.AsArray().Any(t => t!.GetValue<string>() == "Unified") && g["mailEnabled"]!.GetValue<bool>())
            .And.Contain(g => g["groupTypes"]!.AsArray().Any(t => t!.GetValue<string>() == "DynamicMembership") && g["membershipRule"] != null);

        var policies = GraphFamilies.Policies.SelectMany(tenant.List).ToList();
        var targets = policies.SelectMany(p => p["assignments"]?.AsArray() ?? []).Select(a => a!["target"]!).ToList();
        targets.Should().NotBeEmpty();
        targets.Where(t => t["groupId"] != null).Should().OnlyContain(t => groupIds.Contains(t["groupId"]!.GetValue<string>()));
        targets.Where(t => t["deviceAndAppManagementAssignmentFilterId"] != null)
            .Should().NotBeEmpty().And.OnlyContain(t => filterIds.Contains(t["deviceAndAppManagementAssignmentFilterId"]!.GetValue<string>()));
        targets.Select(t => t["@odata.type"]!.GetValue<string>()).Distinct().Should().BeEquivalentTo(
            "#microsoft.graph.groupAssignmentTarget", "#microsoft.graph.exclusionGroupAssignmentTarget",
            "#microsoft.graph.allDevicesAssignmentTarget", "#microsoft.graph.allLicensedUsersAssignmentTarget");
        policies.Where(p => p["roleScopeTagIds"] != null).SelectMany(p => p["roleScopeTagIds"]!.AsArray()).Select(t => t!.GetValue<string>())
            .Should().OnlyContain(t => tagIds.Contains(t));

        var configurationTypes = tenant.List(GraphFamilies.DeviceConfigurations).Select(p => p["@odata.type"]!.GetValue<string>()).Distinct();
        configurationTypes.Should().Contain(["#microsoft.graph.windows10GeneralConfiguration", "#microsoft.graph.windows10CustomConfiguration", "#microsoft.graph.iosGeneralDeviceConfiguration"]);
        var roles = tenant.List(GraphFamilies.RoleDefinitions);
        roles.Should().Contain(r => r["isBuiltIn"]!.GetValue<bool>()).And.Contain(r => !r["isBuiltIn"]!.GetValue<bool>());
        roles.Should().OnlyContain(r => r["rolePermissions"]!.AsArray().Count > 0);
    }

    [Fact]
    public void Built_in_role_ids_are_the_same_in_every_tenant()
    {
        var state = new EmulatorState(new GraphEmulatorOptions());

        var a = state.CreateTenant(Spec(seed: 1));
        var b = state.CreateTenant(Spec(seed: 2));

        a.List(GraphFamilies.RoleDefinitions).Where(r => r["isBuiltIn"]!.GetValue<bool>()).Select(r => r["id"]!.GetValue<string>())
            .Should().Equal(b.List(GraphFamilies.RoleDefinitions).Where(r => r["isBuiltIn"]!.GetValue<bool>()).Select(r => r["id"]!.GetValue<string>()));
    }
}
