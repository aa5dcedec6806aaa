using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Directory.Data;

/// <summary>
/// A cached Entra group of a tenant. Never erased: a group that vanished from the tenant gets <see cref="DeletedAt"/>.
/// Tenant ids point into the Tenants module: no cross-module foreign keys.
/// </summary>
internal sealed class CachedGroup
{
    public Guid TenantId { get; set; }

    public required string GraphId { get; set; }

    public required string DisplayName { get; set; }

    public string? Description { get; set; }

    public string? Mail { get; set; }

    public bool SecurityEnabled { get; set; }

    public bool MailEnabled { get; set; }

    public List<string> GroupTypes { get; set; } = [];

    /// <summary>SHA-256 (hex) of the cached properties: equal hash = unchanged.</summary>
    public required string ContentHash { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When the cached properties last changed (created, renamed, deleted, restored).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>The run that last received this group: a full sync marks deleted every group it did not receive.</summary>
    public long LastSeenRunId { get; set; }
}

/// <summary>A cached Intune RBAC role definition of a tenant; marked deleted, never erased.</summary>
internal sealed class CachedRoleDefinition
{
    public Guid TenantId { get; set; }

    public required string GraphId { get; set; }

    public required string DisplayName { get; set; }

    public string? Description { get; set; }

    public bool IsBuiltIn { get; set; }

    public bool IsDeleted { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public required string ContentHash { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long LastSeenRunId { get; set; }
}

/// <summary>Per tenant: the stored groups delta link and when each cache was last completely synced (by which run).</summary>
internal sealed class DirectorySyncState
{
    public Guid TenantId { get; set; }

    /// <summary>Stored only after every page of a read was processed; null = the next groups sync reads everything.</summary>
    public string? GroupsDeltaLink { get; set; }

    public DateTimeOffset? GroupsSyncedAt { get; set; }

    public long? GroupsRunId { get; set; }

    public DateTimeOffset? GroupsFullSyncAt { get; set; }

    public DateTimeOffset? RoleDefinitionsSyncedAt { get; set; }

    public long? RoleDefinitionsRunId { get; set; }
}

/// <summary>A tenant's directory configuration (protected groups, delegated-admin role definition).</summary>
internal sealed class DirectorySettings
{
    public Guid TenantId { get; set; }

    public Guid WorkspaceId { get; set; }

    public List<string> ProtectedGroupIds { get; set; } = [];

    public string? DelegatedAdminRoleDefinitionId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid? UpdatedByUserId { get; set; }

    public string? UpdatedBy { get; set; }
}

internal sealed class DirectoryDbContext(DbContextOptions<DirectoryDbContext> options) : DbContext(options)
{
    public const string Schema = "directory";

    public DbSet<CachedGroup> Groups => Set<CachedGroup>();

    public DbSet<CachedRoleDefinition> RoleDefinitions => Set<CachedRoleDefinition>();

    public DbSet<DirectorySyncState> SyncStates => Set<DirectorySyncState>();

    public DbSet<DirectorySettings> Settings => Set<DirectorySettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<CachedGroup>(e =>
        {
            e.ToTable("groups");
            e.HasKey(x => new { x.TenantId, x.GraphId });
            e.Property(x => x.GraphId).HasMaxLength(200);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.Mail).HasMaxLength(500);
            e.Property(x => x.ContentHash).HasMaxLength(64);
            // The grid and the pickers list a tenant's live groups by name.
            e.HasIndex(x => new { x.TenantId, x.DisplayName }).HasFilter("deleted_at IS NULL");
        });
        modelBuilder.Entity<CachedRoleDefinition>(e =>
        {
            e.ToTable("role_definitions");
            e.HasKey(x => new { x.TenantId, x.GraphId });
            e.Property(x => x.GraphId).HasMaxLength(200);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.ContentHash).HasMaxLength(64);
        });
        modelBuilder.Entity<DirectorySyncState>(e =>
        {
            e.ToTable("sync_states");
            e.HasKey(x => x.TenantId);
        });
        modelBuilder.Entity<DirectorySettings>(e =>
        {
            e.ToTable("tenant_settings");
            e.HasKey(x => x.TenantId);
            e.Property(x => x.DelegatedAdminRoleDefinitionId).HasMaxLength(200);
            e.Property(x => x.UpdatedBy).HasMaxLength(320);
        });
    }
}

internal sealed class DirectoryDbContextDesignFactory : IDesignTimeDbContextFactory<DirectoryDbContext>
{
    public DirectoryDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DirectoryDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", DirectoryDbContext.Schema);
        return new DirectoryDbContext(options.Options);
    }
}
