using Microsoft.EntityFrameworkCore;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Review;

/// <summary>One item of a plan as the review shows it: its diffs parsed back from jsonb.</summary>
internal sealed record PlanItemReview(
    long Id,
    long? BackupItemId,
    string Family,
    string SourceGraphId,
    string DisplayName,
    string? ODataType,
    PlanAction Action,
    string? Reason,
    PlanMatch Match,
    string? TargetObjectId,
    string? TargetDisplayName,
    IReadOnlyList<PlanCandidate> Candidates,
    ObjectDiff Content,
    AssignmentDiff Assignments,
    IReadOnlyList<PlanBlocker> Blockers)
{
    /// <summary>The page's key of the item (<c>?item=</c>, <c>data-item</c>): the backup item id; a rollback's delete item, which has none, the negated plan item id.</summary>
    public long Key => BackupItemId ?? -Id;
}

/// <summary>
/// The request's newest plan, everything the review page shows, and whether it may still be executed. A rollback's plan
/// also has <see cref="Deletes"/>: items of <see cref="PlanAction.Delete"/> (no backup item; <see cref="PlanItemReview.Key"/>).
/// </summary>
internal sealed record PlanReview(
    Guid PlanId,
    long OperationRunId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReadStartedAt,
    int Creates,
    int Updates,
    int Identical,
    int Conflicts,
    int Blocked,
    int Deletes,
    IReadOnlyList<PlanItemReview> Items,
    IReadOnlyList<PlanReference> References,
    IReadOnlyList<NamedObject> ProtectedGroups,
    IReadOnlyList<NamedObject> TargetAssignmentFilters,
    IReadOnlyList<NamedObject> TargetScopeTags,
    PlanFreshnessResult Freshness)
{
    /// <summary>The target's notification templates as the plan read them (none read when the selection names none).</summary>
    public IReadOnlyList<NamedObject> TargetNotificationTemplates { get; init; } = [];

    /// <summary>The target's reusable settings as the plan read them (none read when the selection names none).</summary>
    public IReadOnlyList<NamedObject> TargetReusableSettings { get; init; } = [];

    public int Count(PlanAction action) => action switch
    {
        PlanAction.Create => Creates,
        PlanAction.Update => Updates,
        PlanAction.Skip => Identical,
        PlanAction.Conflict => Conflicts,
        PlanAction.Delete => Deletes,
        _ => Blocked,
    };

    /// <summary>What an execute of this plan would write: creates, updates and (a rollback's) deletes.</summary>
    public int Writes => Creates + Updates + Deletes;

    public IEnumerable<PlanReference> Blockers => References.Where(r => r.Blocks);
}

/// <summary>
/// The read side of the review pages, from the database only. No access decision here: the pages decide through
/// <see cref="IRestoreRequests"/> (or <c>TenantPage</c> on the request's target) before they ask.
/// </summary>
internal sealed class PlanQueries(IDbContextFactory<RestoreDbContext> dbFactory, PlanFreshness freshness)
{
    /// <summary>The target tenant of a request (the page decides access on it); null for an unknown id.</summary>
    public async Task<Guid?> FindTargetTenantAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Where(r => r.Id == requestId).Select(r => (Guid?)r.TargetTenantId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The request's newest plan with its items; null when none was stored yet.</summary>
    public async Task<PlanReview?> LatestPlanAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await db.Plans.AsNoTracking().Where(p => p.RequestId == requestId)
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.OperationRunId).FirstOrDefaultAsync(cancellationToken);
        if (plan is null)
        {
            return null;
        }

        var request = await db.Requests.AsNoTracking().Include(r => r.ItemChoices).Include(r => r.ReferenceChoices)
            .AsSplitQuery().FirstAsync(r => r.Id == requestId, cancellationToken);
        var items = await db.PlanItems.AsNoTracking().Where(i => i.PlanId == plan.Id)
            .OrderBy(i => i.Family).ThenBy(i => i.DisplayName).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        return new PlanReview(
            plan.Id, plan.OperationRunId, plan.CreatedAt, plan.ReadStartedAt,
            plan.Creates, plan.Updates, plan.Identical, plan.Conflicts, plan.Blocked, plan.Deletes,
            [.. items.Select(ToReview)],
            PlanJson.Read<List<PlanReference>>(plan.References, []),
            PlanJson.Read<List<NamedObject>>(plan.ProtectedGroups, []),
            PlanJson.Read<List<NamedObject>>(plan.TargetAssignmentFilters, []),
            PlanJson.Read<List<NamedObject>>(plan.TargetScopeTags, []),
            await freshness.EvaluateAsync(plan, request, cancellationToken))
        {
            TargetNotificationTemplates = PlanJson.Read<List<NamedObject>>(plan.TargetNotificationTemplates, []),
            TargetReusableSettings = PlanJson.Read<List<NamedObject>>(plan.TargetReusableSettings, []),
        };
    }

    private static PlanItemReview ToReview(RestorePlanItem i) => new(
        i.Id, i.BackupItemId, i.Family, i.SourceGraphId, i.DisplayName, i.ODataType, i.Action, i.Reason, i.Match, i.TargetObjectId, i.TargetDisplayName,
        PlanJson.Read<List<PlanCandidate>>(i.Candidates, []),
        // A column of another shape (an older plan, hand-edited) shows as "no differences read" rather than failing the page.
        PlanJson.Read(i.ContentDiff, ObjectDiff.Identical),
        PlanJson.Read(i.AssignmentDiff, AssignmentDiff.Identical),
        PlanJson.Read<List<PlanBlocker>>(i.Blockers, []));
}
