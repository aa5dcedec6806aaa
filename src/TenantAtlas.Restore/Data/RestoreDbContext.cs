using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Restore.Contracts;

namespace TenantAtlas.Restore.Data;

/// <summary>
/// A restore request: what to restore from which backup set into which tenant, and the admin's choices. Tenant, workspace,
/// backup set and run ids point into other modules: no cross-module foreign keys.
/// </summary>
internal sealed class RestoreRequest
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    public Guid TargetTenantId { get; set; }

    public Guid SourceTenantId { get; set; }

    public Guid SourceBackupSetId { get; set; }

    /// <summary>Registry keys of whole families selected.</summary>
    public List<string> Families { get; set; } = [];

    /// <summary>Backup item ids selected one by one.</summary>
    public List<long> ItemIds { get; set; } = [];

    public required string CopySuffix { get; set; }

    public Guid CreatedByUserId { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The latest <c>restore.plan</c> run started for the request.</summary>
    public long? PlanRunId { get; set; }

    /// <summary>The latest <c>restore.execute</c> run (Restore, part 2).</summary>
    public long? ExecuteRunId { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public List<RestoreItemChoice> ItemChoices { get; set; } = [];

    public List<RestoreReferenceChoice> ReferenceChoices { get; set; } = [];

    /// <summary>
    /// Set on a rollback: the request whose executes this one takes back (its source sets are those executes' pre-restore
    /// snapshots).
    /// </summary>
    public Guid? RollbackOfRequestId { get; set; }

    /// <summary>
    /// Further sets <see cref="ItemIds"/> are picked from, besides <see cref="SourceBackupSetId"/>. Only a rollback has any:
    /// a request executed more than once (stopped, planned again, executed again) is put back object by object from the
    /// earliest snapshot that holds the object, which may be the snapshot of a later execute.
    /// </summary>
    public List<Guid> MoreSourceSetIds { get; set; } = [];

    /// <summary>Every set the request's items come from: <see cref="SourceBackupSetId"/> first.</summary>
    public IReadOnlyList<Guid> SourceSetIds() => [SourceBackupSetId, .. MoreSourceSetIds];

    /// <summary>On a rollback: the objects the rolled-back execute created, which the rollback deletes.</summary>
    public List<RestoreDeletion> Deletions { get; set; } = [];
}

/// <summary>
/// An object a rollback deletes: one the rolled-back execute created in the target (its ledger says so). It is not in
/// any backup set — the snapshot was taken before it existed — so the rollback request lists it here and its plan shows
/// it as a <see cref="PlanAction.Delete"/> item.
/// </summary>
internal sealed class RestoreDeletion
{
    public long Id { get; set; }

    public Guid RequestId { get; set; }

    public required string Family { get; set; }

    public required string ObjectId { get; set; }

    public required string DisplayName { get; set; }

    public string? ODataType { get; set; }

    /// <summary>The execute run that created the object.</summary>
    public long CreatedByRunId { get; set; }
}

/// <summary>How the admin wants one item restored (absent: update the matched object, or create when none matches).</summary>
internal sealed class RestoreItemChoice
{
    public Guid RequestId { get; set; }

    public long BackupItemId { get; set; }

    public RestoreItemMode Mode { get; set; }

    /// <summary>The candidate picked among several the plan found (a conflict); null to let the plan match.</summary>
    public string? TargetObjectId { get; set; }

    public required string ChosenBy { get; set; }

    public DateTimeOffset ChosenAt { get; set; }
}

/// <summary>The admin's answer for a referenced group, assignment filter or scope tag of the source.</summary>
internal sealed class RestoreReferenceChoice
{
    public Guid RequestId { get; set; }

    public ReferenceKind Kind { get; set; }

    public required string SourceId { get; set; }

    public ReferenceAction Action { get; set; }

    public string? TargetId { get; set; }

    public string? TargetDisplayName { get; set; }

    public required string ChosenBy { get; set; }

    public DateTimeOffset ChosenAt { get; set; }
}

/// <summary>What a <c>restore.plan</c> run found: one per run; the request shows its newest.</summary>
internal sealed class RestorePlan
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public long OperationRunId { get; set; }

    /// <summary>When the run began reading the target: a backup or inventory of the target completed after it makes the plan stale.</summary>
    public DateTimeOffset ReadStartedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The dependency map (jsonb array of <c>PlanReference</c>): every group, filter and scope tag the selection references.</summary>
    public string References { get; set; } = "[]";

    /// <summary>The target's protected groups at planning time (jsonb array of <c>{id, displayName}</c>).</summary>
    public string ProtectedGroups { get; set; } = "[]";

    /// <summary>Every assignment filter of the target as the plan read it (jsonb array of <c>{id, displayName, platform}</c>): what a filter may be mapped to.</summary>
    public string TargetAssignmentFilters { get; set; } = "[]";

    /// <summary>Every scope tag of the target as the plan read it (jsonb array of <c>{id, displayName}</c>): what a scope tag may be mapped to.</summary>
    public string TargetScopeTags { get; set; } = "[]";

    /// <summary>Every notification message template of the target as the plan read it (jsonb array of <c>{id, displayName}</c>), when the selection names any.</summary>
    public string TargetNotificationTemplates { get; set; } = "[]";

    /// <summary>Every reusable setting of the target as the plan read it (jsonb array of <c>{id, displayName}</c>), when the selection names any.</summary>
    public string TargetReusableSettings { get; set; } = "[]";

    public int Creates { get; set; }

    public int Updates { get; set; }

    public int Identical { get; set; }

    public int Conflicts { get; set; }

    public int Blocked { get; set; }

    /// <summary>Objects a rollback deletes (created by the execute it takes back).</summary>
    public int Deletes { get; set; }

    public List<RestorePlanItem> Items { get; set; } = [];
}

