namespace TenantAtlas.Access.Contracts;

/// <summary>Idempotent account and workspace set-up for the demo seed and admin commands.</summary>
public interface IAccessAdministration
{
    Task<Guid> EnsureUserAsync(string email, string password, bool isPlatformAdmin, CancellationToken cancellationToken = default);

    Task<Guid> EnsureWorkspaceAsync(string name, CancellationToken cancellationToken = default);

    Task EnsureMembershipAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken = default);

    Task<Guid?> FindUserIdByEmailAsync(string email, CancellationToken cancellationToken = default);
}
