using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace TenantAtlas.Backup.Tests.Support;

/// <summary>A run as a job sees it, in memory: counts and failure entries the test can read.</summary>
public sealed class FakeRunContext(string type, Guid workspaceId, Guid tenantId, Guid scheduleId) : IOperationRunContext
{
    private readonly ConcurrentDictionary<string, long> counts = new();

    public long RunId { get; init; } = Random.Shared.NextInt64(1_000_000_000, long.MaxValue);

    public string Type { get; } = type;

    public Guid WorkspaceId { get; } = workspaceId;

    public Guid? TenantId { get; } = tenantId;

    public JsonObject Inputs { get; } = new() { ["scheduleId"] = scheduleId.ToString() };

    public Guid? ScheduleId { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public long? RetryOfRunId { get; init; }

    public Guid? RestoreRequestId => null;

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