internal enum PlanAction
{
    Create,
    Update,
    Skip,
    Conflict,
    Blocked,

    /// <summary>A rollback deletes an object the rolled-back execute created (<see cref="RestorePlanItem.DeletionId"/>).</summary>
    Delete,
}

/// <summary>How the plan found the item's object in the target.</summary>
internal enum PlanMatch
{
    /// <summary>No object matched: the restore creates one.</summary>
    None,

    /// <summary>Same id (a same-tenant restore).</summary>
    Id,

    /// <summary>Same <c>@odata.type</c> and the only object with the display name.</summary>
    Name,

    /// <summary>Several objects could be it: a conflict until the admin picks one or chooses a copy.</summary>
    Ambiguous,

    /// <summary>The admin picked the object.</summary>
    Chosen,

    /// <summary>The admin chose to create a copy.</summary>
    Copy,

    /// <summary>A tenant's built-in default (one per type, only updatable) matched to the target's default of the same type.</summary>
    TenantDefault,
}

/// <summary>One selected backup item in a plan: what the restore would do with it, and why.</summary>
internal sealed class RestorePlanItem
{
    public long Id { get; set; }

    public Guid PlanId { get; set; }

    /// <summary>The backup item restored; null for a <see cref="PlanAction.Delete"/> item (see <see cref="DeletionId"/>).</summary>
    public long? BackupItemId { get; set; }

    /// <summary>For a <see cref="PlanAction.Delete"/> item: the request's <see cref="RestoreDeletion"/>.</summary>
    public long? DeletionId { get; set; }

    public required string Family { get; set; }

    public required string SourceGraphId { get; set; }

    public required string DisplayName { get; set; }

    public string? ODataType { get; set; }

    public PlanAction Action { get; set; }

    /// <summary>For people: why blocked or in conflict, what a skip means.</summary>
    public string? Reason { get; set; }

    public PlanMatch Match { get; set; }

    public string? TargetObjectId { get; set; }

    public string? TargetDisplayName { get; set; }

    /// <summary>The candidates of an ambiguous match (jsonb array of <c>{id, displayName, lastModifiedDateTime}</c>).</summary>
    public string Candidates { get; set; } = "[]";

    /// <summary>The field diff, target's current object → backup (<c>ObjectDiff</c> as jsonb); empty for a create.</summary>
    public string ContentDiff { get; set; } = """{"changes":[]}""";

    /// <summary>The assignment diff, target's current assignments → the backup's with references mapped (<c>AssignmentDiff</c>).</summary>
    public string AssignmentDiff { get; set; } = """{"changes":[]}""";

    /// <summary>The references of this item that are unresolved or ambiguous (jsonb array of <c>{kind, sourceId}</c>): they block its assignments.</summary>
    public string Blockers { get; set; } = "[]";

