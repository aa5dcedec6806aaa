using System.Text.Json.Nodes;
using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Operations.Contracts;

/// <summary>
/// The only way to create and change runs. A start surface creates the run (queued) before any job exists and hands its
/// id to the job; identity rules are enforced by the database; every start is audited.
/// </summary>
public interface IOperationRuns
{
    Task<StartResult> StartAsync(Actor actor, StartRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The scheduler's path: creates the runs of many schedule slots in ONE statement. Each slot gets at most one run ever
    /// (the database refuses duplicates, whatever their status, however many schedulers race). A missed slot is recorded as
    /// completed/failed with reason <c>missed</c> and never executed. Created queued runs are then enqueued.
    /// </summary>
    Task<ScheduledRunsResult> StartScheduledAsync(IReadOnlyList<ScheduledSlot> slots, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued run at once, or asks a running one to stop at its next heartbeat.</summary>
    Task<RunActionResult> CancelAsync(Actor actor, long runId, CancellationToken cancellationToken = default);

    /// <summary>Starts the type's retry operation, linked to a failed or partially succeeded run.</summary>
    Task<StartResult> RetryAsync(Actor actor, long runId, CancellationToken cancellationToken = default);

    /// <summary>A run with the same 404/403 decision every surface uses (viewer, API): unknown or other workspace → NotFound.</summary>
    Task<(AccessDecision Decision, OperationRunView? Run)> GetForUserAsync(Guid userId, long runId, CancellationToken cancellationToken = default);

    /// <summary>A run without access checks, for jobs and modules acting as the system.</summary>
    Task<OperationRunView?> FindAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>The runs of the ids that exist, in one read and without access checks (a list page's states).</summary>
    Task<IReadOnlyList<OperationRunView>> FindManyAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default);

    /// <summary>The latest run of a type for a tenant (any status), e.g. for "as of" labels.</summary>
    Task<OperationRunView?> FindLatestAsync(string type, Guid tenantId, bool completedOnly, CancellationToken cancellationToken = default);

    /// <summary>The latest run of a type for a tenant that succeeded or partially succeeded: what cached data is "as of".</summary>
    Task<OperationRunView?> FindLatestSuccessfulAsync(string type, Guid tenantId, CancellationToken cancellationToken = default);
}

/// <summary>What to start. The workspace is the tenant's; a given <see cref="WorkspaceId"/> must match it.</summary>
public sealed record StartRequest(string Type, Guid TenantId)
{
    /// <summary>A run of a whole workspace, of a type whose dedupe scope is <see cref="DedupeScope.Workspace"/>: no tenant.</summary>
    public static StartRequest ForWorkspace(string type, Guid workspaceId) => new(type, Guid.Empty) { WorkspaceId = workspaceId };

    public Guid? WorkspaceId { get; init; }

    public JsonObject? Inputs { get; init; }

    /// <summary>For <c>restore.execute</c>: the restore request, which is also its dedupe identity.</summary>
    public Guid? RestoreRequestId { get; init; }

    /// <summary>For scheduled runs: the schedule and the intended fire time (UTC), the run's strict identity.</summary>
    public Guid? ScheduleId { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>
    /// For retries: the run this one retries — of the same tenant, of a type whose retry type is this one, failed or
    /// partially succeeded (else not found / invalid input). Without <see cref="Inputs"/> the retry repeats its inputs.
    /// </summary>
    public long? RetryOfRunId { get; init; }
}

public enum StartRefusal
{
    None,
    UnknownType,
    SystemOnly,
    NoJob,
    InvalidInput,
}

public sealed record StartResult(AccessDecision Decision, OperationRunView? Run, bool Created, StartRefusal Refusal = StartRefusal.None, string? Message = null)
{
    public bool Started => Decision == AccessDecision.Allowed && Refusal == StartRefusal.None && Run is not null;

    /// <summary>Not found or forbidden; <paramref name="message"/> says what was not found when it is not the tenant (e.g. an input's schedule).</summary>
    public static StartResult Denied(AccessDecision decision, string? message = null) => new(decision, null, false, Message: message);

    public static StartResult Refused(StartRefusal refusal, string message) => new(AccessDecision.Allowed, null, false, refusal, message);
}

public sealed record RunActionResult(AccessDecision Decision, bool Done, string? Message = null);

/// <summary>One intended fire time of a schedule. <see cref="ScheduledFor"/> is stored in UTC.</summary>
public sealed record ScheduledSlot(Guid WorkspaceId, Guid TenantId, Guid ScheduleId, DateTimeOffset ScheduledFor, bool Missed, JsonObject? Inputs = null);

/// <summary>What a tick created: run ids of slots it won (queued or missed), and how long creating and enqueueing took.</summary>
public sealed record ScheduledRunsResult(IReadOnlyList<long> Created, IReadOnlyList<long> Missed, TimeSpan CreateDuration, TimeSpan EnqueueDuration);
