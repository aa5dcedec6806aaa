using Microsoft.AspNetCore.Components;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Contracts.Ui;

namespace TenantAtlas.Tenants.Contracts.Ui;

/// <summary>
/// Base for every page about one tenant. It asks <see cref="ITenantAccess"/> (the one 404/403 decision) for the route's
/// tenant and the signed-in user whenever the parameters are set (navigating between two tenants reuses the component);
/// NotFound becomes a real 404, Forbidden a 403 (render the page inside <c>&lt;AccessOutcome Decision="Decision"&gt;</c>).
/// Pages under another record (a schedule, a backup set) override <see cref="FindTenantIdAsync"/> to name its tenant.
/// Lives in Tenants' contracts because it needs the tenant; feature modules already depend on them.
/// </summary>
public abstract class TenantPage : AccessCheckedPage
{
    private TenantAccessResult? access;

    [Inject] private ITenantAccess TenantAccess { get; set; } = default!;

    /// <summary>The route's tenant (<c>/admin/tenants/{TenantId:guid}/…</c>); unset on routes under another record.</summary>
    [Parameter] public Guid? TenantId { get; set; }

    /// <summary>The tenant the page shows; set whenever <see cref="AccessCheckedPage.Decision"/> is Allowed.</summary>
    protected TenantSummary Tenant => access?.Tenant ?? throw new InvalidOperationException("The tenant is known only once access is decided.");

    /// <summary>The signed-in user's membership of the tenant's workspace; set whenever the decision is Allowed.</summary>
    protected WorkspaceMembershipInfo Membership => access?.Membership ?? throw new InvalidOperationException("The membership is known only once access is decided.");

    /// <summary>
    /// The capability without which the page answers 403; <c>tenant.view</c> unless the page says otherwise. Actions ask
    /// again on the server: this only decides whether the page is shown.
    /// </summary>
    protected virtual Capability RequiredCapability => Capability.TenantView;

    /// <summary>Whether the user's role includes <paramref name="capability"/> — to show a button; the service checks again.</summary>
    protected bool Can(Capability capability) => access?.Can(capability) == true;

    /// <summary>The tenant this page is about: the route's by default; null answers 404.</summary>
    protected virtual Task<Guid?> FindTenantIdAsync() => Task.FromResult(TenantId);

    /// <summary>Loads what the page shows; called only when the decision is Allowed.</summary>
    protected virtual Task OnAllowedAsync() => Task.CompletedTask;

    protected sealed override async Task<AccessDecision> DecideAsync(Guid userId)
    {
        access = null;
        access = await FindTenantIdAsync() is { } tenantId
            ? await TenantAccess.DecideAsync(tenantId, userId, RequiredCapability)
            : TenantAccessResult.NotFound;
        if (access.IsAllowed)
        {
            await OnAllowedAsync();
        }

        return access.Decision;
    }
}
