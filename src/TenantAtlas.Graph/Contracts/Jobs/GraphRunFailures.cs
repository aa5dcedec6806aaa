using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Graph.Contracts.Jobs;

/// <summary>One shape for a Graph failure in a run, whether the envelope or the job's own loop records it.</summary>
public static class GraphRunFailures
{
    /// <summary>
    /// Records <paramref name="failure"/> as a failure entry: Graph's error code, and its (sanitized) message with Graph's
    /// request id when Graph answered — what Microsoft support asks for.
    /// </summary>
    public static Task AddGraphFailureAsync(this IOperationRunContext run, GraphRequestException failure, string? item = null, CancellationToken cancellationToken = default) =>
        run.AddFailureAsync(failure.ErrorCode, Describe(failure), item, cancellationToken);

    private static string Describe(GraphRequestException e) =>
        e.RequestId is null ? e.Message : $"{e.Message} (request id {e.RequestId})";
}
