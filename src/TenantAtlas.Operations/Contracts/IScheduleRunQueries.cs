namespace TenantAtlas.Operations.Contracts;

/// <summary>
/// The runs of one schedule, for the module that owns schedules (Backup): the scheduled runs of its slots
/// (<c>schedule_id</c>) and the runs started for it by hand (Run now, Retry: <c>inputs.scheduleId</c>), of the given
/// types, within the schedule's tenant. No access check here: the caller shows these only to users who may view
/// those run types (the capability of the types), exactly as it checks the schedule itself.
/// </summary>
public interface IScheduleRunQueries
{
    /// <summary>
    /// Per schedule: its latest run (any status) and how many of its slots were missed. <paramref name="tenantIds"/> are
    /// the schedules' tenants (one query for a page across many tenants).
    /// </summary>
    Task<IReadOnlyDictionary<Guid, ScheduleRunSummary>> SummarizeAsync(
        IReadOnlyCollection<Guid> tenantIds, IReadOnlyCollection<Guid> scheduleIds, IReadOnlyCollection<string> types, CancellationToken cancellationToken = default);

    /// <summary>The schedule's runs, newest first (keyset paging below <paramref name="before"/>).</summary>
    Task<RunPage> ListAsync(Guid tenantId, Guid scheduleId, IReadOnlyCollection<string> types, long? before, int limit, CancellationToken cancellationToken = default);
}

public sealed record ScheduleRunSummary(OperationRunView? LastRun, long MissedSlots);
