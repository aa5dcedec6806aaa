using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Restore.Contracts;

/// <summary>
/// Restore requests: the domain record of a restore (source backup set, target tenant, selection, the admin's choices)
/// and the runs that plan and execute it. Every call decides access itself: <c>tenant.restore.execute</c> on the
/// <b>target</b> tenant (owner and manager); an unknown request, one of another workspace, or a source set outside the
/// target's workspace answers <see cref="AccessDecision.NotFound"/> alike. Reads come from the database only.
/// </summary>
public interface IRestoreRequests
{
    Task<RestoreResult<RestoreRequestView>> CreateAsync(Guid userId, NewRestoreRequest input, CancellationToken cancellationToken = default);

    Task<RestoreResult<RestoreRequestView>> GetAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default);

    /// <summary>The target tenant's requests, newest first.</summary>
    Task<RestoreResult<IReadOnlyList<RestoreRequestView>>> ListForTenantAsync(Guid userId, Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>The requests of every tenant of the workspace the user may restore into, newest first.</summary>
    Task<IReadOnlyList<RestoreRequestView>> ListForUserAsync(Guid userId, int take = 200, CancellationToken cancellationToken = default);

    /// <summary>Starts (or returns the active) <c>restore.plan</c> run of the request. Refused once the request is cancelled or executing.</summary>
    Task<RestoreResult<StartResult>> PlanAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default);

    /// <summary>How one item is restored: update the matched object (optionally the one the admin picked among conflicting candidates) or create a copy.</summary>
    Task<RestoreResult<RestoreRequestView>> ChooseItemAsync(Guid userId, Guid requestId, ItemChoice choice, CancellationToken cancellationToken = default);

    /// <summary>Maps a referenced group, assignment filter, scope tag, notification template or reusable setting to an object of the target, or drops what uses it. Audited.</summary>
    Task<RestoreResult<RestoreRequestView>> ChooseReferenceAsync(Guid userId, Guid requestId, ReferenceChoice choice, CancellationToken cancellationToken = default);

    /// <summary>Cancels a request that is not executing or finished; its plan stays readable.</summary>
    Task<RestoreResult<RestoreRequestView>> CancelAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default);
}

/// <summary>
/// What to restore. <see cref="Families"/> selects whole families of the set, <see cref="ItemIds"/> single items (backup
/// item ids of the set); the selection is their union and must not be empty.
/// </summary>
public sealed record NewRestoreRequest(Guid SourceBackupSetId, Guid TargetTenantId, IReadOnlyList<string> Families, IReadOnlyList<long> ItemIds)
{
    /// <summary>Appended to the display name of items restored as copies.</summary>
    public string CopySuffix { get; init; } = RestoreDefaults.CopySuffix;
}

public static class RestoreDefaults
{
    public const string CopySuffix = " (restored)";

    public const int MaxCopySuffixLength = 50;
}

/// <summary>An answer with its access decision; <see cref="Error"/> is a message for people when the input was refused.</summary>
public sealed record RestoreResult<T>(AccessDecision Decision, T? Value, string? Error = null)
{
    public bool Ok => Decision == AccessDecision.Allowed && Error is null && Value is not null;
}

public static class RestoreResult
{
    public static RestoreResult<T> Denied<T>(AccessDecision decision) => new(decision, default);

    public static RestoreResult<T> Refused<T>(string error) => new(AccessDecision.Allowed, default, error);
}

/// <summary>Where a request stands, derived from its runs where possible.</summary>
public enum RestoreState
{
    /// <summary>Created; no plan yet, or the last plan run failed.</summary>
    Draft,

    /// <summary>A plan run is queued or running.</summary>
    Planning,

    /// <summary>A plan is stored and can be reviewed.</summary>
    Planned,

    Executing,
    Completed,
    Failed,

    /// <summary>The request was cancelled before it executed: its plan stays readable, nothing more can be done.</summary>
    Cancelled,

    /// <summary>
    /// The execute run was cancelled: what it wrote stays written (its ledger says what), the rest was not run. The
    /// request can be planned again to finish, or rolled back.
    /// </summary>
    Stopped,
}

public enum RestoreItemMode
{
    /// <summary>Update the matched object of the target (or create it when there is none).</summary>
    UpdateExisting,

