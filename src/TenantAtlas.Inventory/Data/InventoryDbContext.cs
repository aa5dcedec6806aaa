using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Inventory.Data;

/// <summary>
/// One Intune policy of a tenant as the last inventory sync saw it. Rows are never erased: a policy that vanished from
/// the tenant keeps its row with <see cref="DeletedAt"/> set (and is revived if it comes back). Tenant and workspace ids
/// point into other modules: no cross-module foreign keys.
/// </summary>
internal sealed class InventoryItem
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The contract registry key of the policy family (<c>GraphResourceKeys</c>), e.g. <c>deviceConfigurations</c>.</summary>
    public required string Family { get; set; }

    public required string GraphId { get; set; }

    public required string DisplayName { get; set; }

    /// <summary><c>@odata.type</c> as listed (null for families that do not send one).</summary>
    public string? ODataType { get; set; }

    /// <summary>Windows, macOS, iOS, Android, Linux, Multiple, or null when the policy does not say.</summary>
    public string? Platform { get; set; }

    public DateTimeOffset? LastModifiedAt { get; set; }

    /// <summary>Graph's <c>version</c> as text (a number for most families, an ETag-like string for app protection).</summary>
    public string? Version { get; set; }

    /// <summary>SHA-256 (hex) of the listed object, assignments included, without OData annotations other than <c>@odata.type</c>.</summary>
    public required string ContentHash { get; set; }

    /// <summary>Null when the listing carried no assignments for this family.</summary>
    public int? AssignmentCount { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When the content hash last changed (or the item came back), i.e. when a sync last counted it as updated.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>The inventory sync run that last saw the item; items of a fully listed family not seen by that run are deleted.</summary>
    public long LastSeenRunId { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}

internal sealed class InventoryDbContext(DbContextOptions<InventoryDbContext> options) : DbContext(options)
{
    public const string Schema = "inventory";

    public DbSet<InventoryItem> Items => Set<InventoryItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<InventoryItem>(e =>
        {
            e.ToTable("inventory_items");
            e.Property(x => x.Family).HasMaxLength(100);
            e.Property(x => x.GraphId).HasMaxLength(200);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.ODataType).HasMaxLength(300).HasColumnName("odata_type");
            e.Property(x => x.Platform).HasMaxLength(50);
            e.Property(x => x.Version).HasMaxLength(100);
            e.Property(x => x.ContentHash).HasMaxLength(64);
            // The sync's upsert key (ON CONFLICT target).
            e.HasIndex(x => new { x.TenantId, x.Family, x.GraphId }).IsUnique();
            // The page: a tenant's live items by name, optionally per family.
            e.HasIndex(x => new { x.TenantId, x.DisplayName }).HasFilter("deleted_at IS NULL");
        });
    }
}

internal sealed class InventoryDbContextDesignFactory : IDesignTimeDbContextFactory<InventoryDbContext>
{
    public InventoryDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<InventoryDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", InventoryDbContext.Schema);
        return new InventoryDbContext(options.Options);
    }
}
