using System.Security.Claims;

namespace TenantAtlas.Access.Contracts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id, or null for anonymous principals. Only the id is taken from the cookie; roles come from the database.</summary>
    public static Guid? GetUserId(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true
        && Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : null;
}
