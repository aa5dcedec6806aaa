using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Testing.Operations;

/// <summary>
/// A run as a job sees it, in memory, for calling a job or the Graph envelope directly: the counts and failure entries
/// the job wrote are there for the test to read.
/// </summary>
public sealed class FakeRunContext : IOperationRunContext
{
    private readonly ConcurrentDictionary<string, long> counts = new();

    /// <summary>A run of no particular type, in a workspace of its own (Graph envelope tests).</summary>
    public FakeRunContext(Guid? tenantId)
        : this("test.graph", Guid.NewGuid(), tenantId)
    {
    }

    /// <summary>A run of a scheduled job: its inputs name the schedule.</summary>
    public FakeRunContext(string type, Guid workspaceId, Guid tenantId, Guid scheduleId)
        : this(type, workspaceId, tenantId)
    {
        Inputs = new() { ["scheduleId"] = scheduleId.ToString() };
    }

    public FakeRunContext(string type, Guid workspaceId, Guid? tenantId)
    {
        Type = type;
        WorkspaceId = workspaceId;
        TenantId = tenantId;
    }

    public long RunId { get; init; } = Random.Shared.NextInt64(1_000_000_000, long.MaxValue);

    public string Type { get; }

    public Guid WorkspaceId { get; }

    public Guid? TenantId { get; }

    public JsonObject Inputs { get; init; } = [];

    public Guid? ScheduleId { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public long? RetryOfRunId { get; init; }

    public Guid? RestoreRequestId { get; init; }

    public List<(string Code, string Message, string? Item)> Failures { get; } = [];

    public IReadOnlyDictionary<string, long> Counts => counts;

    public void Set(string key, long value) => counts[key] = value;

    public void Increment(string key, long by = 1) => counts.AddOrUpdate(key, by, (_, v) => v + by);

    public long Get(string key) => counts.GetValueOrDefault(key);

    public Task ReportProgressAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task AddFailureAsync(string code, string message, string? item = null, CancellationToken cancellationToken = default)
    {
        lock (Failures)
        {
            Failures.Add((code, message, item));
        }

        return Task.CompletedTask;
    }
}
