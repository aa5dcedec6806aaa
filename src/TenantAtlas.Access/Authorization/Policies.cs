using Microsoft.AspNetCore.Authorization;
using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Access.Authorization;

// Pages and services ask IAccessService for a capability themselves (with the tenant or workspace they load); the only
// endpoint policy is the platform administrator's.
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
