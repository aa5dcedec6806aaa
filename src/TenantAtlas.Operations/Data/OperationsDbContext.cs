using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Data;

/// <summary>A row of <c>operations.operation_runs</c>. Only <see cref="RunStore"/> writes it; status changes are conditional updates.</summary>
internal sealed class OperationRun
{
    public long Id { get; set; }

    public Guid WorkspaceId { get; set; }

    public Guid? TenantId { get; set; }

    public required string Type { get; set; }

    public OperationRunStatus Status { get; set; }

    public OperationRunOutcome Outcome { get; set; }

    public IdentityRule IdentityRule { get; set; }

    public required string IdentityKey { get; set; }

    /// <summary>jsonb: what the identity key was computed from.</summary>
    public required string IdentitySource { get; set; }

    /// <summary>jsonb: the inputs the run was started with.</summary>
    public required string Context { get; set; }

    /// <summary>jsonb: summary counts.</summary>
    public required string Summary { get; set; }

    /// <summary>jsonb array of failure entries.</summary>
    public required string Failures { get; set; }

    public required string InitiatorKind { get; set; }

    public Guid? InitiatorUserId { get; set; }

    public required string InitiatorLabel { get; set; }

    public string? InitiatorReason { get; set; }

    public long? RetryOfRunId { get; set; }

    public Guid? ScheduleId { get; set; }

    public DateTimeOffset? ScheduledFor { get; set; }

    public Guid? RestoreRequestId { get; set; }

    public string? HangfireJobId { get; set; }

    public DateTimeOffset? DispatchClaimedAt { get; set; }

    /// <summary>How often the upkeep replaced this run's lost Hangfire job (once at most; the next loss fails the run).</summary>
    public int JobRedispatches { get; set; }

    /// <summary>How often a worker shutting down handed this run back to the queue (bounded by Operations:MaxHandBacks).</summary>
    public int HandBacks { get; set; }

    public DateTimeOffset? HeartbeatAt { get; set; }

    public DateTimeOffset? CancellationRequestedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? CompletionReason { get; set; }

    /// <summary>For history backfilled from the old system: the legacy table and row this run stands for (one run per row, ever).</summary>
    public string? LegacyTable { get; set; }

    public long? LegacyId { get; set; }
}

internal sealed class OperationsDbContext(DbContextOptions<OperationsDbContext> options) : DbContext(options)
{
    public const string Schema = "operations";

