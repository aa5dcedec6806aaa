using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;

namespace TenantAtlas.Access.Users;

internal sealed class AccessAdministration(
    UserManager<AppUser> users,
    IDbContextFactory<AccessDbContext> dbFactory,
    TimeProvider clock) : IAccessAdministration
{
    public async Task<Guid> EnsureUserAsync(string email, string password, bool isPlatformAdmin, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            if (user.IsPlatformAdmin != isPlatformAdmin)
            {
                user.IsPlatformAdmin = isPlatformAdmin;
                await users.UpdateAsync(user);
            }

            return user.Id;
        }

        user = new AppUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, IsPlatformAdmin = isPlatformAdmin, LockoutEnabled = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }

        return user.Id;
    }

    public async Task<Guid> EnsureWorkspaceAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Workspaces.Where(w => w.Name == name).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } id)
        {
            return id;
        }

        var workspace = new Workspace { Id = Guid.CreateVersion7(), Name = name, CreatedAt = clock.GetUtcNow() };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(cancellationToken);
        return workspace.Id;
    }

    public async Task EnsureMembershipAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = userId, Role = role.ToString(), CreatedAt = clock.GetUtcNow() });
        }
        else
        {
            membership.Role = role.ToString();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Guid?> FindUserIdByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        (await users.FindByEmailAsync(email))?.Id;
}
