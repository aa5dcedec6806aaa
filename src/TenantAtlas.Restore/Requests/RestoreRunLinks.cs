using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Restore.Requests;

/// <summary>From a plan or execute run to its restore request.</summary>
internal sealed class RestoreRunLinks : IOperationLinkProvider
{
    public Task<IReadOnlyList<OperationLink>> GetLinksAsync(OperationRunView run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        IReadOnlyList<OperationLink> links = run.RestoreRequestId is { } id ? [new OperationLink("Restore request", $"/admin/restores/{id}")] : [];
        return Task.FromResult(links);
    }
}