    public DbSet<OperationRun> Runs => Set<OperationRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<OperationRun>(e =>
        {
            e.ToTable("operation_runs", t =>
            {
                t.HasCheckConstraint("ck_operation_runs_status", "status IN ('queued','running','completed')");
                t.HasCheckConstraint("ck_operation_runs_outcome", "outcome IN ('pending','succeeded','partially_succeeded','failed','cancelled')");
                t.HasCheckConstraint("ck_operation_runs_outcome_final", "(status = 'completed') = (outcome <> 'pending')");
                t.HasCheckConstraint("ck_operation_runs_identity_rule", "identity_rule IN ('dedupe','unique_per_click','strict_schedule')");
                t.HasCheckConstraint("ck_operation_runs_schedule_slot", "identity_rule <> 'strict_schedule' OR (schedule_id IS NOT NULL AND scheduled_for IS NOT NULL)");
                t.HasCheckConstraint("ck_operation_runs_legacy_reference", "(legacy_table IS NULL) = (legacy_id IS NULL)");
                t.HasCheckConstraint("ck_operation_runs_initiator", "initiator_kind IN ('user','system') AND (initiator_kind = 'system') = (initiator_user_id IS NULL)");
            });
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Type).HasMaxLength(64);
            // Enums in code, their wire spelling in the database (the check constraints above name the spellings).
            e.Property(x => x.Status).HasMaxLength(16).HasConversion(v => v.ToWire(), v => OperationRunStates.ParseStatus(v));
            e.Property(x => x.Outcome).HasMaxLength(24).HasConversion(v => v.ToWire(), v => OperationRunStates.ParseOutcome(v));
            e.Property(x => x.IdentityRule).HasMaxLength(24).HasConversion(v => v.ToWire(), v => RunMapping.ParseRule(v));
            e.Property(x => x.IdentityKey).HasMaxLength(300);
            e.Property(x => x.IdentitySource).HasColumnType("jsonb");
            e.Property(x => x.Context).HasColumnType("jsonb");
            e.Property(x => x.Summary).HasColumnType("jsonb");
            e.Property(x => x.Failures).HasColumnType("jsonb");
            e.Property(x => x.InitiatorKind).HasMaxLength(8);
            e.Property(x => x.InitiatorLabel).HasMaxLength(320);
            e.Property(x => x.InitiatorReason).HasMaxLength(100);
            e.Property(x => x.HangfireJobId).HasMaxLength(64);
            e.Property(x => x.CompletionReason).HasMaxLength(64);
            e.Property(x => x.LegacyTable).HasMaxLength(64);
            e.HasOne<OperationRun>().WithMany().HasForeignKey(x => x.RetryOfRunId).OnDelete(DeleteBehavior.Restrict);

            // Rule 3, enforced by the database: one active run per dedupe identity…
            e.HasIndex(x => x.IdentityKey, "ux_operation_runs_active_dedupe_identity").IsUnique()
                .HasFilter("status IN ('queued','running') AND identity_rule = 'dedupe'");
            // …and one run ever per schedule slot, whatever its status.
            e.HasIndex(x => new { x.ScheduleId, x.ScheduledFor }, "ux_operation_runs_schedule_slot").IsUnique()
                .HasFilter("identity_rule = 'strict_schedule'");
            // A per-click key is fresh for every start; unique all the same.
            e.HasIndex(x => x.IdentityKey, "ux_operation_runs_click_identity").IsUnique()
                .HasFilter("identity_rule = 'unique_per_click'");

            // One run ever per legacy row, across processes: the arbiter of the legacy backfill (RunStore.BackfillLegacyAsync).
            e.HasIndex(x => new { x.LegacyTable, x.LegacyId }, "ux_operation_runs_legacy_reference").IsUnique()
                .HasFilter("legacy_table IS NOT NULL");

            // Lists and keyset paging, newest first.
            e.HasIndex(x => new { x.WorkspaceId, x.Id }, "ix_operation_runs_workspace_id_desc").IsDescending(false, true);
            e.HasIndex(x => new { x.TenantId, x.Type, x.Id }, "ix_operation_runs_tenant_type_id_desc").IsDescending(false, false, true);
            e.HasIndex(x => new { x.WorkspaceId, x.Status, x.Id }, "ix_operation_runs_workspace_status_id_desc").IsDescending(false, false, true);
            // The list's status counts: one index-only scan per visible (workspace, types) scope.
            e.HasIndex(x => new { x.WorkspaceId, x.Type }, "ix_operation_runs_workspace_type_counts")
                .IncludeProperties(x => new { x.Status, x.Outcome, x.TenantId, x.CreatedAt });
            // The reconciler and the stale-run detector look only at active rows.
            e.HasIndex(x => x.Id, "ix_operation_runs_undispatched").HasFilter("status = 'queued' AND hangfire_job_id IS NULL");
            // The upkeep looks at the jobs of runs still queued with one.
            e.HasIndex(x => x.Id, "ix_operation_runs_queued_with_job").HasDatabaseName("ix_operation_runs_queued_with_job").HasFilter("status = 'queued' AND hangfire_job_id IS NOT NULL");
            e.HasIndex(x => x.HeartbeatAt, "ix_operation_runs_running_heartbeat").HasFilter("status = 'running'");
            e.HasIndex(x => x.RetryOfRunId, "ix_operation_runs_retry_of").HasFilter("retry_of_run_id IS NOT NULL");
        });
    }
}

internal sealed class OperationsDbContextDesignFactory : IDesignTimeDbContextFactory<OperationsDbContext>
{
    public OperationsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<OperationsDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", OperationsDbContext.Schema);
        return new OperationsDbContext(options.Options);
    }
}
