namespace TenantAtlas.Graph.Contracts;

/// <summary>What the contract registry supports, read-only, for pickers (inventory types, backup schedule types) and labels.</summary>
public interface IGraphContracts
{
    /// <summary>Every supported resource type, in display order.</summary>
    IReadOnlyList<GraphResourceInfo> All { get; }

    /// <summary>
    /// The Intune policy families (what inventory lists and backups store), with the dependencies and directory objects
    /// that are backed up in their own right (assignment filters, scope tags, Intune role definitions); retired families left out.
    /// </summary>
    IReadOnlyList<GraphResourceInfo> PolicyFamilies { get; }

    /// <summary>
    /// The policy families by group: groups in <see cref="GraphFamilyGroup"/>'s order, families in registry order; a group
    /// without families is left out.
    /// </summary>
    IReadOnlyList<GraphFamilyGroupInfo> PolicyFamilyGroups { get; }

    GraphResourceInfo? Find(string key);
}

public enum GraphResourceKind
{
    /// <summary>An Intune policy type: inventoried, backed up, restored.</summary>
    PolicyFamily,

    /// <summary>A directory object cached for pickers (groups, Intune role definitions).</summary>
    DirectoryObject,

    /// <summary>What policies reference and restore must map (assignment filters, scope tags).</summary>
    Dependency,
}

/// <param name="Key">Stable key, Graph's collection name (<see cref="GraphResourceKeys"/>); stored by other modules.</param>
/// <param name="Label">Plural label for pickers ("Settings catalog").</param>
/// <param name="Group">The group pickers and filters show the type under (<see cref="GraphFamilyGroup"/>).</param>
/// <param name="ApiVersion"><c>v1.0</c> or <c>beta</c>.</param>
/// <param name="Path">Collection path below the version, e.g. <c>deviceManagement/configurationPolicies</c>.</param>
/// <param name="ReadPermissions">Application permissions that allow reading; the first is the least privileged.</param>
/// <param name="WritePermissions">Application permissions restore needs; empty when the type is read-only for us.</param>
public sealed record GraphResourceInfo(
    string Key,
    string Label,
    GraphResourceKind Kind,
    GraphFamilyGroup Group,
    string ApiVersion,
    string Path,
    bool HasAssignments,
    bool SupportsRestore,
    IReadOnlyList<string> ReadPermissions,
    IReadOnlyList<string> WritePermissions)
{
    /// <summary>Why restore cannot bring the type back (null when <see cref="SupportsRestore"/>).</summary>
    public string? NotRestorableReason { get; init; }

    /// <summary>
    /// Why restore brings the type back only into the tenant it was backed up from (null: any tenant). Conditional Access
    /// policies name users, groups, roles and named locations by id inside their conditions, which another tenant lacks.
    /// </summary>
    public string? CrossTenantRestoreBlockedReason { get; init; }

    /// <summary>
    /// What the id of a tenant's built-in default contains (one per <c>@odata.type</c>, e.g. "_Default" of enrollment
    /// configurations, whose ids start with the tenant's id), or null. Such a default can only be updated: restore matches
    /// it to the target's default of the same type and never creates, deletes or assigns one.
    /// </summary>
    public string? DefaultObjectIdMarker { get; init; }

    /// <summary>
    /// The boolean property that marks a tenant's built-in default (<c>isDefaultProfile</c> of branding profiles), for
    /// defaults whose id names nothing: like <see cref="DefaultObjectIdMarker"/>, restore only updates the target's default.
    /// </summary>
    public string? DefaultObjectProperty { get; init; }

    /// <summary>
    /// A property an object keeps for life (an endpoint security intent's <c>templateId</c>), or null. Like its
    /// <c>@odata.type</c>: restore never writes a backed-up object onto a target object whose value differs.
    /// </summary>
    public string? FixedProperty { get; init; }

    /// <summary>
    /// A family replaced by others: only <see cref="IGraphContracts.Find"/> and <see cref="IGraphContracts.All"/> name it
    /// (so old backup items keep their label); pickers, inventory and schedules use <see cref="IGraphContracts.PolicyFamilies"/>,
    /// which leaves it out.
    /// </summary>
    public bool Retired { get; init; }

    /// <summary>The boolean property marking Intune's built-in objects of the type (<c>isBuiltIn</c>), which restore leaves alone; null when none.</summary>
    public string? BuiltInProperty { get; init; }

    /// <summary>
    /// Top-level properties that are the admin's but that no write of the family sets (enrollment configurations'
    /// <c>priority</c>, changed only through <c>setPriority</c>): a restore leaves them as the target has them, so a plan
    /// never counts a difference in them as something to write.
    /// </summary>
    public IReadOnlyList<string> NotWritableProperties { get; init; } = [];
}

/// <summary>Keys of the registry's resource types (Graph's collection names).</summary>
public static class GraphResourceKeys
{
    public const string DeviceConfigurations = "deviceConfigurations";
    public const string DeviceCompliancePolicies = "deviceCompliancePolicies";
    public const string ConfigurationPolicies = "configurationPolicies";
    public const string GroupPolicyConfigurations = "groupPolicyConfigurations";
    public const string DeviceManagementScripts = "deviceManagementScripts";
    public const string MobileAppConfigurations = "mobileAppConfigurations";
    /// <summary>Retired: the abstract collection; its objects are read through the platform families below.</summary>
    public const string ManagedAppPolicies = "managedAppPolicies";
    public const string IosManagedAppProtections = "iosManagedAppProtections";
    public const string AndroidManagedAppProtections = "androidManagedAppProtections";
    public const string WindowsManagedAppProtections = "windowsManagedAppProtections";
    /// <summary>Windows Information Protection without enrollment (MAM); Microsoft retired WIP.</summary>
    public const string WindowsInformationProtectionPolicies = "windowsInformationProtectionPolicies";
    /// <summary>Windows Information Protection with enrollment (MDM); Microsoft retired WIP.</summary>
    public const string MdmWindowsInformationProtectionPolicies = "mdmWindowsInformationProtectionPolicies";
    public const string PolicySets = "policySets";
    public const string TargetedManagedAppConfigurations = "targetedManagedAppConfigurations";
    public const string MobileApps = "mobileApps";
    public const string WindowsAutopilotDeploymentProfiles = "windowsAutopilotDeploymentProfiles";
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
    public const string DeviceEnrollmentConfigurations = "deviceEnrollmentConfigurations";
    public const string TermsAndConditions = "termsAndConditions";
    public const string NotificationMessageTemplates = "notificationMessageTemplates";
    public const string IntuneBrandingProfiles = "intuneBrandingProfiles";
    public const string ConditionalAccessPolicies = "conditionalAccessPolicies";
    public const string NamedLocations = "namedLocations";
    public const string AssignmentFilters = "assignmentFilters";
    public const string RoleScopeTags = "roleScopeTags";
    public const string RoleDefinitions = "roleDefinitions";
    public const string Groups = "groups";
}
