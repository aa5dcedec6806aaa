using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Operations.Contracts;

/// <summary>How starting an operation type relates to runs that already exist (ARCHITECTURE.md rule 3).</summary>
public enum IdentityRule
{
    /// <summary>While a run of the same identity is queued or running, starting again returns it.</summary>
    Dedupe,

    /// <summary>Every start creates a new run.</summary>
    UniquePerClick,

    /// <summary>At most one run ever per (schedule id, intended fire time), whatever its status.</summary>
    StrictSchedule,
}

/// <summary>What deduplicating runs of a type share: the tenant (syncs), the restore request, or the workspace (a run of no tenant).</summary>
public enum DedupeScope
{
    Tenant,
    RestoreRequest,

    /// <summary>One active run per workspace; the run has no tenant and is started by the system only (e.g. <c>legacy.backfill</c>).</summary>
    Workspace,
}

/// <summary>
/// One operation type: its key, identity rule, the capability that starts and views it, and whether users may start it.
/// <paramref name="HandBackOnShutdown"/>: whether a run interrupted by a worker shutting down may be run again from the
/// start by another worker (the type's work is safe to repeat); when false it is completed as failed (worker_stopped).
/// </summary>
public sealed record OperationTypeDefinition(
    string Key,
    string Label,
    IdentityRule IdentityRule,
    Capability Capability,
    bool UserStartable,
    DedupeScope DedupeScope = DedupeScope.Tenant,
    string? RetryType = null,
    IReadOnlyList<string>? ExtraSummaryKeys = null,
    bool HandBackOnShutdown = true)
{
    public IReadOnlyList<string> SummaryKeys { get; } = [.. OperationSummaryKeys.Common, .. ExtraSummaryKeys ?? []];
}

/// <summary>The seven operation types of ARCHITECTURE.md. Modules register jobs for them; Operations knows only their rules.</summary>
public static class OperationTypes
{
    public const string InventorySync = "inventory.sync";
    public const string DirectoryGroupsSync = "directory_groups.sync";
    public const string DirectoryRoleDefinitionsSync = "directory_role_definitions.sync";
    public const string BackupRunNow = "backup_schedule.run_now";
    public const string BackupRetry = "backup_schedule.retry";
    public const string BackupScheduled = "backup_schedule.scheduled";
    public const string RestoreExecute = "restore.execute";

    public static IReadOnlyList<OperationTypeDefinition> All { get; } =
    [
        new(InventorySync, "Inventory sync", IdentityRule.Dedupe, Capability.TenantInventorySync, UserStartable: true),
        new(DirectoryGroupsSync, "Directory groups sync", IdentityRule.Dedupe, Capability.TenantDirectorySync, UserStartable: true),
        new(DirectoryRoleDefinitionsSync, "Role definitions sync", IdentityRule.Dedupe, Capability.TenantDirectorySync, UserStartable: true),
        new(BackupRunNow, "Backup (run now)", IdentityRule.UniquePerClick, Capability.TenantBackupsRun, UserStartable: true, RetryType: BackupRetry, ExtraSummaryKeys: ["pruned"]),
        new(BackupRetry, "Backup (retry)", IdentityRule.UniquePerClick, Capability.TenantBackupsRun, UserStartable: true, RetryType: BackupRetry, ExtraSummaryKeys: ["pruned"]),
        new(BackupScheduled, "Scheduled backup", IdentityRule.StrictSchedule, Capability.TenantBackupsRun, UserStartable: false, RetryType: BackupRetry, ExtraSummaryKeys: ["pruned"]),
        // A restore writes to the tenant as it goes: repeating it from the start after an interruption is not known to be safe.
        // Its counts beyond the common ones: items the target changed since the plan (or the plan left in conflict), and blocked items.
        new(RestoreExecute, "Restore", IdentityRule.Dedupe, Capability.TenantRestoreExecute, UserStartable: true, DedupeScope: DedupeScope.RestoreRequest,
            ExtraSummaryKeys: ["conflicts", "blocked"], HandBackOnShutdown: false),
    ];
}

/// <summary>The common vocabulary of a run's summary counts.</summary>
public static class OperationSummaryKeys
{
    public const string Total = "total";
    public const string Processed = "processed";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
    public const string Unchanged = "unchanged";
    public const string ThrottledRequests = "throttled_requests";
    public const string ThrottleWaitSeconds = "throttle_wait_seconds";

    public static IReadOnlyList<string> Common { get; } =
        [Total, Processed, Succeeded, Failed, Skipped, Created, Updated, Deleted, Unchanged, ThrottledRequests, ThrottleWaitSeconds];
}
