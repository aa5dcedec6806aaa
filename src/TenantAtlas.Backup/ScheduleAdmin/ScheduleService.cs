using Cronos;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Scheduler;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Backup.ScheduleAdmin;

/// <summary>What an admin enters for a schedule.</summary>
internal sealed record ScheduleInput(
    string Name,
    string CronExpression,
    string TimeZoneId,
    IReadOnlyList<string> Families,
    int? KeepLast,
    int? KeepDays,
    bool Enabled = true);

/// <summary>Allowed, with the id of the saved schedule — or the access decision, or field errors (nothing saved).</summary>
internal sealed record ScheduleSaveResult(AccessDecision Decision, Guid? ScheduleId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Saved => Decision == AccessDecision.Allowed && Errors.Count == 0 && ScheduleId is not null;

    public static ScheduleSaveResult Denied(AccessDecision decision) => new(decision, null, new Dictionary<string, string>());

    public static ScheduleSaveResult Invalid(IReadOnlyDictionary<string, string> errors) => new(AccessDecision.Allowed, null, errors);

    public static ScheduleSaveResult Ok(Guid id) => new(AccessDecision.Allowed, id, new Dictionary<string, string>());
}

internal sealed record ScheduleView(
    Guid Id,
    Guid WorkspaceId,
    Guid TenantId,
    string Name,
    string CronExpression,
    string TimeZoneId,
    IReadOnlyList<string> Families,
    int? KeepLast,
    int? KeepDays,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public ScheduleInput ToInput() => new(Name, CronExpression, TimeZoneId, Families, KeepLast, KeepDays, Enabled);
}

