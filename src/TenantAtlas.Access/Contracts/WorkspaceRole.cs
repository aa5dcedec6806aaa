namespace TenantAtlas.Access.Contracts;

/// <summary>A member's role in one workspace. Stored by name.</summary>
public enum WorkspaceRole
{
    Owner,
    Manager,
    Operator,
    Readonly,
}

/// <summary>The role → capability map, exactly the table in ARCHITECTURE.md.</summary>
public static class RoleCapabilities
{
    private static readonly Dictionary<WorkspaceRole, HashSet<Capability>> Map = new()
    {
        [WorkspaceRole.Owner] = [.. Capability.All],
        [WorkspaceRole.Manager] =
        [
            Capability.TenantView, Capability.TenantManage, Capability.TenantInventorySync, Capability.TenantDirectorySync,
            Capability.TenantBackupsManage, Capability.TenantBackupsRun, Capability.TenantRestoreExecute,
        ],
        [WorkspaceRole.Operator] =
        [
            Capability.TenantView, Capability.TenantInventorySync, Capability.TenantDirectorySync, Capability.TenantBackupsRun,
        ],
        [WorkspaceRole.Readonly] = [Capability.TenantView],
    };

    public static IReadOnlySet<Capability> For(WorkspaceRole role) => Map[role];

    public static bool Grants(this WorkspaceRole role, Capability capability) => Map[role].Contains(capability);
}
