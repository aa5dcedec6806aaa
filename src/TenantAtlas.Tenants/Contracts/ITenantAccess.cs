using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Tenants.Contracts;

/// <summary>
/// The one tenant access decision: every tenant page (through <see cref="Ui.TenantPage"/>) and every service acting on a
/// tenant asks this, so 404 versus 403 is decided here and nowhere else. Reads the tenant and the membership on every
/// call, so a role change applies at once.
/// </summary>
public interface ITenantAccess
{
    /// <summary>
    /// Unknown tenant, or a user who is not a member of its workspace → <see cref="AccessDecision.NotFound"/> (the two
    /// cannot be told apart, and neither carries the tenant); a member without <paramref name="capability"/> (default
    /// <c>tenant.view</c>) → <see cref="AccessDecision.Forbidden"/>; otherwise <see cref="AccessDecision.Allowed"/>.
    /// </summary>
    Task<TenantAccessResult> DecideAsync(Guid tenantId, Guid userId, Capability? capability = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// The decision with what it was made from. <see cref="Tenant"/> and <see cref="Membership"/> are set for Allowed and
/// Forbidden (a member may learn the tenant exists), never for NotFound.
/// </summary>
public sealed record TenantAccessResult(AccessDecision Decision, TenantSummary? Tenant, WorkspaceMembershipInfo? Membership)
{
    public static TenantAccessResult NotFound { get; } = new(AccessDecision.NotFound, null, null);

    public bool IsAllowed => Decision == AccessDecision.Allowed;

    /// <summary>Whether the member's role includes <paramref name="capability"/>; false for a non-member.</summary>
    public bool Can(Capability capability) => Membership?.Has(capability) == true;

    /// <summary>The decision for another capability of the same member, without asking the database again.</summary>
    public AccessDecision For(Capability capability) =>
        Membership is null ? AccessDecision.NotFound : Can(capability) ? AccessDecision.Allowed : AccessDecision.Forbidden;
}
