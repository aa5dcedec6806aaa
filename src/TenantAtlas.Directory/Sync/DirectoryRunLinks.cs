using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Directory.Sync;

/// <summary>Links on the run viewer: the tenant's directory and configuration pages, which show what the run cached.</summary>
internal sealed class DirectoryRunLinks : IOperationLinkProvider
{
    public Task<IReadOnlyList<OperationLink>> GetLinksAsync(OperationRunView run, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OperationLink>>(run.TenantId is { } tenantId
            ? [new OperationLink("Tenant directory", $"/admin/tenants/{tenantId}/directory"), new OperationLink("Tenant configuration", $"/admin/tenants/{tenantId}/configuration")]
            : []);
}
