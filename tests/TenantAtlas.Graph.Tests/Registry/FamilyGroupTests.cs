using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Tests.Registry;

/// <summary>Issue 16, item 4: every policy family declares its group in its contract; pickers and filters read groups from there.</summary>
public sealed class FamilyGroupTests
{
    private readonly IGraphContracts contracts = new GraphContractRegistry();

    [Fact]
    public void The_groups_come_in_the_agreed_order_with_their_labels_and_url_keys()
    {
        GraphFamilyGroups.InOrder.Select(g => g.Label()).Should().Equal(
            ["Configuration", "Compliance", "Endpoint security", "Apps", "Enrollment", "Updates", "Scripts", "Tenant-wide", "Entra"],
            "pickers and the inventory filter show the groups in this order");
        GraphFamilyGroups.InOrder.Select(g => g.Key()).Should().Equal(
            "configuration", "compliance", "endpoint-security", "apps", "enrollment", "updates", "scripts", "tenant-wide", "entra");
    }

    [Fact]
    public void Every_policy_family_has_a_group_and_is_listed_under_it_exactly_once()
    {
        var families = contracts.PolicyFamilies;
        var grouped = contracts.PolicyFamilyGroups;

        families.Should().NotBeEmpty();
        families.Should().OnlyContain(
            f => Enum.IsDefined(f.Group), "every policy family's contract declares one of the groups (GraphFamilyGroup)");
        contracts.All.Should().OnlyContain(c => Enum.IsDefined(c.Group), "every registry entry declares its group, not only the policy families");
        grouped.SelectMany(g => g.Families).Select(f => f.Key).Should().BeEquivalentTo(
            families.Select(f => f.Key), "the grouped view lists every policy family, once, and nothing else");
        grouped.Should().OnlyContain(g => g.Families.All(f => f.Group == g.Group), "a family is shown under its own group");
        grouped.Should().OnlyContain(g => g.Families.Count > 0, "a group without families is left out of pickers");
        grouped.Select(g => g.Group).Should().Equal(
            GraphFamilyGroups.InOrder.Where(g => families.Any(f => f.Group == g)), "groups keep the display order");
        foreach (var group in grouped)
        {
            group.Families.Select(f => f.Key).Should().Equal(
                families.Where(f => f.Group == group.Group).Select(f => f.Key), "within a group the families keep the registry's order");
        }
    }

    [Theory]
    [InlineData(GraphResourceKeys.DeviceConfigurations, GraphFamilyGroup.Configuration)]
    [InlineData(GraphResourceKeys.ConfigurationPolicies, GraphFamilyGroup.Configuration)]
    [InlineData(GraphResourceKeys.GroupPolicyConfigurations, GraphFamilyGroup.Configuration)]
    [InlineData(GraphResourceKeys.DeviceCompliancePolicies, GraphFamilyGroup.Compliance)]
    [InlineData(GraphResourceKeys.DeviceComplianceScripts, GraphFamilyGroup.Compliance)]
    [InlineData(GraphResourceKeys.WindowsFeatureUpdateProfiles, GraphFamilyGroup.Updates)]
    [InlineData(GraphResourceKeys.WindowsQualityUpdateProfiles, GraphFamilyGroup.Updates)]
    [InlineData(GraphResourceKeys.WindowsDriverUpdateProfiles, GraphFamilyGroup.Updates)]
    [InlineData(GraphResourceKeys.CompliancePolicies, GraphFamilyGroup.Compliance)]
    [InlineData(GraphResourceKeys.Intents, GraphFamilyGroup.EndpointSecurity)]
    [InlineData(GraphResourceKeys.ReusablePolicySettings, GraphFamilyGroup.EndpointSecurity)]
    [InlineData(GraphResourceKeys.MobileAppConfigurations, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.IosManagedAppProtections, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.AndroidManagedAppProtections, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.WindowsManagedAppProtections, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.WindowsInformationProtectionPolicies, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.MdmWindowsInformationProtectionPolicies, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.PolicySets, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.TargetedManagedAppConfigurations, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.MobileApps, GraphFamilyGroup.Apps)]
    [InlineData(GraphResourceKeys.WindowsAutopilotDeploymentProfiles, GraphFamilyGroup.Enrollment)]
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations, GraphFamilyGroup.Enrollment)]
    [InlineData(GraphResourceKeys.TermsAndConditions, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.NotificationMessageTemplates, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.IntuneBrandingProfiles, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.DeviceManagementScripts, GraphFamilyGroup.Scripts)]
    [InlineData(GraphResourceKeys.DeviceHealthScripts, GraphFamilyGroup.Scripts)]
    [InlineData(GraphResourceKeys.DeviceShellScripts, GraphFamilyGroup.Scripts)]
    [InlineData(GraphResourceKeys.DeviceCustomAttributeShellScripts, GraphFamilyGroup.Scripts)]
    [InlineData(GraphResourceKeys.ConditionalAccessPolicies, GraphFamilyGroup.Entra)]
    [InlineData(GraphResourceKeys.NamedLocations, GraphFamilyGroup.Entra)]
    [InlineData(GraphResourceKeys.AssignmentFilters, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.RoleScopeTags, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.RoleDefinitions, GraphFamilyGroup.TenantWide)]
    [InlineData(GraphResourceKeys.Groups, GraphFamilyGroup.Entra)]
    public void A_family_sits_in_its_group(string key, GraphFamilyGroup group)
    {
        contracts.Find(key)!.Group.Should().Be(group);
    }

    [Theory]
    [InlineData("compliance", GraphFamilyGroup.Compliance)]
    [InlineData("Endpoint-Security", GraphFamilyGroup.EndpointSecurity)]
    [InlineData(" tenant-wide ", GraphFamilyGroup.TenantWide)]
    [InlineData("ENTRA", GraphFamilyGroup.Entra)]
    public void A_url_key_names_its_group(string key, GraphFamilyGroup group)
    {
        GraphFamilyGroups.TryParse(key, out var parsed).Should().BeTrue();
        parsed.Should().Be(group);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bogus")]
    [InlineData("EndpointSecurity")]
    [InlineData("endpoint security")]
    [InlineData("1")]
    [InlineData("deviceCompliancePolicies")]
    public void Anything_else_is_not_a_group(string? key)
    {
        GraphFamilyGroups.TryParse(key, out _).Should().BeFalse();
    }
}
