namespace TenantAtlas.Backup.Contracts;

/// <summary>Audit actions written by the Backup module.</summary>
public static class BackupAuditActions
{
    public const string ScheduleCreated = "backup_schedule.created";
    public const string ScheduleUpdated = "backup_schedule.updated";
    public const string ScheduleDeleted = "backup_schedule.deleted";
    public const string SetsPruned = "backup_set.pruned";
}
