using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Inventory.Sync;

namespace TenantAtlas.Inventory.Tests.Sync;

public sealed class PlatformTests
{
    [Theory]
    [InlineData(GraphResourceKeys.DeviceConfigurations, "#microsoft.graph.windows10GeneralConfiguration", null, "Windows")]
    [InlineData(GraphResourceKeys.DeviceConfigurations, "#microsoft.graph.iosGeneralDeviceConfiguration", null, "iOS")]
    [InlineData(GraphResourceKeys.DeviceConfigurations, "#microsoft.graph.macOSCustomConfiguration", null, "macOS")]
    [InlineData(GraphResourceKeys.DeviceCompliancePolicies, "#microsoft.graph.androidWorkProfileCompliancePolicy", null, "Android")]
    [InlineData(GraphResourceKeys.ManagedAppPolicies, "#microsoft.graph.iosManagedAppProtection", null, "iOS")]
    [InlineData(GraphResourceKeys.ManagedAppPolicies, "#microsoft.graph.mdmWindowsInformationProtectionPolicy", null, "Windows")]
    [InlineData(GraphResourceKeys.WindowsAutopilotDeploymentProfiles, "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", null, "Windows")]
    [InlineData(GraphResourceKeys.ConfigurationPolicies, null, "windows10", "Windows")]
    [InlineData(GraphResourceKeys.ConfigurationPolicies, null, "macOS", "macOS")]
    [InlineData(GraphResourceKeys.ConfigurationPolicies, null, "windows10,macOS", "Multiple")]
    [InlineData(GraphResourceKeys.GroupPolicyConfigurations, null, null, "Windows")]
    [InlineData(GraphResourceKeys.DeviceManagementScripts, "#microsoft.graph.deviceManagementScript", null, "Windows")]
    [InlineData(GraphResourceKeys.DeviceHealthScripts, null, null, "Windows")]
    [InlineData(GraphResourceKeys.ConditionalAccessPolicies, null, null, null)]
    [InlineData(GraphResourceKeys.NamedLocations, "#microsoft.graph.ipNamedLocation", null, null)]
    [InlineData(GraphResourceKeys.DeviceShellScripts, null, null, "macOS")]
    [InlineData(GraphResourceKeys.DeviceComplianceScripts, null, null, "Windows")]
    [InlineData(GraphResourceKeys.WindowsFeatureUpdateProfiles, null, null, "Windows")]
    [InlineData(GraphResourceKeys.WindowsQualityUpdateProfiles, null, null, "Windows")]
    [InlineData(GraphResourceKeys.WindowsDriverUpdateProfiles, null, null, "Windows")]
    [InlineData(GraphResourceKeys.CompliancePolicies, null, "linux", "Linux")]
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations, "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", null, "Windows")]
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations, "#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration", null, "Windows")]
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations, "#microsoft.graph.deviceEnrollmentLimitConfiguration", null, "Multiple")]
    [InlineData(GraphResourceKeys.DeviceEnrollmentConfigurations, "#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration", null, "Multiple")]
    [InlineData(GraphResourceKeys.TermsAndConditions, "#microsoft.graph.termsAndConditions", null, "Multiple")]
    [InlineData(GraphResourceKeys.NotificationMessageTemplates, "#microsoft.graph.notificationMessageTemplate", null, "Multiple")]
    [InlineData(GraphResourceKeys.IntuneBrandingProfiles, "#microsoft.graph.intuneBrandingProfile", null, "Multiple")]
    [InlineData(GraphResourceKeys.DeviceCustomAttributeShellScripts, null, null, "macOS")]
    [InlineData(GraphResourceKeys.ManagedAppPolicies, "#microsoft.graph.targetedManagedAppConfiguration", null, "Multiple")]
    [InlineData(GraphResourceKeys.IosManagedAppProtections, null, null, "iOS")]
    [InlineData(GraphResourceKeys.AndroidManagedAppProtections, null, null, "Android")]
    [InlineData(GraphResourceKeys.TargetedManagedAppConfigurations, null, null, "Multiple")]
    [InlineData(GraphResourceKeys.MobileApps, "#microsoft.graph.win32LobApp", null, "Windows")]
    [InlineData(GraphResourceKeys.MobileApps, "#microsoft.graph.iosStoreApp", null, "iOS")]
    [InlineData(GraphResourceKeys.MobileApps, "#microsoft.graph.androidManagedStoreApp", null, "Android")]
    [InlineData(GraphResourceKeys.MobileAppConfigurations, "#microsoft.graph.someFutureConfiguration", null, null)]
    [InlineData(GraphResourceKeys.WindowsManagedAppProtections, null, null, "Windows")]
    [InlineData(GraphResourceKeys.WindowsInformationProtectionPolicies, null, null, "Windows")]
    [InlineData(GraphResourceKeys.MdmWindowsInformationProtectionPolicies, "#microsoft.graph.mdmWindowsInformationProtectionPolicy", null, "Windows")]
    [InlineData(GraphResourceKeys.PolicySets, "#microsoft.graph.policySet", null, "Multiple")]
    public void The_platform_comes_from_platforms_or_the_odata_type(string family, string? odataType, string? platforms, string? expected) =>
        Platforms.Of(family, odataType, platforms is null ? null : JsonValue.Create(platforms)).Should().Be(expected);

    [Theory]
    [InlineData(GraphResourceKeys.ReusablePolicySettings, "linux_customcompliance_discoveryscript_reusablesetting", "Linux")]
    [InlineData(GraphResourceKeys.ReusablePolicySettings, "vendor_msft_firewall_mdmstore_dynamickeywords_addresses_{id}_autoresolve", "Windows")]
    [InlineData(GraphResourceKeys.ReusablePolicySettings, "device_vendor_msft_defender_configuration_devicecontrol_policygroups_{groupid}_groupdata", "Windows")]
    [InlineData(GraphResourceKeys.ReusablePolicySettings, null, null)]
    [InlineData(GraphResourceKeys.Intents, null, null)]
    public void A_reusable_setting_takes_its_settings_platform_and_an_intents_listing_names_none(string family, string? settingDefinitionId, string? expected) =>
        Platforms.Of(family, null, null, settingDefinitionId is null ? null : JsonValue.Create(settingDefinitionId)).Should().Be(expected);

    [Fact]
    public void The_hash_ignores_odata_annotations_but_not_the_type_or_assignments()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var a = JsonNode.Parse("""{"@odata.type":"#microsoft.graph.x","id":"1","assignments@odata.context":"http://a/","assignments":[{"id":"g"}]}""")!.AsObject();
        var b = JsonNode.Parse("""{"@odata.type":"#microsoft.graph.x","id":"1","assignments@odata.context":"http://b/","assignments":[{"id":"g"}]}""")!.AsObject();
        var c = JsonNode.Parse("""{"@odata.type":"#microsoft.graph.x","id":"1","assignments":[]}""")!.AsObject();
        var d = JsonNode.Parse("""{"@odata.type":"#microsoft.graph.y","id":"1","assignments":[{"id":"g"}]}""")!.AsObject();

        ListedPolicy.Hash(a, buffer).Should().Be(ListedPolicy.Hash(b, buffer));
        ListedPolicy.Hash(a, buffer).Should().NotBe(ListedPolicy.Hash(c, buffer));
        ListedPolicy.Hash(a, buffer).Should().NotBe(ListedPolicy.Hash(d, buffer));
    }
}
