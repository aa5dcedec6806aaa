namespace TenantAtlas.Tenants.Contracts;

/// <summary>What other modules may know about a tenant. Never carries the secret.</summary>
public sealed record TenantSummary(
    Guid Id,
    Guid WorkspaceId,
    string DisplayName,
    Guid EntraTenantId,
    Guid ClientId,
    bool HasClientSecret,
    Uri GraphBaseUrl,
    Uri AuthorityHost,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public interface ITenantCatalog
{
    Task<TenantSummary?> GetAsync(Guid tenantId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TenantSummary>> ListAsync(IReadOnlyCollection<Guid> workspaceIds, CancellationToken cancellationToken = default);
}

/// <summary>Tenants found by their Entra tenant id (bringing history from another system, which knows tenants only by that).</summary>
public interface ITenantsByEntraId
{
    /// <summary>Every tenant whose Entra tenant id is one of <paramref name="entraTenantIds"/> (an Entra tenant may be in several workspaces).</summary>
    Task<IReadOnlyList<TenantSummary>> FindByEntraTenantIdsAsync(IReadOnlyCollection<Guid> entraTenantIds, CancellationToken cancellationToken = default);
}

/// <summary>
/// The stored connection of a tenant, with the client secret still protected. Only the Graph module may call this and
/// unprotect the secret (with <see cref="TenantSecretProtection.Purpose"/>), at the moment it builds a credential.
/// </summary>
public interface ITenantConnectionSource
{
    Task<TenantConnection?> GetAsync(Guid tenantId, CancellationToken cancellationToken = default);
}

public sealed record TenantConnection(Guid TenantId, Guid EntraTenantId, Guid ClientId, string? ProtectedClientSecret, Uri GraphBaseUrl, Uri AuthorityHost)
{
    /// <summary>Never print the protected payload either.</summary>
    public override string ToString() => $"TenantConnection {{ TenantId = {TenantId}, EntraTenantId = {EntraTenantId}, ClientId = {ClientId}, Secret = ***, GraphBaseUrl = {GraphBaseUrl} }}";
}

public static class TenantSecretProtection
{
    /// <summary>The Data Protection purpose of tenant client secrets. Keys are shared through PostgreSQL; the app name is fixed.</summary>
    public const string Purpose = "TenantAtlas.Tenants.ClientSecret.v1";
}

public static class GraphDefaults
{
    public static readonly Uri GraphBaseUrl = new("https://graph.microsoft.com");

    public static readonly Uri AuthorityHost = new("https://login.microsoftonline.com");
}

/// <summary>Idempotent tenant set-up for the demo seed.</summary>
public interface ITenantAdministration
{
    Task<Guid> EnsureTenantAsync(Guid workspaceId, string displayName, Guid entraTenantId, Guid clientId, string clientSecret, Uri graphBaseUrl, Uri authorityHost, CancellationToken cancellationToken = default);
}

/// <summary>
/// A section another module contributes to the tenant overview (Verify connection, sync status, …), rendered in
/// <see cref="Order"/> with parameters <c>TenantId</c> (Guid), <c>WorkspaceId</c> (Guid) and <c>UserId</c> (Guid). The
/// component checks its own capabilities on the server; the overview only shows it to members who may view the tenant.
/// </summary>
public sealed record TenantPanel(Type Component, int Order);
