namespace TenantAtlas.Access.Contracts;

/// <summary>Personal access tokens for scripts and CI (<c>Authorization: Bearer …</c>): shown once, stored hashed, expiring, revocable.</summary>
public interface IPersonalAccessTokens
{
    public const int MaxDays = 366;

    /// <summary>Creates a token for the user; the returned secret is never retrievable again.</summary>
    Task<CreatedToken> CreateAsync(Guid userId, string name, int expiresInDays, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TokenInfo>> ListAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes one of the user's own tokens; false when there is no such token.</summary>
    Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken = default);

    /// <summary>The user a valid (known, unexpired, unrevoked) token belongs to, or null.</summary>
    Task<Guid?> ValidateAsync(string token, CancellationToken cancellationToken = default);
}

public sealed record CreatedToken(Guid Id, string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"CreatedToken {{ Id = {Id}, Token = ***, ExpiresAt = {ExpiresAt:O} }}";
}

public sealed record TokenInfo(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

public static class AccessSchemes
{
    /// <summary>The authentication scheme of personal access tokens.</summary>
    public const string PersonalAccessToken = "pat";

    /// <summary>Policy for APIs: a signed-in cookie or a personal access token.</summary>
    public const string ApiPolicy = "api";
}
