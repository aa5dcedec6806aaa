using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.Access.Users;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Access.Data;

/// <summary>The Access module's tables, in schema <c>access</c>: Identity, workspaces, memberships, audit.</summary>
internal sealed class AccessDbContext(DbContextOptions<AccessDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options)
{
    public const string Schema = "access";

    internal DbSet<Workspace> Workspaces => Set<Workspace>();

    internal DbSet<Membership> Memberships => Set<Membership>();

    internal DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    internal DbSet<Tokens.PersonalAccessToken> PersonalAccessTokens => Set<Tokens.PersonalAccessToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.Entity<AppUser>().ToTable("users");
        builder.Entity<IdentityRole<Guid>>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        builder.Entity<Workspace>(e =>
        {
            e.ToTable("workspaces");
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => x.Name).IsUnique();
        });

        builder.Entity<Membership>(e =>
        {
            e.ToTable("memberships");
            e.HasKey(x => new { x.WorkspaceId, x.UserId });
            e.Property(x => x.Role).HasMaxLength(20);
            e.HasIndex(x => x.UserId);
            e.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.ToTable(t => t.HasCheckConstraint("ck_memberships_role", "role IN ('Owner','Manager','Operator','Readonly')"));
        });

        builder.Entity<Tokens.PersonalAccessToken>(e =>
        {
            e.ToTable("personal_access_tokens");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Prefix).HasMaxLength(16);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.Property(x => x.ActorLabel).HasMaxLength(320);
            e.Property(x => x.Action).HasMaxLength(100);
            e.Property(x => x.Summary).HasMaxLength(2000);
            e.HasIndex(x => new { x.WorkspaceId, x.Id });
            e.HasIndex(x => x.OperationRunId);
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the model without the host.</summary>
internal sealed class AccessDbContextDesignFactory : IDesignTimeDbContextFactory<AccessDbContext>
{
    public AccessDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AccessDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", AccessDbContext.Schema);
        return new AccessDbContext(options.Options);
    }
}
