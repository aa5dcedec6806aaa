using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Jobs;

/// <summary>The run a job was handed. Every write is conditional on the run still running; a lost run cancels the job.</summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The flush semaphore never hands out its wait handle, so it holds nothing to dispose; a job's late flush must not meet a disposed object.")]
internal sealed class OperationRunContext(
    OperationRun run,
    OperationTypeDefinition definition,
    RunStore store,
    TimeProvider clock,
    CancellationTokenSource stop) : IOperationRunContext
{
    private const int MaxFailureEntries = 500;
    private readonly Dictionary<string, long> summary = JsonSerializer.Deserialize<Dictionary<string, long>>(run.Summary, RunMapping.Json) ?? [];
    private readonly Lock gate = new();

    // One flush at a time, each taking its snapshot only once the previous write is done: two flushes side by side
    // (a family's progress and the heartbeat, or families running in parallel) could otherwise land in the opposite
    // order of their snapshots and leave older counts in the row until the next flush.
    private readonly SemaphoreSlim flushing = new(1, 1);
    private int failureEntries = JsonSerializer.Deserialize<JsonArray>(run.Failures)?.Count ?? 0;
    private int omittedFailures;
    private bool dirty;

    public long RunId => run.Id;

    public string Type => run.Type;

    public Guid WorkspaceId => run.WorkspaceId;

    public Guid? TenantId => run.TenantId;

    public JsonObject Inputs { get; } = JsonNode.Parse(run.Context) as JsonObject ?? [];

    public Guid? ScheduleId => run.ScheduleId;

    public DateTimeOffset? ScheduledFor => run.ScheduledFor;

    public long? RetryOfRunId => run.RetryOfRunId;

    public Guid? RestoreRequestId => run.RestoreRequestId;

    /// <summary>A user asked to cancel (seen at a heartbeat).</summary>
    public bool CancelRequested { get; private set; }

    /// <summary>The run was completed by someone else (stale-run detector, a queued-cancel race): stop, write nothing more.</summary>
    public bool Lost { get; private set; }

    public void Set(string key, long value)
    {
        Check(key);
        lock (gate)
        {
            summary[key] = value;
            dirty = true;
        }
    }

    public void Increment(string key, long by = 1)
    {
        Check(key);
        lock (gate)
        {
            summary[key] = summary.GetValueOrDefault(key) + by;
            dirty = true;
        }
    }

    public long Get(string key)
    {
        lock (gate)
        {
            return summary.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Writes the counts now. Progress is best effort: when the database is briefly away the counts stay pending and the
    /// next heartbeat (or the completion) writes them, so a transient error does not end the job.
    /// </summary>
    public async Task ReportProgressAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            // Still dirty: written at the next heartbeat.
        }
    }

    public async Task AddFailureAsync(string code, string message, string? item = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref failureEntries) > MaxFailureEntries)
        {
            // The ledger is capped; the count says how many more there were.
            Interlocked.Increment(ref omittedFailures);
            Set("failures_omitted", omittedFailures);
            return;
        }

        var entry = RunMapping.FailureEntry.ArrayOf(code, message, item, clock.GetUtcNow());
        if (!await store.AppendFailuresAsync(RunId, entry, cancellationToken))
        {
            MarkLost();
        }
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await flushing.WaitAsync(cancellationToken);
        try
        {
            await FlushInOrderAsync(cancellationToken);
        }
        finally
        {
            flushing.Release();
        }
    }

    private async Task FlushInOrderAsync(CancellationToken cancellationToken)
    {
        string json;
        lock (gate)
        {
            if (!dirty)
            {
                return;
            }

            json = JsonSerializer.Serialize(summary, RunMapping.Json);
            dirty = false;
        }

        bool stillRunning;
        try
        {
            stillRunning = await store.FlushSummaryAsync(RunId, json, cancellationToken);
        }
        catch (Exception)
        {
            // Not written: keep the counts pending for the next flush.
            lock (gate)
            {
                dirty = true;
            }

            throw;
        }

        if (!stillRunning)
        {
            MarkLost();
        }
    }

    /// <summary>Heartbeat: proves the worker is alive, writes pending counts, and picks up a cancel request.</summary>
    internal async Task BeatAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var (running, cancelRequested) = await store.HeartbeatAsync(RunId, cancellationToken);
        if (!running)
        {
            MarkLost();
        }
        else if (cancelRequested)
        {
            CancelRequested = true;
            await stop.CancelAsync();
        }
    }

    private void MarkLost()
    {
        Lost = true;
        stop.Cancel();
    }

    private void Check(string key)
    {
        if (!definition.SummaryKeys.Contains(key) && key != "failures_omitted")
        {
            throw new ArgumentException($"'{key}' is not a summary count of '{definition.Key}'. Use the common vocabulary or declare it on the type.", nameof(key));
        }
    }
}
