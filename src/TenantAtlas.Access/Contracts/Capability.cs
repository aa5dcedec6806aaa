namespace TenantAtlas.Access.Contracts;

/// <summary>
/// The capability registry (ARCHITECTURE.md, "Roles"). Capabilities are values of this type, never loose strings:
/// pages, services and the operation type registry all name one of these instances.
/// </summary>
public sealed class Capability : IEquatable<Capability>
{
    private Capability(string key, string description)
    {
        Key = key;
        Description = description;
    }

    public string Key { get; }

    public string Description { get; }

    public static readonly Capability TenantView = new("tenant.view", "See the workspace's tenants");
    public static readonly Capability TenantManage = new("tenant.manage", "Add and edit tenants and their credentials");
    public static readonly Capability TenantInventorySync = new("tenant.inventory.sync", "Start and view inventory syncs");
    public static readonly Capability TenantDirectorySync = new("tenant.directory.sync", "Start and view directory syncs");
    public static readonly Capability TenantBackupsManage = new("tenant.backups.manage", "Create and edit backup schedules");
    public static readonly Capability TenantBackupsRun = new("tenant.backups.run", "Start and view backup runs");
    public static readonly Capability TenantRestoreExecute = new("tenant.restore.execute", "Execute and view restores");
    public static readonly Capability WorkspaceMembersManage = new("workspace.members.manage", "Manage members and read the audit trail");

    public static IReadOnlyList<Capability> All { get; } =
    [
        TenantView, TenantManage, TenantInventorySync, TenantDirectorySync,
        TenantBackupsManage, TenantBackupsRun, TenantRestoreExecute, WorkspaceMembersManage,
    ];

    public static Capability Parse(string key) =>
        All.FirstOrDefault(c => c.Key == key) ?? throw new ArgumentException($"Unknown capability '{key}'.", nameof(key));

    public bool Equals(Capability? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as Capability);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Key;
}
