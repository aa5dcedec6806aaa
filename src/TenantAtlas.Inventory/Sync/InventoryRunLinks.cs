using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Inventory.Sync;

/// <summary>On the run viewer: the tenant's inventory page.</summary>
internal sealed class InventoryRunLinks : IOperationLinkProvider
{
    public Task<IReadOnlyList<OperationLink>> GetLinksAsync(OperationRunView run, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OperationLink>>(
            run.TenantId is { } tenantId ? [new OperationLink("Tenant inventory", $"/admin/tenants/{tenantId}/inventory")] : []);
}
