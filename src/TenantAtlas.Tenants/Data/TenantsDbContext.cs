using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Tenants.Data;

internal sealed class Tenant
{
    public Guid Id { get; set; }

    /// <summary>The owning workspace (Access module). No cross-module foreign key: modules own their tables.</summary>
    public Guid WorkspaceId { get; set; }

    public required string DisplayName { get; set; }

    public Guid EntraTenantId { get; set; }

    public Guid ClientId { get; set; }

    /// <summary>Data Protection payload; the plaintext never reaches this table.</summary>
    public string? ProtectedClientSecret { get; set; }

    public required string GraphBaseUrl { get; set; }

    public required string AuthorityHost { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SecretUpdatedAt { get; set; }
}

internal sealed class TenantsDbContext(DbContextOptions<TenantsDbContext> options) : DbContext(options)
{
    public const string Schema = "tenants";

    public DbSet<Tenant> Tenants => Set<Tenant>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.GraphBaseUrl).HasMaxLength(500);
            e.Property(x => x.AuthorityHost).HasMaxLength(500);
            e.HasIndex(x => new { x.WorkspaceId, x.DisplayName }).IsUnique();
        });
    }
}

internal sealed class TenantsDbContextDesignFactory : IDesignTimeDbContextFactory<TenantsDbContext>
{
    public TenantsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TenantsDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", TenantsDbContext.Schema);
        return new TenantsDbContext(options.Options);
    }
}
