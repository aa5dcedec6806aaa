using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Backup.Data;

/// <summary>A tenant's backup schedule. Workspace and tenant ids point into other modules: no cross-module foreign keys.</summary>
internal sealed class BackupSchedule
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public required string CronExpression { get; set; }

    public required string TimeZoneId { get; set; }

    /// <summary>Registry keys of the policy families to back up (<c>GraphResourceKeys</c>).</summary>
    public List<string> Families { get; set; } = [];

    public int? KeepLast { get; set; }

    public int? KeepDays { get; set; }

    public bool Enabled { get; set; }

    /// <summary>
    /// The scheduler has computed every slot up to and including this instant (UTC). Set at creation, and reset to "now"
    /// when the cron, zone or enabled flag changes, so an edit never back-fills slots of the old definition.
    /// </summary>
    public DateTimeOffset Watermark { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One backup taken by one run: the policies of the selected families at that moment.</summary>
internal sealed class BackupSet
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The schedule it was taken for (run now, retry or scheduled); null once that schedule is deleted.</summary>
    public Guid? ScheduleId { get; set; }

    public long OperationRunId { get; set; }

    public required string RunType { get; set; }

    /// <summary>
    /// Set for the snapshot a restore takes of the objects it is about to write (Restore, part 2): the restore request it
    /// protects. Such a set has no schedule, so no schedule's retention ever prunes it; rollback restores from it.
    /// </summary>
    public Guid? PreRestoreOfRequestId { get; set; }

    public List<string> Families { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public int ItemCount { get; set; }

    public int FailedCount { get; set; }

    public long SizeBytes { get; set; }

    public List<BackupItem> Items { get; set; } = [];
}

/// <summary>One policy as Graph returned it, with its assignments, and a hash of both.</summary>
internal sealed class BackupItem
{
    public long Id { get; set; }

    public Guid BackupSetId { get; set; }

    public required string Family { get; set; }

    public required string GraphId { get; set; }

    public required string DisplayName { get; set; }

    public string? ODataType { get; set; }

    /// <summary>The policy object (jsonb), settings and definition values included.</summary>
    public required string Content { get; set; }

    /// <summary>The policy's assignments (jsonb array).</summary>
    public required string Assignments { get; set; }

    /// <summary>
    /// Secret values of the policy (the clear text of encrypted OMA-URI values), each protected by the Graph module with
    /// Data Protection the moment it was read (jsonb array of <c>{"path", "protectedValue"}</c>, path a JSON Pointer into
    /// <see cref="Content"/>). Only the Graph module unprotects them, to write them back; pages and downloads show
    /// "protected". Not part of <see cref="ContentHash"/> (a protection differs on every read).
    /// </summary>
    public string ProtectedValues { get; set; } = "[]";

    /// <summary>SHA-256 (hex) of the content and assignments as received.</summary>
    public required string ContentHash { get; set; }

    public long SizeBytes { get; set; }
}

internal sealed class BackupDbContext(DbContextOptions<BackupDbContext> options) : DbContext(options)
{
    public const string Schema = "backup";

    public DbSet<BackupSchedule> Schedules => Set<BackupSchedule>();

    public DbSet<BackupSet> Sets => Set<BackupSet>();

    public DbSet<BackupItem> Items => Set<BackupItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<BackupSchedule>(e =>
        {
            e.ToTable("backup_schedules");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.CronExpression).HasMaxLength(100);
            e.Property(x => x.TimeZoneId).HasMaxLength(100);
            e.HasIndex(x => new { x.TenantId, x.Name }).IsUnique();
            e.HasIndex(x => x.WorkspaceId);
            // The scheduler reads enabled schedules only.
            e.HasIndex(x => x.Enabled).HasFilter("enabled");
        });
        modelBuilder.Entity<BackupSet>(e =>
        {
            e.ToTable("backup_sets");
            e.Property(x => x.RunType).HasMaxLength(100);
            e.HasIndex(x => x.OperationRunId).IsUnique();
            e.HasIndex(x => new { x.TenantId, x.CreatedAt });
            e.HasIndex(x => new { x.ScheduleId, x.CreatedAt });
            e.HasIndex(x => x.PreRestoreOfRequestId).HasFilter("pre_restore_of_request_id IS NOT NULL");
            e.HasMany(x => x.Items).WithOne().HasForeignKey(x => x.BackupSetId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BackupItem>(e =>
        {
            e.ToTable("backup_items");
            e.Property(x => x.Family).HasMaxLength(100);
            e.Property(x => x.GraphId).HasMaxLength(200);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.ODataType).HasMaxLength(300);
            e.Property(x => x.Content).HasColumnType("jsonb");
            e.Property(x => x.Assignments).HasColumnType("jsonb");
            e.Property(x => x.ProtectedValues).HasColumnType("jsonb").HasDefaultValueSql("'[]'::jsonb");
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.HasIndex(x => new { x.BackupSetId, x.Family, x.GraphId }).IsUnique();
        });
    }
}

internal sealed class BackupDbContextDesignFactory : IDesignTimeDbContextFactory<BackupDbContext>
{
    public BackupDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BackupDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", BackupDbContext.Schema);
        return new BackupDbContext(options.Options);
    }
}
