using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Directory.Data;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Directory.Settings;

/// <summary>
/// Saves a tenant's directory configuration. The acting user is checked against <c>tenant.manage</c> here, on every save
/// (the page hiding its button is not the check); the change is audited.
/// </summary>
internal sealed class DirectorySettingsService(
    IDbContextFactory<DirectoryDbContext> dbFactory,
    ITenantCatalog tenants,
    ITenantAccess tenantAccess,
    IAccessService access,
    IAuditLog audit,
    TimeProvider clock) : ITenantDirectorySettings
{
    public const string AuditAction = "tenant.directory_settings.update";
    public const int MaxProtectedGroups = 500;

    public async Task<DirectorySettingsSaveResult> SaveAsync(Actor actor, Guid tenantId, TenantDirectorySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        TenantSummary? tenant;
        Guid? userId = null;
        string? userLabel = null;
        if (actor is UserActor user)
        {
            var decision = await tenantAccess.DecideAsync(tenantId, user.UserId, Capability.TenantManage, cancellationToken);
            if (!decision.IsAllowed)
            {
                return new DirectorySettingsSaveResult(decision.Decision, false);
            }

            tenant = decision.Tenant!;
            userId = user.UserId;
            userLabel = await access.GetUserLabelAsync(user.UserId, cancellationToken);
        }
        else
        {
            tenant = await tenants.GetAsync(tenantId, cancellationToken);
            if (tenant is null)
            {
                return new DirectorySettingsSaveResult(AccessDecision.NotFound, false);
            }
        }

        var groups = settings.ProtectedGroupIds.Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var role = string.IsNullOrWhiteSpace(settings.DelegatedAdminRoleDefinitionId) ? null : settings.DelegatedAdminRoleDefinitionId.Trim();
        if (groups.Count > MaxProtectedGroups)
        {
            return new DirectorySettingsSaveResult(AccessDecision.Allowed, false, $"At most {MaxProtectedGroups} protected groups.");
        }

        if (groups.Any(g => !Sync.GroupsSyncJob.IsValidId(g)) || (role is not null && !Sync.GroupsSyncJob.IsValidId(role)))
        {
            return new DirectorySettingsSaveResult(AccessDecision.Allowed, false, "Not a valid directory object id.");
        }

        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var row = await db.Settings.FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
            if (row is null)
            {
                row = new DirectorySettings { TenantId = tenantId, WorkspaceId = tenant.WorkspaceId };
                db.Settings.Add(row);
            }

            row.ProtectedGroupIds = groups;
            row.DelegatedAdminRoleDefinitionId = role;
            row.UpdatedAt = now;
            row.UpdatedByUserId = userId;
            row.UpdatedBy = userLabel ?? (actor as SystemActor)?.Reason;
            await db.SaveChangesAsync(cancellationToken);
        }

        await audit.WriteAsync(
            new AuditRecord(actor, tenant.WorkspaceId, AuditAction,
                $"Directory configuration of {tenant.DisplayName}: {groups.Count} protected group(s), delegated-admin role {role ?? "none"}", tenantId),
            cancellationToken);
        return new DirectorySettingsSaveResult(AccessDecision.Allowed, true);
    }
}
