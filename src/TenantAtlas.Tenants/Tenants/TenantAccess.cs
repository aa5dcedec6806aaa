using TenantAtlas.Access.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Tenants.Tenants;

/// <summary>The one place 404 versus 403 is decided for a tenant (see <see cref="ITenantAccess"/>): two cheap queries.</summary>
internal sealed class TenantAccess(ITenantCatalog tenants, IAccessService access) : ITenantAccess
{
    public async Task<TenantAccessResult> DecideAsync(Guid tenantId, Guid userId, Capability? capability = null, CancellationToken cancellationToken = default)
    {
        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return TenantAccessResult.NotFound;
        }

        var membership = await access.GetMembershipAsync(userId, tenant.WorkspaceId, cancellationToken);
        if (membership is null)
        {
            return TenantAccessResult.NotFound;
        }

        var decision = membership.Has(capability ?? Capability.TenantView) ? AccessDecision.Allowed : AccessDecision.Forbidden;
        return new TenantAccessResult(decision, tenant, membership);
    }
}
