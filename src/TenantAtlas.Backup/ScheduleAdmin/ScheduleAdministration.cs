using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;

namespace TenantAtlas.Backup.ScheduleAdmin;

internal sealed class ScheduleAdministration(IDbContextFactory<BackupDbContext> dbFactory, ScheduleService schedules) : IBackupScheduleAdministration
{
    public async Task<Guid> EnsureScheduleAsync(Guid tenantId, BackupScheduleSpec spec, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.Schedules.AsNoTracking().Where(s => s.TenantId == tenantId && s.Name == spec.Name)
                .Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
            if (existing is { } id)
            {
                return id;
            }
        }

        var result = await schedules.CreateAsync(Actor.System("demo seed"), tenantId,
            new ScheduleInput(spec.Name, spec.CronExpression, spec.TimeZoneId, spec.Families, spec.KeepLast, spec.KeepDays), cancellationToken);
        return result.Saved
            ? result.ScheduleId!.Value
            : throw new InvalidOperationException($"Schedule '{spec.Name}' is invalid ({result.Decision}): {string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}"))}");
    }
}
