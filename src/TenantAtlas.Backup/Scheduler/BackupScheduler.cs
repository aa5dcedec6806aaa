using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.ScheduleAdmin;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.Scheduler;

/// <summary>What one tick did.</summary>
internal sealed record SchedulerTick(DateTimeOffset Now, int Schedules, int DueSlots, IReadOnlyList<long> Created, IReadOnlyList<long> Missed)
{
    /// <summary>The one statement that created the runs (and their audit entries), as Operations measured it.</summary>
    public TimeSpan CreateDuration { get; init; }

    /// <summary>Enqueueing the created runs' jobs, measured separately.</summary>
    public TimeSpan EnqueueDuration { get; init; }
}

/// <summary>
/// The recurring scheduler tick. For every enabled schedule it computes the slots since its watermark (Cronos in the
/// schedule's zone, stored in UTC), marks slots first seen after the grace window as missed, and hands ALL of them to
/// Operations in one call — one statement whose unique slot index makes racing schedulers and repeated ticks harmless.
/// Watermarks advance afterwards (only forwards), so a crash between the two steps just recomputes the same slots.
/// </summary>
internal sealed class BackupScheduler(
    IDbContextFactory<BackupDbContext> dbFactory,
    IOperationRuns runs,
    TimeProvider clock,
    IOptions<BackupOptions> options,
    ILogger<BackupScheduler> logger)
{
    public const string RecurringJobId = "backup-scheduler";

    /// <summary>The Hangfire entry point.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => TickAsync(null, cancellationToken);

    /// <param name="onlySchedules">Limits the tick to these schedules (tests, manual ticks); null = every enabled schedule.</param>
    public async Task<SchedulerTick> TickAsync(IReadOnlyCollection<Guid>? onlySchedules, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Schedules.AsNoTracking().Where(s => s.Enabled);
        if (onlySchedules is not null)
        {
            var ids = onlySchedules.ToArray();
            query = query.Where(s => ids.Contains(s.Id));
        }

        var schedules = await query
            .Select(s => new { s.Id, s.WorkspaceId, s.TenantId, s.CronExpression, s.TimeZoneId, s.Watermark })
            .ToListAsync(cancellationToken);

        var slots = new List<ScheduledSlot>();
        var watermarkIds = new List<Guid>(schedules.Count);
        var watermarks = new List<DateTimeOffset>(schedules.Count);
        foreach (var s in schedules)
        {
            if (!ScheduleFireTimes.TryParseCron(s.CronExpression, out var cron, out _) || !ScheduleFireTimes.TryFindZone(s.TimeZoneId, out var zone, out _))
            {
                logger.LogWarning("Backup schedule {ScheduleId} has an unusable cron '{Cron}' or zone '{Zone}'; skipped.", s.Id, s.CronExpression, s.TimeZoneId);
                continue;
            }

            var (due, watermark) = ScheduleFireTimes.Due(cron, zone, s.Watermark, now, settings.MaxSlotsPerScheduleTick);
            foreach (var slot in due)
            {
                slots.Add(new ScheduledSlot(s.WorkspaceId, s.TenantId, s.Id, slot, Missed: now - slot > settings.GraceWindow,
                    new JsonObject { ["scheduleId"] = s.Id.ToString() }));
            }

            if (watermark > s.Watermark)
            {
                watermarkIds.Add(s.Id);
                watermarks.Add(watermark.ToUniversalTime());
            }
        }

        var result = slots.Count == 0
            ? new ScheduledRunsResult([], [], TimeSpan.Zero, TimeSpan.Zero)
            : await runs.StartScheduledAsync(slots, cancellationToken);

        if (watermarkIds.Count > 0)
        {
            // Forward only: a slower, racing scheduler never moves a watermark back.
            await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE backup.backup_schedules AS s SET watermark = GREATEST(s.watermark, v.watermark)
                  FROM unnest(@ids, @watermarks) AS v(id, watermark)
                 WHERE s.id = v.id
                """,
                [new NpgsqlParameter("ids", watermarkIds.ToArray()), new NpgsqlParameter("watermarks", watermarks.ToArray())],
                cancellationToken);
        }

        if (slots.Count > 0)
        {
            logger.LogInformation(
                "Backup scheduler: {Schedules} schedules, {Due} due slots, {Created} runs created, {Missed} missed (create {CreateMs} ms, enqueue {EnqueueMs} ms).",
                schedules.Count, slots.Count, result.Created.Count, result.Missed.Count, (long)result.CreateDuration.TotalMilliseconds, (long)result.EnqueueDuration.TotalMilliseconds);
        }

        return new SchedulerTick(now, schedules.Count, slots.Count, result.Created, result.Missed)
        {
            CreateDuration = result.CreateDuration,
            EnqueueDuration = result.EnqueueDuration,
        };
    }
}