    /// <summary>
    /// The target's assignments to protected groups that the backup does not have (jsonb array of assignment objects): an
    /// update keeps them — they are in the "after" side of <see cref="AssignmentDiff"/>, so they never show as removed.
    /// </summary>
    public string ProtectedAssignments { get; set; } = "[]";

    /// <summary>
    /// The target object as the plan read it, its assignments under <c>assignments</c> (jsonb; null for a create): execute
    /// compares it with a fresh read.
    /// </summary>
    public string? TargetContent { get; set; }

    public DateTimeOffset? TargetLastModifiedAt { get; set; }

    public string? TargetVersion { get; set; }
}

/// <summary>What a <c>restore.execute</c> run did (or is doing) with one plan item.</summary>
internal enum ItemResult
{
    /// <summary>The write began and its result is not recorded yet: after a crash, the item is checked in the target before anything is written again.</summary>
    Writing,
    Created,
    Updated,
    Deleted,

    /// <summary>Identical in the plan, or already as intended in the target: nothing written.</summary>
    Skipped,

    /// <summary>The target object changed since the plan, or the plan's item was a conflict: not written.</summary>
    Conflict,

    /// <summary>The plan's item was blocked: not written.</summary>
    Blocked,

    /// <summary>Graph refused or failed the write (<see cref="RestoreItemResult.ErrorCode"/>, <see cref="RestoreItemResult.ErrorMessage"/>).</summary>
    Failed,

    /// <summary>The run was cancelled (or stopped) before the item was reached.</summary>
    NotRun,
}

/// <summary>
/// The ledger: one row per plan item per <c>restore.execute</c> run, written as the run goes. A row in
/// <see cref="ItemResult.Writing"/> is written before the item's first Graph write, so a crash never leaves a write
/// unaccounted for; any other result is final and the item is never written again by that run.
/// </summary>
internal sealed class RestoreItemResult
{
    public long Id { get; set; }

    public Guid RequestId { get; set; }

    public long OperationRunId { get; set; }

    public long PlanItemId { get; set; }

    public long? BackupItemId { get; set; }

    public required string Family { get; set; }

    public required string DisplayName { get; set; }

    public string? ODataType { get; set; }

    public PlanAction PlannedAction { get; set; }

    public ItemResult Result { get; set; }

    /// <summary>The object in the target: the one updated or deleted, or the id Graph gave the created one.</summary>
    public string? TargetObjectId { get; set; }

    /// <summary>Whether the assignment set was written (<c>/assign</c>) for this item.</summary>
    public bool AssignmentsWritten { get; set; }

