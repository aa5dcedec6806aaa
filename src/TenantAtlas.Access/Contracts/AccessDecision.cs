namespace TenantAtlas.Access.Contracts;

/// <summary>
/// The one answer every page and acting service gets: a non-member cannot tell the thing exists (404);
/// a member lacking the capability is told no (403).
/// </summary>
public enum AccessDecision
{
    Allowed,
    NotFound,
    Forbidden,
}
