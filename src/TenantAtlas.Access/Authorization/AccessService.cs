using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;

namespace TenantAtlas.Access.Authorization;

internal sealed class AccessService(IDbContextFactory<AccessDbContext> dbFactory) : IAccessService
{
    public async Task<AccessDecision> CheckAsync(Guid userId, Guid workspaceId, Capability capability, CancellationToken cancellationToken = default)
    {
        var role = await GetRoleAsync(userId, workspaceId, cancellationToken);
        return role switch
        {
            null => AccessDecision.NotFound,
            { } r when r.Grants(capability) => AccessDecision.Allowed,
            _ => AccessDecision.Forbidden,
        };
    }

    public async Task<WorkspaceRole?> GetRoleAsync(Guid userId, Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var role = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.WorkspaceId == workspaceId)
            .Select(m => m.Role)
            .FirstOrDefaultAsync(cancellationToken);
        return role is null ? null : Enum.Parse<WorkspaceRole>(role);
    }

    public async Task<IReadOnlyList<WorkspaceMembershipInfo>> ListMembershipsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from m in db.Memberships.AsNoTracking()
                          join w in db.Workspaces.AsNoTracking() on m.WorkspaceId equals w.Id
                          where m.UserId == userId
                          orderby w.Name
                          select new { w.Id, w.Name, m.Role }).ToListAsync(cancellationToken);
        return rows.Select(r => new WorkspaceMembershipInfo(r.Id, r.Name, Enum.Parse<WorkspaceRole>(r.Role))).ToList();
    }

    public async Task<bool> IsPlatformAdminAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.IsPlatformAdmin, cancellationToken);
    }

    public async Task<WorkspaceMembershipInfo?> GetMembershipAsync(Guid userId, Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (from m in db.Memberships.AsNoTracking()
                         join w in db.Workspaces.AsNoTracking() on m.WorkspaceId equals w.Id
                         where m.UserId == userId && m.WorkspaceId == workspaceId
                         select new { w.Id, w.Name, m.Role }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new WorkspaceMembershipInfo(row.Id, row.Name, Enum.Parse<WorkspaceRole>(row.Role));
    }

    public async Task<UserAccessSummary> GetSummaryAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from u in db.Users.AsNoTracking()
                          where u.Id == userId
                          from m in db.Memberships.AsNoTracking().Where(m => m.UserId == u.Id).DefaultIfEmpty()
                          from w in db.Workspaces.AsNoTracking().Where(w => m != null && w.Id == m.WorkspaceId).DefaultIfEmpty()
                          orderby w.Name
                          select new { u.IsPlatformAdmin, WorkspaceId = (Guid?)w.Id, WorkspaceName = w.Name, Role = m.Role }).ToListAsync(cancellationToken);
        var memberships = rows.Where(r => r.WorkspaceId is not null && r.Role is not null)
            .Select(r => new WorkspaceMembershipInfo(r.WorkspaceId!.Value, r.WorkspaceName, Enum.Parse<WorkspaceRole>(r.Role))).ToList();
        return new UserAccessSummary(memberships, rows.Any(r => r.IsPlatformAdmin));
    }

    public async Task<string?> GetUserLabelAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
    }
}
