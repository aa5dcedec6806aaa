namespace TenantAtlas.Graph.Contracts;

public enum ConnectionVerificationStatus
{
    Succeeded,

    /// <summary>No tenant with that id in TenantAtlas.</summary>
    TenantNotFound,

    /// <summary>The tenant has no client secret stored.</summary>
    NoClientSecret,

    /// <summary>The stored secret cannot be decrypted (Data Protection keys not shared between processes?).</summary>
    SecretUnreadable,

    /// <summary>AADSTS7000215 (wrong secret) or AADSTS7000222 (expired secret).</summary>
    InvalidClientSecret,

    /// <summary>AADSTS90002: no such directory (tenant) id.</summary>
    UnknownTenant,

    /// <summary>AADSTS700016: no app with that client id in the directory.</summary>
    UnknownApplication,

    /// <summary>Signed in, but Graph answered 403 for at least one permission area.</summary>
    MissingPermissions,

    /// <summary>Graph or the authority throttled the check; try again later.</summary>
    Throttled,

    /// <summary>The authority or Graph could not be reached.</summary>
    Unreachable,

    /// <summary>Anything else; see the message and error code.</summary>
    Failed,
}

/// <summary>One permission area Verify connection probed (one read), and whether Graph allowed it.</summary>
/// <param name="Permission">The least-privileged application permission for the area, e.g. <c>DeviceManagementApps.Read.All</c>.</param>
/// <param name="Resources">Labels of the resource types this permission covers.</param>
public sealed record PermissionCheck(string Permission, IReadOnlyList<string> Resources, bool Granted);

/// <summary>The answer of "Verify connection": success, or a precise reason the user can act on.</summary>
public sealed record ConnectionVerification(
    ConnectionVerificationStatus Status,
    string Message,
    IReadOnlyList<PermissionCheck> Checks,
    string? ErrorCode = null,
    string? RequestId = null)
{
    public bool Succeeded => Status == ConnectionVerificationStatus.Succeeded;

    public IReadOnlyList<string> MissingPermissions => [.. Checks.Where(c => !c.Granted).Select(c => c.Permission)];
}