/// <summary>
/// Create, edit, enable/disable and delete schedules. Every action asks the access service itself
/// (<c>tenant.backups.manage</c>; reading needs <see cref="BackupAccess.View"/>) — the page is never the only check — and every
/// change is audited.
/// </summary>
internal sealed class ScheduleService(
    IDbContextFactory<BackupDbContext> dbFactory,
    IAccessService access,
    ITenantAccess tenantAccess,
    ITenantCatalog tenants,
    IGraphContracts contracts,
    IAuditLog audit,
    TimeProvider clock)
{
    public const int MaxKeepLast = 1000;
    public const int MaxKeepDays = 3650;
    public const int MaxNameLength = 200;

    public Task<ScheduleSaveResult> CreateAsync(Guid userId, Guid tenantId, ScheduleInput input, CancellationToken cancellationToken = default) =>
        CreateAsync(Actor.User(userId), tenantId, input, cancellationToken);

    /// <summary>A user is checked against <c>tenant.backups.manage</c>; the system (demo seed) is recorded as such.</summary>
    public async Task<ScheduleSaveResult> CreateAsync(Actor actor, Guid tenantId, ScheduleInput input, CancellationToken cancellationToken = default)
    {
        TenantSummary? tenant;
        if (actor is UserActor user)
        {
            var decision = await tenantAccess.DecideAsync(tenantId, user.UserId, Capability.TenantBackupsManage, cancellationToken);
            if (!decision.IsAllowed)
            {
                return ScheduleSaveResult.Denied(decision.Decision);
            }

            tenant = decision.Tenant!;
        }
        else if ((tenant = await tenants.GetAsync(tenantId, cancellationToken)) is null)
        {
            return ScheduleSaveResult.Denied(AccessDecision.NotFound);
        }

        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return ScheduleSaveResult.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var schedule = new BackupSchedule
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = tenant.WorkspaceId,
            TenantId = tenant.Id,
            Name = input.Name.Trim(),
            CronExpression = Normalize(input.CronExpression),
            TimeZoneId = input.TimeZoneId.Trim(),
            Families = [.. input.Families.Distinct()],
            KeepLast = input.KeepLast,
            KeepDays = input.KeepDays,
            Enabled = input.Enabled,
            Watermark = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Schedules.Add(schedule);
            if (!await TrySaveAsync(db, cancellationToken))
            {
                return ScheduleSaveResult.Invalid(new Dictionary<string, string> { [nameof(ScheduleInput.Name)] = DuplicateName(input.Name) });
            }
        }

        await audit.WriteAsync(new AuditRecord(actor, tenant.WorkspaceId, BackupAuditActions.ScheduleCreated,
            $"Created backup schedule \"{schedule.Name}\" ({schedule.CronExpression} {schedule.TimeZoneId}, {Describe(schedule)}).", tenant.Id), cancellationToken);
        return ScheduleSaveResult.Ok(schedule.Id);
    }

    public async Task<ScheduleSaveResult> UpdateAsync(Guid userId, Guid scheduleId, ScheduleInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null)
        {
            return ScheduleSaveResult.Denied(AccessDecision.NotFound);
        }

        var decision = (await tenantAccess.DecideAsync(schedule.TenantId, userId, Capability.TenantBackupsManage, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return ScheduleSaveResult.Denied(decision);
        }

        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return ScheduleSaveResult.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var cron = Normalize(input.CronExpression);
        var zone = input.TimeZoneId.Trim();
        // A new definition (or a schedule switched back on) starts from now: never back-fill slots it did not promise.
        if (cron != schedule.CronExpression || zone != schedule.TimeZoneId || (input.Enabled && !schedule.Enabled))
        {
            schedule.Watermark = now;
        }

        schedule.Name = input.Name.Trim();
        schedule.CronExpression = cron;
        schedule.TimeZoneId = zone;
        schedule.Families = [.. input.Families.Distinct()];
        schedule.KeepLast = input.KeepLast;
        schedule.KeepDays = input.KeepDays;
        schedule.Enabled = input.Enabled;
        schedule.UpdatedAt = now;
        if (!await TrySaveAsync(db, cancellationToken))
        {
            return ScheduleSaveResult.Invalid(new Dictionary<string, string> { [nameof(ScheduleInput.Name)] = DuplicateName(input.Name) });
        }

        await audit.WriteAsync(new AuditRecord(Actor.User(userId), schedule.WorkspaceId, BackupAuditActions.ScheduleUpdated,
            $"Updated backup schedule \"{schedule.Name}\" ({schedule.CronExpression} {schedule.TimeZoneId}, {Describe(schedule)}, {(schedule.Enabled ? "enabled" : "disabled")}).",
            schedule.TenantId), cancellationToken);
        return ScheduleSaveResult.Ok(schedule.Id);
    }

    public async Task<ScheduleSaveResult> SetEnabledAsync(Guid userId, Guid scheduleId, bool enabled, CancellationToken cancellationToken = default)
    {
        var (decision, view) = await GetAsync(userId, scheduleId, cancellationToken);
        return view is null ? ScheduleSaveResult.Denied(decision) : await UpdateAsync(userId, scheduleId, view.ToInput() with { Enabled = enabled }, cancellationToken);
    }

    /// <summary>Deletes the schedule. Its backup sets stay (they are backups, not schedule state).</summary>
    public async Task<AccessDecision> DeleteAsync(Guid userId, Guid scheduleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null)
        {
            return AccessDecision.NotFound;
        }

        var decision = (await tenantAccess.DecideAsync(schedule.TenantId, userId, Capability.TenantBackupsManage, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return decision;
        }

        var deleted = await db.Schedules.Where(s => s.Id == scheduleId).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            await audit.WriteAsync(new AuditRecord(Actor.User(userId), schedule.WorkspaceId, BackupAuditActions.ScheduleDeleted,
                $"Deleted backup schedule \"{schedule.Name}\" (its backup sets are kept).", schedule.TenantId), cancellationToken);
        }

        return AccessDecision.Allowed;
    }

    public async Task<(AccessDecision Decision, ScheduleView? Schedule)> GetAsync(Guid userId, Guid scheduleId, CancellationToken cancellationToken = default)
    {
        var schedule = await FindAsync(scheduleId, cancellationToken);
        if (schedule is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var decision = (await tenantAccess.DecideAsync(schedule.TenantId, userId, BackupAccess.View, cancellationToken)).Decision;
        return decision == AccessDecision.Allowed ? (decision, schedule) : (decision, null);
    }

    /// <summary>
    /// The schedule without an access check, for a page that asks <see cref="ITenantAccess"/> about its tenant before it
    /// shows anything (an unknown id and a schedule of another workspace then answer alike).
    /// </summary>
    public async Task<ScheduleView?> FindAsync(Guid scheduleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        return schedule is null ? null : ToView(schedule);
    }

    public async Task<(AccessDecision Decision, IReadOnlyList<ScheduleView> Schedules)> ListAsync(Guid userId, Guid tenantId, CancellationToken cancellationToken = default)
    {
        var decision = (await tenantAccess.DecideAsync(tenantId, userId, BackupAccess.View, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return (decision, []);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Schedules.AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return (decision, [.. rows.Select(ToView)]);
    }

    /// <summary>
    /// Every schedule the user may see, across the workspaces where the role includes <see cref="BackupAccess.View"/>, by
    /// tenant name then schedule name (tenant names from the Tenants module). Workspaces without that capability add nothing.
    /// </summary>
    public async Task<IReadOnlyList<(ScheduleView Schedule, TenantSummary Tenant, string WorkspaceName)>> ListVisibleAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var workspaces = (await access.ListMembershipsAsync(userId, cancellationToken)).Where(m => m.Has(BackupAccess.View))
            .ToDictionary(m => m.WorkspaceId, m => m.WorkspaceName);
        if (workspaces.Count == 0)
        {
            return [];
        }

        var ids = workspaces.Keys.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Schedules.AsNoTracking().Where(s => ids.Contains(s.WorkspaceId)).ToListAsync(cancellationToken);
        var tenantsById = (await tenants.ListAsync(ids, cancellationToken)).ToDictionary(t => t.Id);
        return [.. rows.Where(r => tenantsById.ContainsKey(r.TenantId))
            .Select(r => (Schedule: ToView(r), Tenant: tenantsById[r.TenantId], WorkspaceName: workspaces[r.WorkspaceId]))
            .OrderBy(x => x.Tenant.DisplayName, StringComparer.CurrentCultureIgnoreCase).ThenBy(x => x.Schedule.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Field → message for everything wrong with the input; empty when it can be saved.</summary>
    public IReadOnlyDictionary<string, string> Validate(ScheduleInput input)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors[nameof(ScheduleInput.Name)] = "Give the schedule a name, e.g. \"Nightly\".";
        }
        else if (input.Name.Trim().Length > MaxNameLength)
        {
            errors[nameof(ScheduleInput.Name)] = $"Keep the name to {MaxNameLength} characters.";
        }
        else if (input.Name.Any(char.IsControl))
        {
            errors[nameof(ScheduleInput.Name)] = "The name cannot hold control characters (tabs, line breaks, NUL).";
        }

        // Cronos ignores some characters PostgreSQL cannot store (NUL): refuse them here, not with a failed save.
        CronExpression? cron = null;
        if ((input.CronExpression ?? "").Any(char.IsControl))
        {
            errors[nameof(ScheduleInput.CronExpression)] = "The expression cannot hold control characters (tabs, line breaks, NUL): five fields separated by spaces.";
        }
        else if (!ScheduleFireTimes.TryParseCron(input.CronExpression ?? "", out cron, out var cronError))
        {
            errors[nameof(ScheduleInput.CronExpression)] = cronError!;
        }

        if (!ScheduleFireTimes.TryFindZone(input.TimeZoneId, out var zone, out var zoneError))
        {
            errors[nameof(ScheduleInput.TimeZoneId)] = zoneError!;
        }
        else if (cron is not null && cron.GetNextOccurrence(clock.GetUtcNow(), zone) is null)
        {
            errors[nameof(ScheduleInput.CronExpression)] = "This expression never fires (e.g. 30 February): choose a date that exists.";
        }

        var known = contracts.PolicyFamilies.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var families = input.Families ?? [];
        if (families.Count == 0)
        {
            errors[nameof(ScheduleInput.Families)] = "Choose at least one policy type to back up.";
        }
        else if (families.FirstOrDefault(f => !known.Contains(f)) is { } unknown)
        {
            errors[nameof(ScheduleInput.Families)] = $"\"{unknown}\" is not a policy type TenantAtlas backs up.";
        }

        if (input.KeepLast is null && input.KeepDays is null)
        {
            errors[nameof(ScheduleInput.KeepLast)] = "Set a retention: keep the last N backups, keep backups younger than D days, or both.";
        }

        if (input.KeepLast is { } last && last is < 1 or > MaxKeepLast)
        {
            errors[nameof(ScheduleInput.KeepLast)] = $"Keep between 1 and {MaxKeepLast} backups.";
        }

        if (input.KeepDays is { } days && days is < 1 or > MaxKeepDays)
        {
            errors[nameof(ScheduleInput.KeepDays)] = $"Keep backups between 1 and {MaxKeepDays} days.";
        }

        return errors;
    }

    public static string Describe(BackupSchedule schedule) => DescribeRetention(schedule.KeepLast, schedule.KeepDays);

    public static string DescribeRetention(int? keepLast, int? keepDays) => (keepLast, keepDays) switch
    {
        ({ } n, { } d) => $"keep the last {n} and anything younger than {d} days",
        ({ } n, null) => $"keep the last {n}",
        (null, { } d) => $"keep {d} days",
        _ => "keep everything",
    };

    private static string Normalize(string cron) => string.Join(' ', cron.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string DuplicateName(string name) => $"This tenant already has a schedule named \"{name.Trim()}\".";

    private static async Task<bool> TrySaveAsync(BackupDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return false;
        }
    }

    internal static ScheduleView ToView(BackupSchedule s) =>
        new(s.Id, s.WorkspaceId, s.TenantId, s.Name, s.CronExpression, s.TimeZoneId, s.Families, s.KeepLast, s.KeepDays, s.Enabled, s.CreatedAt, s.UpdatedAt);
}
