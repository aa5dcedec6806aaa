using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Legacy.Data;

/// <summary>A tenant of the old system: its key there (<see cref="Id"/>, the run tables' <c>tenant_id</c>) and its Entra tenant id.</summary>
internal sealed class LegacyTenant
{
    public long Id { get; init; }

    public string? Name { get; init; }

    /// <summary>Text, as the old system kept it; a value that is not a GUID maps to no tenant.</summary>
    public string? EntraTenantId { get; init; }

    public DateTime? CreatedAt { get; init; }

    public DateTime? UpdatedAt { get; init; }
}

/// <summary>
/// Which TenantAtlas tenant an old tenant is (by Entra tenant id), kept by the importer; null while none or several match.
/// Not part of the old shape: the importer's own record, protected like the legacy tables.
/// </summary>
internal sealed class LegacyTenantMapping
{
    public long LegacyTenantId { get; init; }

    public Guid? TenantId { get; init; }

    public Guid? WorkspaceId { get; init; }

    /// <summary>Why the old tenant maps to nothing (no tenant with its Entra id, several, not a GUID); null when mapped.</summary>
    public string? Unmapped { get; init; }

    public DateTimeOffset MappedAt { get; init; }
}

/// <summary>The columns every old run table has. Timestamps are <c>timestamp without time zone</c> holding UTC.</summary>
internal abstract class LegacyRun
{
    public long Id { get; init; }

    public long TenantId { get; init; }

    public string? Status { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public string? ErrorMessage { get; init; }

    public long? TriggeredByUserId { get; init; }

    public string? UserEmail { get; init; }

    public DateTime? CreatedAt { get; init; }

    public DateTime? UpdatedAt { get; init; }
}

internal sealed class InventorySyncRun : LegacyRun
{
    public int? ItemsSynced { get; init; }

    public int? ItemsFailed { get; init; }
}

internal sealed class EntraGroupSyncRun : LegacyRun
{
    public int? GroupsSynced { get; init; }

    public int? GroupsDeleted { get; init; }
}

internal sealed class BackupScheduleRun : LegacyRun
{
    public long BackupScheduleId { get; init; }

    public DateTime? ScheduledFor { get; init; }

    public int? ItemsBackedUp { get; init; }

    public int? ItemsFailed { get; init; }
}

internal sealed class RestoreRun : LegacyRun
{
    public Guid? RestoreRequestId { get; init; }

    public int? ItemsRestored { get; init; }

    public int? ItemsFailed { get; init; }
}

internal sealed class RoleDefinitionSyncRun : LegacyRun
{
    public int? RolesSynced { get; init; }
}

/// <summary>
/// Schema <c>legacy</c>: the old system's tables, read-only. The database rejects every write unless the session is the
/// importer's (<c>SET LOCAL tenantatlas.legacy_import = 'on'</c>, see the migration's trigger); this context has no way to
/// save (queries read without tracking).
/// </summary>
internal sealed class LegacyDbContext(DbContextOptions<LegacyDbContext> options) : DbContext(options)
{
    public const string Schema = "legacy";

    public DbSet<LegacyTenant> Tenants => Set<LegacyTenant>();

    public DbSet<LegacyTenantMapping> TenantMappings => Set<LegacyTenantMapping>();

    public DbSet<InventorySyncRun> InventorySyncRuns => Set<InventorySyncRun>();

    public DbSet<EntraGroupSyncRun> EntraGroupSyncRuns => Set<EntraGroupSyncRun>();

    public DbSet<BackupScheduleRun> BackupScheduleRuns => Set<BackupScheduleRun>();

    public DbSet<RestoreRun> RestoreRuns => Set<RestoreRun>();

    public DbSet<RoleDefinitionSyncRun> RoleDefinitionSyncRuns => Set<RoleDefinitionSyncRun>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) => throw ReadOnly();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) => throw ReadOnly();

    private static InvalidOperationException ReadOnly() =>
        new("The legacy tables are read-only: only the legacy importer (TenantAtlas.Web legacy import) writes them.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<LegacyTenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(255);
            e.Property(x => x.EntraTenantId).HasMaxLength(255);
            Timestamps(e);
        });
        modelBuilder.Entity<LegacyTenantMapping>(e =>
        {
            e.ToTable("tenant_mappings");
            e.HasKey(x => x.LegacyTenantId);
            e.Property(x => x.LegacyTenantId).ValueGeneratedNever();
            e.Property(x => x.Unmapped).HasMaxLength(200);
            e.HasIndex(x => x.WorkspaceId);
        });
        Run<InventorySyncRun>(modelBuilder, LegacyTables.InventorySyncRuns.Name);
        Run<EntraGroupSyncRun>(modelBuilder, LegacyTables.EntraGroupSyncRuns.Name);
        Run<BackupScheduleRun>(modelBuilder, LegacyTables.BackupScheduleRuns.Name).Property(x => x.ScheduledFor).HasColumnType("timestamp without time zone");
        Run<RestoreRun>(modelBuilder, LegacyTables.RestoreRuns.Name);
        Run<RoleDefinitionSyncRun>(modelBuilder, LegacyTables.RoleDefinitionSyncRuns.Name);
    }

    private static Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> Run<T>(ModelBuilder modelBuilder, string table)
        where T : LegacyRun
    {
        var e = modelBuilder.Entity<T>();
        e.ToTable(table);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Status).HasMaxLength(32);
        e.Property(x => x.UserEmail).HasMaxLength(320);
        e.Property(x => x.StartedAt).HasColumnType("timestamp without time zone");
        e.Property(x => x.FinishedAt).HasColumnType("timestamp without time zone");
        Timestamps(e);
        // The backfill and the pages walk a tenant's rows; the importer joins on id (the primary key).
        e.HasIndex(x => x.TenantId);
        return e;
    }

    private static void Timestamps<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> e)
        where T : class
    {
        e.Property<DateTime?>("CreatedAt").HasColumnType("timestamp without time zone");
        e.Property<DateTime?>("UpdatedAt").HasColumnType("timestamp without time zone");
    }
}

internal sealed class LegacyDbContextDesignFactory : IDesignTimeDbContextFactory<LegacyDbContext>
{
    public LegacyDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<LegacyDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", LegacyDbContext.Schema);
        return new LegacyDbContext(options.Options);
    }
}
