using TenantAtlas.Access.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Directory.Pages;

/// <summary>The one cheap decision of the tenant pages: unknown tenant or not a member → 404, no <c>tenant.view</c> → 403.</summary>
internal sealed record TenantPageContext(TenantSummary Tenant, WorkspaceMembershipInfo Membership)
{
    public bool CanManage => Membership.Has(Capability.TenantManage);

    public bool CanSync => Membership.Has(Capability.TenantDirectorySync);

    public static async Task<(AccessDecision Decision, TenantPageContext? Context)> DecideAsync(
        ITenantDirectory tenants, IAccessService access, Guid tenantId, Guid userId)
    {
        var tenant = await tenants.GetAsync(tenantId);
        if (tenant is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var membership = (await access.ListMembershipsAsync(userId)).FirstOrDefault(m => m.WorkspaceId == tenant.WorkspaceId);
        if (membership is null)
        {
            return (AccessDecision.NotFound, null);
        }

        return (membership.Has(Capability.TenantView) ? AccessDecision.Allowed : AccessDecision.Forbidden, new TenantPageContext(tenant, membership));
    }
}
