using System.Text.Json.Nodes;

namespace TenantAtlas.Operations.Contracts;

/// <summary>
/// The work of one operation type, registered by the module that owns it. It receives only its run (never creates one),
/// reports through the context, and returns how it ended. Throwing fails the run with a sanitized failure entry;
/// cancellation (the user's cancel, a lost run) arrives through the token.
/// </summary>
public interface IOperationJob
{
    Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken);
}

public enum OperationJobResult
{
    Succeeded,
    PartiallySucceeded,
    Failed,
}

/// <summary>The run a job was handed: its inputs, and the only channel for progress, counts and failures.</summary>
public interface IOperationRunContext
{
    long RunId { get; }

    string Type { get; }

    Guid WorkspaceId { get; }

    Guid? TenantId { get; }

    JsonObject Inputs { get; }

    Guid? ScheduleId { get; }

    DateTimeOffset? ScheduledFor { get; }

    long? RetryOfRunId { get; }

    Guid? RestoreRequestId { get; }

    /// <summary>Sets a count (a key of the common vocabulary or one the type declares).</summary>
    void Set(string key, long value);

    void Increment(string key, long by = 1);

    long Get(string key);

    /// <summary>Writes the counts to the run now (also done at every heartbeat and at the end).</summary>
    Task ReportProgressAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a failure entry (sanitized, length-capped) without ending the run.</summary>
    Task AddFailureAsync(string code, string message, string? item = null, CancellationToken cancellationToken = default);
}

/// <summary>Links from a run to the owning module's records (e.g. the backup set it produced).</summary>
public interface IOperationLinkProvider
{
    Task<IReadOnlyList<OperationLink>> GetLinksAsync(OperationRunView run, CancellationToken cancellationToken = default);
}

public sealed record OperationLink(string Label, string Href);
