using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Graph.Data;

/// <summary>A tenant's row in <c>graph.throttle_budgets</c>: the lock that serializes budget decisions for the tenant.</summary>
internal sealed class ThrottleBudget
{
    public Guid TenantId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Requests and writes admitted for a tenant in one time slot (slot = unix ms / slot length).</summary>
internal sealed class ThrottleBudgetSlot
{
    public Guid TenantId { get; set; }

    public long Slot { get; set; }

    public int Requests { get; set; }

    public int Writes { get; set; }
}

/// <summary>
/// The Graph module's tables (schema <c>graph</c>): only the throttle budget. Delta links are not stored here: the gateway
/// returns them and the module that caches groups (Directory) stores them with its cache.
/// </summary>
internal sealed class GraphDbContext(DbContextOptions<GraphDbContext> options) : DbContext(options)
{
    public const string Schema = "graph";

    public DbSet<ThrottleBudget> ThrottleBudgets => Set<ThrottleBudget>();

    public DbSet<ThrottleBudgetSlot> ThrottleBudgetSlots => Set<ThrottleBudgetSlot>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<ThrottleBudget>(e =>
        {
            e.ToTable("throttle_budgets");
            e.HasKey(x => x.TenantId);
            e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        });
        modelBuilder.Entity<ThrottleBudgetSlot>(e =>
        {
            e.ToTable("throttle_budget_slots", t =>
            {
                t.HasCheckConstraint("ck_throttle_budget_slots_requests", "requests >= 0");
                t.HasCheckConstraint("ck_throttle_budget_slots_writes", "writes >= 0");
            });
            e.HasKey(x => new { x.TenantId, x.Slot });
            e.HasOne<ThrottleBudget>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

internal sealed class GraphDbContextDesignFactory : IDesignTimeDbContextFactory<GraphDbContext>
{
    public GraphDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<GraphDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", GraphDbContext.Schema);
        return new GraphDbContext(options.Options);
    }
}
