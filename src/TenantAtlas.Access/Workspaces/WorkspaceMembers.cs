using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;
using TenantAtlas.Access.Users;

namespace TenantAtlas.Access.Workspaces;

internal sealed record MemberView(Guid UserId, string Email, WorkspaceRole Role, bool HasPassword);

internal sealed record WorkspaceView(Guid Id, string Name);

/// <summary>Outcome of a membership change; failures carry a message fit for the user.</summary>
internal sealed record MemberChangeResult(AccessDecision Decision, string? Error = null, string? InvitationLink = null)
{
    public bool Succeeded => Decision == AccessDecision.Allowed && Error is null;

    internal static MemberChangeResult Ok(string? invitationLink = null) => new(AccessDecision.Allowed, null, invitationLink);

    internal static MemberChangeResult Fail(string error) => new(AccessDecision.Allowed, error);

    internal static MemberChangeResult Denied(AccessDecision decision) => new(decision);
}

/// <summary>
/// Members and roles of a workspace. Every action re-checks the acting user's capability (the page is never the only check)
/// and keeps at least one owner.
/// </summary>
internal interface IWorkspaceMembers
{
    Task<WorkspaceView?> GetWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MemberView>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Adds an existing user, or invites a new one by email (an account without a password and a one-time link to set it).</summary>
    Task<MemberChangeResult> AddAsync(Guid actingUserId, Guid workspaceId, string email, WorkspaceRole role, Func<Guid, string, string> invitationLink, CancellationToken cancellationToken = default);

    Task<MemberChangeResult> ChangeRoleAsync(Guid actingUserId, Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken = default);

    Task<MemberChangeResult> RemoveAsync(Guid actingUserId, Guid workspaceId, Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Platform administrators only: creates a workspace with its first owner.</summary>
    Task<(Guid? WorkspaceId, string? Error)> CreateWorkspaceAsync(Guid actingUserId, string name, string ownerEmail, CancellationToken cancellationToken = default);
}

internal sealed class WorkspaceMembers(
    IDbContextFactory<AccessDbContext> dbFactory,
    IAccessService access,
    IAuditLog audit,
    IServiceScopeFactory scopes,
    TimeProvider clock) : IWorkspaceMembers
{
    public async Task<WorkspaceView?> GetWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
            .Select(w => new WorkspaceView(w.Id, w.Name)).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MemberView>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from m in db.Memberships.AsNoTracking()
                          join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                          where m.WorkspaceId == workspaceId
                          orderby u.Email
                          select new { u.Id, u.Email, m.Role, HasPassword = u.PasswordHash != null }).ToListAsync(cancellationToken);
        return rows.Select(r => new MemberView(r.Id, r.Email ?? "", Enum.Parse<WorkspaceRole>(r.Role), r.HasPassword)).ToList();
    }

    public async Task<MemberChangeResult> AddAsync(Guid actingUserId, Guid workspaceId, string email, WorkspaceRole role, Func<Guid, string, string> invitationLink, CancellationToken cancellationToken = default)
    {
        var decision = await access.CheckAsync(actingUserId, workspaceId, Capability.WorkspaceMembersManage, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return MemberChangeResult.Denied(decision);
        }

        email = email.Trim();
        if (!IsEmail(email))
        {
            return MemberChangeResult.Fail("Enter a valid email address.");
        }

        string? link = null;
        // A fresh scope: UserManager's DbContext must not live as long as a circuit.
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new AppUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                return MemberChangeResult.Fail(string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            link = invitationLink(user.Id, await users.GeneratePasswordResetTokenAsync(user));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Memberships.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, cancellationToken))
        {
            return MemberChangeResult.Fail($"{email} is already a member of this workspace.");
        }

        db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, Role = role.ToString(), CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), workspaceId, "membership.added",
            link is null ? $"Added {email} as {role}." : $"Invited {email} as {role}."), cancellationToken);
        return MemberChangeResult.Ok(link);
    }

    public async Task<MemberChangeResult> ChangeRoleAsync(Guid actingUserId, Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        var decision = await access.CheckAsync(actingUserId, workspaceId, Capability.WorkspaceMembersManage, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return MemberChangeResult.Denied(decision);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberChangeResult.Fail("That person is not a member of this workspace.");
        }

        var previous = membership.Role;
        if (previous == nameof(WorkspaceRole.Owner) && role != WorkspaceRole.Owner && await IsLastOwnerAsync(db, workspaceId, cancellationToken))
        {
            return MemberChangeResult.Fail("A workspace always keeps at least one owner: make someone else owner first.");
        }

        membership.Role = role.ToString();
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), workspaceId, "membership.role_changed",
            $"Changed {await EmailOfAsync(db, userId, cancellationToken)} from {previous} to {role}."), cancellationToken);
        return MemberChangeResult.Ok();
    }

    public async Task<MemberChangeResult> RemoveAsync(Guid actingUserId, Guid workspaceId, Guid userId, CancellationToken cancellationToken = default)
    {
        var decision = await access.CheckAsync(actingUserId, workspaceId, Capability.WorkspaceMembersManage, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return MemberChangeResult.Denied(decision);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberChangeResult.Fail("That person is not a member of this workspace.");
        }

        if (membership.Role == nameof(WorkspaceRole.Owner) && await IsLastOwnerAsync(db, workspaceId, cancellationToken))
        {
            return MemberChangeResult.Fail("A workspace always keeps at least one owner: the last owner cannot be removed.");
        }

        db.Memberships.Remove(membership);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), workspaceId, "membership.removed",
            $"Removed {await EmailOfAsync(db, userId, cancellationToken)} ({membership.Role})."), cancellationToken);
        return MemberChangeResult.Ok();
    }

    public async Task<(Guid? WorkspaceId, string? Error)> CreateWorkspaceAsync(Guid actingUserId, string name, string ownerEmail, CancellationToken cancellationToken = default)
    {
        if (!await access.IsPlatformAdminAsync(actingUserId, cancellationToken))
        {
            return (null, "Only platform administrators create workspaces.");
        }

        name = name.Trim();
        if (name.Length is < 2 or > 200)
        {
            return (null, "A workspace name has 2 to 200 characters.");
        }

        using var scope = scopes.CreateScope();
        var owner = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(ownerEmail.Trim());
        if (owner is null)
        {
            return (null, $"No account with the email '{ownerEmail.Trim()}'. Create the workspace with an existing user as owner; the owner then invites others.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Workspaces.AnyAsync(w => w.Name == name, cancellationToken))
        {
            return (null, $"A workspace named '{name}' already exists.");
        }

        var workspace = new Workspace { Id = Guid.CreateVersion7(), Name = name, CreatedAt = clock.GetUtcNow() };
        db.Workspaces.Add(workspace);
        db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = owner.Id, Role = nameof(WorkspaceRole.Owner), CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), workspace.Id, "workspace.created",
            $"Created workspace '{name}' with owner {owner.Email}."), cancellationToken);
        return (workspace.Id, null);
    }

    private static async Task<bool> IsLastOwnerAsync(AccessDbContext db, Guid workspaceId, CancellationToken ct) =>
        await db.Memberships.CountAsync(m => m.WorkspaceId == workspaceId && m.Role == nameof(WorkspaceRole.Owner), ct) <= 1;

    private static async Task<string> EmailOfAsync(AccessDbContext db, Guid userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct) ?? userId.ToString();

    private static bool IsEmail(string email) =>
        email.Length is > 3 and <= 256 && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
}
