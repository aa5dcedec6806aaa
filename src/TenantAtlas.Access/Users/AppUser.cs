using Microsoft.AspNetCore.Identity;

namespace TenantAtlas.Access.Users;

/// <summary>A local account. The platform-administrator flag is not a workspace role.</summary>
internal sealed class AppUser : IdentityUser<Guid>
{
    public bool IsPlatformAdmin { get; set; }

    public string? DisplayName { get; set; }
}
