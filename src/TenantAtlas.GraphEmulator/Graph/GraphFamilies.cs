namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>Names of the resource families the emulator serves (the last path segment of their collection).</summary>
public static class GraphFamilies
{
    public const string Groups = "groups";
    public const string DeviceConfigurations = "deviceConfigurations";
    public const string DeviceCompliancePolicies = "deviceCompliancePolicies";
    public const string ConfigurationPolicies = "configurationPolicies";
    public const string GroupPolicyConfigurations = "groupPolicyConfigurations";
    public const string DeviceManagementScripts = "deviceManagementScripts";
    public const string DeviceHealthScripts = "deviceHealthScripts";
    public const string DeviceShellScripts = "deviceShellScripts";
    public const string DeviceCustomAttributeShellScripts = "deviceCustomAttributeShellScripts";
    public const string DeviceComplianceScripts = "deviceComplianceScripts";
    public const string WindowsFeatureUpdateProfiles = "windowsFeatureUpdateProfiles";
    public const string WindowsQualityUpdateProfiles = "windowsQualityUpdateProfiles";
    public const string WindowsDriverUpdateProfiles = "windowsDriverUpdateProfiles";
    public const string CompliancePolicies = "compliancePolicies";
    public const string Intents = "intents";
    public const string ReusablePolicySettings = "reusablePolicySettings";

    /// <summary>Intune's endpoint security templates (intents are created from them): a catalog, the same in every tenant.</summary>
    public const string Templates = "templates";
    public const string DeviceEnrollmentConfigurations = "deviceEnrollmentConfigurations";
    public const string TermsAndConditions = "termsAndConditions";
    public const string NotificationMessageTemplates = "notificationMessageTemplates";
    public const string IntuneBrandingProfiles = "intuneBrandingProfiles";
    public const string MobileAppConfigurations = "mobileAppConfigurations";
    public const string IosManagedAppProtections = "iosManagedAppProtections";
    public const string AndroidManagedAppProtections = "androidManagedAppProtections";
    public const string WindowsManagedAppProtections = "windowsManagedAppProtections";
    public const string WindowsInformationProtectionPolicies = "windowsInformationProtectionPolicies";
    public const string MdmWindowsInformationProtectionPolicies = "mdmWindowsInformationProtectionPolicies";
    public const string PolicySets = "policySets";
    public const string TargetedManagedAppConfigurations = "targetedManagedAppConfigurations";
    public const string MobileApps = "mobileApps";
    public const string WindowsAutopilotDeploymentProfiles = "windowsAutopilotDeploymentProfiles";
    public const string AssignmentFilters = "assignmentFilters";
    public const string RoleScopeTags = "roleScopeTags";
    public const string RoleDefinitions = "roleDefinitions";
    public const string ConditionalAccessPolicies = "conditionalAccessPolicies";
    public const string NamedLocations = "namedLocations";

    /// <summary>The policy families (what "policies" in a tenant spec are spread over).</summary>
    public static IReadOnlyList<string> Policies { get; } =
    [
        DeviceConfigurations,
        DeviceCompliancePolicies,
        ConfigurationPolicies,
        GroupPolicyConfigurations,
        DeviceManagementScripts,
        MobileAppConfigurations,
        IosManagedAppProtections,
        AndroidManagedAppProtections,
        TargetedManagedAppConfigurations,
        MobileApps,
        WindowsAutopilotDeploymentProfiles,
        DeviceHealthScripts,
        DeviceShellScripts,
        DeviceCustomAttributeShellScripts,
        DeviceComplianceScripts,
        WindowsFeatureUpdateProfiles,
        WindowsQualityUpdateProfiles,
        WindowsDriverUpdateProfiles,
        CompliancePolicies,
    ];

    /// <summary>Every Intune family, policies and their dependencies.</summary>
    public static IReadOnlyList<string> Intune { get; } =
    [
        .. Policies,
        // Seeded with a fixed count (the tenant's defaults and a few of its own), not as a share of the policies.
        DeviceEnrollmentConfigurations,
        // Endpoint security with fixed counts: the template catalog, intents made from it, reusable settings.
        Templates,
        Intents,
        ReusablePolicySettings,
        // Tenant-wide settings with small fixed counts: terms, notification templates, branding (the tenant's default first).
        TermsAndConditions,
        NotificationMessageTemplates,
        IntuneBrandingProfiles,
        // Fixed small counts too (TenantSpec.WindowsAppProtections…): Windows app protection, WIP (retired by Microsoft), policy sets.
        WindowsManagedAppProtections,
        WindowsInformationProtectionPolicies,
        MdmWindowsInformationProtectionPolicies,
        PolicySets,
        AssignmentFilters,
        RoleScopeTags,
        RoleDefinitions,
    ];

    /// <summary>Entra's Conditional Access families (below identity/conditionalAccess), seeded with fixed counts.</summary>
    public static IReadOnlyList<string> ConditionalAccess { get; } =
    [
        ConditionalAccessPolicies,
        NamedLocations,
    ];
}
