using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.ScheduleAdmin;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.Jobs;

/// <summary>Links on the run viewer: the schedule, and the backup set the run produced.</summary>
internal sealed class BackupRunLinks(IDbContextFactory<BackupDbContext> dbFactory) : IOperationLinkProvider
{
    public async Task<IReadOnlyList<OperationLink>> GetLinksAsync(OperationRunView run, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = await db.Sets.AsNoTracking().Where(s => s.OperationRunId == run.Id)
            .Select(s => new { s.Id, s.ItemCount }).FirstOrDefaultAsync(cancellationToken);
        // Inputs of any shape (runs stored before inputs were validated) read as "no schedule", never as an error.
        var scheduleId = run.ScheduleId ?? run.Inputs.GetGuid(BackupInputs.ScheduleIdKey);
        var links = new List<OperationLink>();
        if (scheduleId is { } schedule && await db.Schedules.AnyAsync(s => s.Id == schedule, cancellationToken))
        {
            links.Add(new OperationLink("Backup schedule", $"/admin/backup-schedules/{schedule}"));
        }

        if (set is not null)
        {
            links.Add(new OperationLink($"Backup set ({set.ItemCount} items)", $"/admin/backup-sets/{set.Id}"));
        }

        return links;
    }
}
