namespace TenantAtlas.Access.Contracts;

/// <summary>
/// The one access service. Reads memberships from the database on every call, so a role change applies at once,
/// also inside open circuits. Pages ask it to decide 404/403; services that act ask it again.
/// </summary>
public interface IAccessService
{
    /// <summary>Not a member → <see cref="AccessDecision.NotFound"/>; member without the capability → Forbidden.</summary>
    Task<AccessDecision> CheckAsync(Guid userId, Guid workspaceId, Capability capability, CancellationToken cancellationToken = default);

    /// <summary>The caller's role in a workspace, or null when not a member.</summary>
    Task<WorkspaceRole?> GetRoleAsync(Guid userId, Guid workspaceId, CancellationToken cancellationToken = default);

    /// <summary>All workspaces the user belongs to, with the role held in each.</summary>
    Task<IReadOnlyList<WorkspaceMembershipInfo>> ListMembershipsAsync(Guid userId, CancellationToken cancellationToken = default);

    Task<bool> IsPlatformAdminAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>The caller's membership of one workspace (role and workspace name), or null when not a member. One query.</summary>
    Task<WorkspaceMembershipInfo?> GetMembershipAsync(Guid userId, Guid workspaceId, CancellationToken cancellationToken = default);

    /// <summary>What the layout shows for a user — memberships and the platform-administrator flag — in one query.</summary>
    Task<UserAccessSummary> GetSummaryAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>How to show a user in history (their email), or null for an unknown id.</summary>
    Task<string?> GetUserLabelAsync(Guid userId, CancellationToken cancellationToken = default);
}

public sealed record WorkspaceMembershipInfo(Guid WorkspaceId, string WorkspaceName, WorkspaceRole Role)
{
    public bool Has(Capability capability) => Role.Grants(capability);
}

public sealed record UserAccessSummary(IReadOnlyList<WorkspaceMembershipInfo> Memberships, bool IsPlatformAdmin);
