using Microsoft.AspNetCore.Authorization;
using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Access.Authorization;

/// <summary>Authorization policies derived from the capability registry, for endpoints (resource: the workspace id).</summary>
internal sealed record CapabilityRequirement(Capability Capability) : IAuthorizationRequirement;

internal sealed class CapabilityHandler(IAccessService access) : AuthorizationHandler<CapabilityRequirement, Guid>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CapabilityRequirement requirement, Guid workspaceId)
    {
        if (context.User.GetUserId() is { } userId
            && await access.CheckAsync(userId, workspaceId, requirement.Capability) == AccessDecision.Allowed)
        {
            context.Succeed(requirement);
        }
    }
}

internal sealed class PlatformAdminRequirement : IAuthorizationRequirement;

internal sealed class PlatformAdminHandler(IAccessService access) : AuthorizationHandler<PlatformAdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PlatformAdminRequirement requirement)
    {
        if (context.User.GetUserId() is { } userId && await access.IsPlatformAdminAsync(userId))
        {
            context.Succeed(requirement);
        }
    }
}