    /// <summary>Always create a new object, its name suffixed.</summary>
    CreateCopy,
}

/// <param name="TargetObjectId">For <see cref="RestoreItemMode.UpdateExisting"/>: the candidate the admin picked when the plan found several; null to let the plan match.</param>
public sealed record ItemChoice(long BackupItemId, RestoreItemMode Mode, string? TargetObjectId = null);

public enum ReferenceKind
{
    Group,
    AssignmentFilter,
    ScopeTag,

    /// <summary>A notification message template named by a compliance policy's notification action.</summary>
    NotificationTemplate,

    /// <summary>A reusable setting of the settings catalog named by a setting value of a settings catalog policy.</summary>
    ReusableSetting,
}

public enum ReferenceAction
{
    /// <summary>Use <see cref="ReferenceChoice.TargetId"/> in the target for the source's id.</summary>
    Map,

    /// <summary>
    /// Drop what uses the source's id: the assignments (group, filter), the scope tag, the notification action (template),
    /// the reference value (reusable setting).
    /// </summary>
    Drop,

    /// <summary>Forget an earlier choice: the plan resolves the reference again.</summary>
    Clear,
}

public sealed record ReferenceChoice(ReferenceKind Kind, string SourceId, ReferenceAction Action, string? TargetId = null);

/// <param name="RollbackOfRequestId">Set on a rollback: the request whose execute it takes back.</param>
/// <param name="RolledBackByRequestId">The rollback created for this request, if any (at most one).</param>
public sealed record RestoreRequestView(
    Guid Id,
    Guid WorkspaceId,
    Guid TargetTenantId,
    string TargetTenantName,
    Guid SourceTenantId,
    string SourceTenantName,
    Guid SourceBackupSetId,
    DateTimeOffset? SourceBackupSetCreatedAt,
    IReadOnlyList<string> Families,
    IReadOnlyList<long> ItemIds,
    string CopySuffix,
    RestoreState State,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long? PlanRunId,
    long? ExecuteRunId,
    IReadOnlyList<ItemChoiceView> ItemChoices,
    IReadOnlyList<ReferenceChoiceView> ReferenceChoices,
    Guid? RollbackOfRequestId = null,
    Guid? RolledBackByRequestId = null)
{
    public bool IsCrossTenant => SourceTenantId != TargetTenantId;
}

public sealed record ItemChoiceView(long BackupItemId, RestoreItemMode Mode, string? TargetObjectId, string ChosenBy, DateTimeOffset ChosenAt);

public sealed record ReferenceChoiceView(ReferenceKind Kind, string SourceId, ReferenceAction Action, string? TargetId, string? TargetDisplayName, string ChosenBy, DateTimeOffset ChosenAt);

/// <summary>The Restore module's operation type (ARCHITECTURE.md): <c>restore.plan</c>, registered by this module.</summary>
public static class RestoreOperationTypes
{
    public const string Plan = "restore.plan";

    public static OperationTypeDefinition PlanDefinition { get; } = new(
        Plan, "Restore plan", IdentityRule.Dedupe, Capability.TenantRestoreExecute, UserStartable: true, DedupeScope.RestoreRequest,
        ExtraSummaryKeys: [RestorePlanSummaryKeys.Creates, RestorePlanSummaryKeys.Updates, RestorePlanSummaryKeys.Identical,
            RestorePlanSummaryKeys.Conflicts, RestorePlanSummaryKeys.Blocked, RestorePlanSummaryKeys.Deletes]);
}

/// <summary>The plan run's counts besides the common ones (total, processed).</summary>
public static class RestorePlanSummaryKeys
{
    public const string Creates = "creates";
    public const string Updates = "updates";
    public const string Identical = "identical";
    public const string Conflicts = "conflicts";
    public const string Blocked = "blocked";

    /// <summary>A rollback's plan: objects the rolled-back execute created, which the rollback deletes.</summary>
    public const string Deletes = "deletes";
}

public static class RestoreAuditActions
{
    public const string RequestCreated = "restore_request.created";
    public const string ItemChosen = "restore_request.item_chosen";
    public const string ReferenceChosen = "restore_request.reference_chosen";
    public const string RequestCancelled = "restore_request.cancelled";
    public const string ExecuteStarted = "restore_request.execute_started";
    public const string RollbackCreated = "restore_request.rollback_created";
}