    /// <summary>Graph's error code, or the product's own (e.g. <c>changed_since_plan</c>).</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Sanitized: no secrets, no tokens.</summary>
    public string? ErrorMessage { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

internal sealed class RestoreDbContext(DbContextOptions<RestoreDbContext> options) : DbContext(options)
{
    public const string Schema = "restore";

    public DbSet<RestoreRequest> Requests => Set<RestoreRequest>();

    public DbSet<RestoreItemChoice> ItemChoices => Set<RestoreItemChoice>();

    public DbSet<RestoreReferenceChoice> ReferenceChoices => Set<RestoreReferenceChoice>();

    public DbSet<RestorePlan> Plans => Set<RestorePlan>();

    public DbSet<RestorePlanItem> PlanItems => Set<RestorePlanItem>();

    public DbSet<RestoreDeletion> Deletions => Set<RestoreDeletion>();

    public DbSet<RestoreItemResult> ItemResults => Set<RestoreItemResult>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<RestoreRequest>(e =>
        {
            e.ToTable("restore_requests");
            e.Property(x => x.CopySuffix).HasMaxLength(RestoreDefaults.MaxCopySuffixLength);
            e.Property(x => x.CreatedBy).HasMaxLength(300);
            e.HasIndex(x => new { x.TargetTenantId, x.CreatedAt });
            e.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
            // Retention asks which sets are in use.
            e.HasIndex(x => x.SourceBackupSetId);
            e.HasMany(x => x.ItemChoices).WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.ReferenceChoices).WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Deletions).WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            // At most one rollback of a request.
            e.HasIndex(x => x.RollbackOfRequestId).IsUnique();
        });
        modelBuilder.Entity<RestoreDeletion>(e =>
        {
            e.ToTable("restore_request_deletions");
            e.Property(x => x.Family).HasMaxLength(100);
            e.Property(x => x.ObjectId).HasMaxLength(200);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.ODataType).HasMaxLength(300);
            e.HasIndex(x => new { x.RequestId, x.Family, x.ObjectId }).IsUnique();
        });
        modelBuilder.Entity<RestoreItemResult>(e =>
        {
            e.ToTable("restore_item_results");
            e.Property(x => x.Family).HasMaxLength(100);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.ODataType).HasMaxLength(300);
            e.Property(x => x.PlannedAction).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Result).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.TargetObjectId).HasMaxLength(200);
            e.Property(x => x.ErrorCode).HasMaxLength(200);
            e.Property(x => x.ErrorMessage).HasMaxLength(2000);
            // One row per item per run: a redelivered run finds the item's row instead of writing it twice.
            e.HasIndex(x => new { x.OperationRunId, x.PlanItemId }).IsUnique();
            e.HasIndex(x => new { x.RequestId, x.OperationRunId });
        });
        modelBuilder.Entity<RestoreItemChoice>(e =>
        {
            e.ToTable("restore_item_choices");
            e.HasKey(x => new { x.RequestId, x.BackupItemId });
            e.Property(x => x.Mode).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.TargetObjectId).HasMaxLength(200);
            e.Property(x => x.ChosenBy).HasMaxLength(300);
        });
        modelBuilder.Entity<RestoreReferenceChoice>(e =>
        {
            e.ToTable("restore_reference_choices");
            e.HasKey(x => new { x.RequestId, x.Kind, x.SourceId });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.SourceId).HasMaxLength(200);
            e.Property(x => x.TargetId).HasMaxLength(200);
            e.Property(x => x.TargetDisplayName).HasMaxLength(1000);
            e.Property(x => x.ChosenBy).HasMaxLength(300);
        });
        modelBuilder.Entity<RestorePlan>(e =>
        {
            e.ToTable("restore_plans");
            e.HasIndex(x => x.OperationRunId).IsUnique();
            e.HasIndex(x => new { x.RequestId, x.CreatedAt });
            e.Property(x => x.References).HasColumnType("jsonb");
            e.Property(x => x.ProtectedGroups).HasColumnType("jsonb");
            e.Property(x => x.TargetAssignmentFilters).HasColumnType("jsonb");
            e.Property(x => x.TargetScopeTags).HasColumnType("jsonb");
            e.Property(x => x.TargetNotificationTemplates).HasColumnType("jsonb");
            e.Property(x => x.TargetReusableSettings).HasColumnType("jsonb");
            e.HasMany(x => x.Items).WithOne().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RestorePlanItem>(e =>
        {
            e.ToTable("restore_plan_items");
            e.Property(x => x.Family).HasMaxLength(100);
            e.Property(x => x.SourceGraphId).HasMaxLength(200);
            e.Property(x => x.DisplayName).HasMaxLength(1000);
            e.Property(x => x.ODataType).HasMaxLength(300);
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Match).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Reason).HasMaxLength(2000);
            e.Property(x => x.TargetObjectId).HasMaxLength(200);
            e.Property(x => x.TargetDisplayName).HasMaxLength(1000);
            e.Property(x => x.TargetVersion).HasMaxLength(100);
            e.Property(x => x.Candidates).HasColumnType("jsonb");
            e.Property(x => x.ContentDiff).HasColumnType("jsonb");
            e.Property(x => x.AssignmentDiff).HasColumnType("jsonb");
            e.Property(x => x.Blockers).HasColumnType("jsonb");
            e.Property(x => x.ProtectedAssignments).HasColumnType("jsonb").HasDefaultValueSql("'[]'::jsonb");
            e.Property(x => x.TargetContent).HasColumnType("jsonb");
            e.HasIndex(x => new { x.PlanId, x.BackupItemId }).IsUnique();
        });
    }
}

internal sealed class RestoreDbContextDesignFactory : IDesignTimeDbContextFactory<RestoreDbContext>
{
    public RestoreDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<RestoreDbContext>();
        ModuleDatabaseRegistration.ConfigureNpgsql(options, "Host=localhost;Database=design", RestoreDbContext.Schema);
        return new RestoreDbContext(options.Options);
    }
}
