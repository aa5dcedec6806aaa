using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>
/// Where 404 vs 403 is decided for a run (viewer, API, cancel, retry): a run of a workspace the user is not a member of
/// is not found, exactly like a run that does not exist; a member without the capability that starts the run's type
/// (rule 4) is forbidden. Decided from the database on every call by the access service (rule 6), never cached.
/// </summary>
internal sealed class RunAccess(IAccessService access, OperationTypeRegistry registry)
{
    public async Task<AccessDecision> DecideAsync(Actor actor, Guid? workspaceId, string? type, CancellationToken cancellationToken) =>
        workspaceId is not { } workspace || type is null ? AccessDecision.NotFound
        : actor is UserActor user ? await DecideForUserAsync(user.UserId, workspace, type, cancellationToken)
        : AccessDecision.Allowed;

    public async Task<AccessDecision> DecideForUserAsync(Guid userId, Guid workspaceId, string type, CancellationToken cancellationToken)
    {
        var role = await access.GetRoleAsync(userId, workspaceId, cancellationToken);
        if (role is null)
        {
            return AccessDecision.NotFound;
        }

        // A type we no longer know (history) is visible to owners only.
        var capability = registry.Find(type)?.Capability ?? Capability.WorkspaceMembersManage;
        return role.Value.Grants(capability) ? AccessDecision.Allowed : AccessDecision.Forbidden;
    }
}
