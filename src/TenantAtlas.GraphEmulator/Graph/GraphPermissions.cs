namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>Application permissions (app roles of Microsoft Graph) the emulator understands.</summary>
public static class GraphPermissions
{
    public const string DeviceManagementConfigurationRead = "DeviceManagementConfiguration.Read.All";
    public const string DeviceManagementConfigurationReadWrite = "DeviceManagementConfiguration.ReadWrite.All";
    public const string DeviceManagementAppsRead = "DeviceManagementApps.Read.All";
    public const string DeviceManagementAppsReadWrite = "DeviceManagementApps.ReadWrite.All";
    public const string DeviceManagementServiceConfigRead = "DeviceManagementServiceConfig.Read.All";
    public const string DeviceManagementServiceConfigReadWrite = "DeviceManagementServiceConfig.ReadWrite.All";
    public const string DeviceManagementRbacRead = "DeviceManagementRBAC.Read.All";
    public const string DeviceManagementRbacReadWrite = "DeviceManagementRBAC.ReadWrite.All";
    public const string DeviceManagementScriptsRead = "DeviceManagementScripts.Read.All";
    public const string DeviceManagementScriptsReadWrite = "DeviceManagementScripts.ReadWrite.All";
    public const string DeviceManagementManagedDevicesRead = "DeviceManagementManagedDevices.Read.All";
    public const string DeviceManagementManagedDevicesReadWrite = "DeviceManagementManagedDevices.ReadWrite.All";
    public const string GroupRead = "Group.Read.All";
    public const string GroupReadWrite = "Group.ReadWrite.All";
    public const string GroupMemberRead = "GroupMember.Read.All";
    public const string GroupMemberReadWrite = "GroupMember.ReadWrite.All";
    public const string DirectoryRead = "Directory.Read.All";
    public const string DirectoryReadWrite = "Directory.ReadWrite.All";
    public const string OrganizationRead = "Organization.Read.All";
    public const string PolicyRead = "Policy.Read.All";
    public const string PolicyReadWriteConditionalAccess = "Policy.ReadWrite.ConditionalAccess";

    /// <summary>What a demo tenant grants when its spec names no permissions: everything a backup-and-restore app asks for.</summary>
    public static IReadOnlyList<string> Default { get; } =
    [
        DeviceManagementConfigurationReadWrite,
        DeviceManagementAppsReadWrite,
        DeviceManagementServiceConfigReadWrite,
        DeviceManagementRbacReadWrite,
        DeviceManagementScriptsReadWrite,
        DeviceManagementManagedDevicesReadWrite,
        GroupReadWrite,
        OrganizationRead,
        PolicyRead,
        PolicyReadWriteConditionalAccess,
    ];
}
