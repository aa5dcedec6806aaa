namespace TenantAtlas.Backup.Contracts;

/// <summary>Idempotent schedule set-up by the system (the demo seed), validated like a user's, audited as the system.</summary>
public interface IBackupScheduleAdministration
{
    /// <summary>Creates the schedule unless the tenant already has one with this name; returns its id.</summary>
    Task<Guid> EnsureScheduleAsync(Guid tenantId, BackupScheduleSpec spec, CancellationToken cancellationToken = default);
}

public sealed record BackupScheduleSpec(string Name, string CronExpression, string TimeZoneId, IReadOnlyList<string> Families, int? KeepLast, int? KeepDays);
