using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Graph.Tests.Support;

/// <summary>A run as a job sees it, in memory: what the envelope wrote into its summary and failure entries.</summary>
public sealed class FakeRunContext(Guid? tenantId) : IOperationRunContext
{
    private readonly ConcurrentDictionary<string, long> counts = new();

    public long RunId { get; } = Random.Shared.NextInt64(1_000_000_000, long.MaxValue);

    public string Type => "test.graph";

    public Guid WorkspaceId { get; } = Guid.NewGuid();

    public Guid? TenantId { get; } = tenantId;

    public JsonObject Inputs { get; } = [];

    public Guid? ScheduleId => null;

    public DateTimeOffset? ScheduledFor => null;

    public long? RetryOfRunId => null;

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
