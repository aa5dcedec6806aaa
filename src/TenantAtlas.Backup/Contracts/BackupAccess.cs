using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Backup.Contracts;

/// <summary>
/// Which capability each backup surface needs. Schedules, their runs and backup sets are seen by those who may run
/// backups (<c>tenant.backups.run</c> — the capability of the backup run types, so whoever sees a schedule may also open
/// its runs); creating, editing, disabling and deleting schedules needs <c>tenant.backups.manage</c>.
/// </summary>
public static class BackupAccess
{
    public static Capability View => Capability.TenantBackupsRun;

    public static Capability Run => Capability.TenantBackupsRun;

    public static Capability Manage => Capability.TenantBackupsManage;
}
