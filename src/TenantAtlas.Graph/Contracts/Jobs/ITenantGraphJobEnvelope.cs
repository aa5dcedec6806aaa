using TenantAtlas.Operations.Contracts;

// Why here: the frame is about Graph (call metrics, work slots, GraphRequestException) and reports through Operations' run
// contract. Graph may reference Operations (Operations references neither Graph nor any feature module, so no cycle),
// whereas Operations must stay free of Graph; the feature modules that run Graph jobs already use both contracts.
namespace TenantAtlas.Graph.Contracts.Jobs;

/// <summary>
/// The one frame around a job's Graph work for one tenant (sync, backup, restore), so a job keeps only its domain loop:
/// <list type="number">
/// <item>the run must name a tenant, else the failure <c>invalid_input</c> "The run names no tenant." (<see cref="TenantGraphWorkEnd.NoTenant"/>);</item>
/// <item><see cref="TenantGraphWork.BeforeSlot"/>, then a Graph call metrics scope and one of the tenant's work slots (<see cref="IGraphTenantSlots"/>);</item>
/// <item>the work; a <see cref="GraphRequestException"/> it does not handle itself becomes one failure entry
/// (its code, its message with Graph's request id, <see cref="TenantGraphWork.FailureItem"/>): <see cref="TenantGraphWorkEnd.TenantBusy"/>
/// when no slot became free, <see cref="TenantGraphWorkEnd.GraphFailed"/> otherwise;</item>
/// <item>always, the throttle figures (<c>throttled_requests</c>, <c>throttle_wait_seconds</c>) into the run's summary.</item>
/// </list>
/// Whether the tenant still exists and has a usable credential is the gateway's answer on the first call
/// (<see cref="GraphFailureKind.TenantNotConfigured"/>: <c>tenantNotFound</c>, <c>noClientSecret</c>, <c>secretUnreadable</c>),
/// mapped like any other Graph failure. Anything else thrown (a database failure, a bug) and any exception once
/// cancellation was requested passes through unchanged: the job runner fails the run with <c>internal_error</c>, or
/// ends it cancelled. The envelope never decides the outcome of completed work: the job does, from what it counted.
/// </summary>
public interface ITenantGraphJobEnvelope
{
    Task<TenantGraphWorkEnd> RunAsync(IOperationRunContext run, TenantGraphWork work, CancellationToken cancellationToken);
}

/// <summary>How the envelope ended; every end but <see cref="Completed"/> has written its failure entry already.</summary>
public enum TenantGraphWorkEnd
{
    /// <summary>The work ran to its end (it may have recorded failures of its own items).</summary>
    Completed,

    /// <summary>The run names no tenant; nothing ran.</summary>
    NoTenant,

    /// <summary>Every work slot of the tenant stayed taken (<c>tenantBusy</c>, retryable); no Graph call was made.</summary>
    TenantBusy,

    /// <summary>The work stopped on a Graph failure it did not handle itself.</summary>
    GraphFailed,
}

/// <summary>A job's Graph work for the envelope.</summary>
/// <param name="Body">The domain loop, run while the slot is held and the metrics scope is open.</param>
public sealed record TenantGraphWork(Func<TenantGraphSession, CancellationToken, Task> Body)
{
    /// <summary>The failure entry's item when the work as a whole fails (e.g. <c>groups</c>); none when it names no single item.</summary>
    public string? FailureItem { get; init; }

    /// <summary>Runs after the tenant check and before the wait for a slot: what the run shows while it waits (e.g. its counts at zero).</summary>
    public Func<CancellationToken, Task>? BeforeSlot { get; init; }
}

/// <summary>What the work gets from the envelope: its tenant, the call counters, and the slot it may give back early.</summary>
public sealed class TenantGraphSession
{
    private readonly IOperationRunContext run;
    private IAsyncDisposable? slot;

    internal TenantGraphSession(Guid tenantId, IOperationRunContext run, GraphCallMetricsScope calls, IAsyncDisposable slot)
    {
        TenantId = tenantId;
        Calls = calls;
        this.run = run;
        this.slot = slot;
    }

    public Guid TenantId { get; }

    /// <summary>What the Graph calls of this work cost so far.</summary>
    public GraphCallMetricsScope Calls { get; }

    /// <summary>Writes the throttle figures so far into the run's summary (the envelope does it at the end anyway; a long job does it with its progress).</summary>
    public void ReportThrottling()
    {
        run.Set(OperationSummaryKeys.ThrottledRequests, Calls.ThrottledRequests);
        run.Set(OperationSummaryKeys.ThrottleWaitSeconds, Calls.ThrottleWaitSeconds);
    }

    /// <summary>Gives the work slot back before the work ends, when what remains needs no Graph (e.g. writing a cache). Once is enough; the envelope calls it at the end.</summary>
    public ValueTask ReleaseSlotAsync() => Interlocked.Exchange(ref slot, null) is { } held ? held.DisposeAsync() : ValueTask.CompletedTask;
}
