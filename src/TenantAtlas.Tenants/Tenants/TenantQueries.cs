using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Tenants.Data;

namespace TenantAtlas.Tenants.Tenants;

internal sealed class TenantQueries(IDbContextFactory<TenantsDbContext> dbFactory) : ITenantCatalog, ITenantConnectionSource, ITenantsByEntraId
{
    public async Task<IReadOnlyList<TenantSummary>> FindByEntraTenantIdsAsync(IReadOnlyCollection<Guid> entraTenantIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenants = await db.Tenants.AsNoTracking().Where(t => entraTenantIds.Contains(t.EntraTenantId)).ToListAsync(cancellationToken);
        return tenants.Select(ToSummary).ToList();
    }

    public async Task<TenantSummary?> GetAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        return tenant is null ? null : ToSummary(tenant);
    }

    public async Task<IReadOnlyList<TenantSummary>> ListAsync(IReadOnlyCollection<Guid> workspaceIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenants = await db.Tenants.AsNoTracking().Where(t => workspaceIds.Contains(t.WorkspaceId))
            .OrderBy(t => t.DisplayName).ToListAsync(cancellationToken);
        return tenants.Select(ToSummary).ToList();
    }

    async Task<TenantConnection?> ITenantConnectionSource.GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new TenantConnection(t.Id, t.EntraTenantId, t.ClientId, t.ProtectedClientSecret, new Uri(t.GraphBaseUrl), new Uri(t.AuthorityHost)))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static TenantSummary ToSummary(Tenant t) =>
        new(t.Id, t.WorkspaceId, t.DisplayName, t.EntraTenantId, t.ClientId, t.ProtectedClientSecret is not null,
            new Uri(t.GraphBaseUrl), new Uri(t.AuthorityHost), t.CreatedAt, t.UpdatedAt);
}

internal sealed class TenantAdministration(
    IDbContextFactory<TenantsDbContext> dbFactory,
    IDataProtectionProvider dataProtection,
    TimeProvider clock) : ITenantAdministration
{
    public async Task<Guid> EnsureTenantAsync(Guid workspaceId, string displayName, Guid entraTenantId, Guid clientId, string clientSecret, Uri graphBaseUrl, Uri authorityHost, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Tenants.FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.DisplayName == displayName, cancellationToken);
        if (existing is not null)
        {
            // The demo's emulator may move between runs: keep the endpoints current, never touch anything else.
            existing.GraphBaseUrl = graphBaseUrl.ToString();
            existing.AuthorityHost = authorityHost.ToString();
            await db.SaveChangesAsync(cancellationToken);
            return existing.Id;
        }

        var now = clock.GetUtcNow();
        var tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = workspaceId,
            DisplayName = displayName,
            EntraTenantId = entraTenantId,
            ClientId = clientId,
            ProtectedClientSecret = dataProtection.CreateProtector(TenantSecretProtection.Purpose).Protect(clientSecret),
            GraphBaseUrl = graphBaseUrl.ToString(),
            AuthorityHost = authorityHost.ToString(),
            CreatedAt = now,
            UpdatedAt = now,
            SecretUpdatedAt = now,
        };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(cancellationToken);
        return tenant.Id;
    }
}
