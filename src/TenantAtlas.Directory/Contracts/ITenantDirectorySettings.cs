using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Directory.Contracts;

/// <summary>Saving a tenant's directory configuration: checked against <c>tenant.manage</c> on the server, audited.</summary>
public interface ITenantDirectorySettings
{
    Task<DirectorySettingsSaveResult> SaveAsync(Actor actor, Guid tenantId, TenantDirectorySettings settings, CancellationToken cancellationToken = default);
}

/// <summary>Denied (NotFound/Forbidden), invalid (<see cref="Error"/>), or saved.</summary>
public sealed record DirectorySettingsSaveResult(AccessDecision Decision, bool Saved, string? Error = null);
