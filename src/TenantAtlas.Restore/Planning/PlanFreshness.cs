using Microsoft.Extensions.Options;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Planning;

/// <summary>Whether a stored plan may still be executed; every reason it may not, for people.</summary>
internal sealed record PlanFreshnessResult(IReadOnlyList<string> Reasons)
{
    public bool IsStale => Reasons.Count > 0;
}

/// <summary>
/// A plan describes the target as it was read: it goes stale when it is older than <c>Restore:PlanMaxAge</c>, when a
/// backup or an inventory sync of the target completed after the plan began reading (the target may have changed and
/// TenantAtlas knows it; the request's own pre-restore snapshots do not count), or when the admin changed a choice after it was made. A stale plan must be planned again
/// before it is executed. From the database only.
/// </summary>
internal sealed class PlanFreshness(IBackupSets backupSets, IOperationRuns runs, IOptions<RestoreOptions> options, TimeProvider clock)
{
    public async Task<PlanFreshnessResult> EvaluateAsync(RestorePlan plan, RestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var reasons = new List<string>();
        var maxAge = options.Value.PlanMaxAge;
        if (clock.GetUtcNow() - plan.CreatedAt > maxAge)
        {
            reasons.Add($"The plan is older than {Describe(maxAge)}.");
        }

        if (await backupSets.LatestSetAtAsync(request.TargetTenantId, cancellationToken) is { } latestAt && latestAt > plan.ReadStartedAt
            && await BackupAfterAsync(plan, request, cancellationToken) is { } backupAt)
        {
            reasons.Add($"A backup of the target tenant was taken after the plan read it ({backupAt:u}).");
        }

        if (await runs.FindLatestSuccessfulAsync(OperationTypes.InventorySync, request.TargetTenantId, cancellationToken) is { CompletedAt: { } syncAt }
            && syncAt > plan.ReadStartedAt)
        {
            reasons.Add($"An inventory sync of the target tenant completed after the plan read it ({syncAt:u}).");
        }

        if (request.ItemChoices.Any(c => c.ChosenAt > plan.CreatedAt) || request.ReferenceChoices.Any(c => c.ChosenAt > plan.CreatedAt))
        {
            reasons.Add("Choices were changed after the plan was made.");
        }

        return new PlanFreshnessResult(reasons);
    }

    /// <summary>
    /// The newest set of the target after the plan read it, other than this request's own pre-restore snapshots: an
    /// execute's snapshot reads what the plan read, so it does not make the plan stale for the next execute of the request.
    /// </summary>
    private async Task<DateTimeOffset?> BackupAfterAsync(RestorePlan plan, RestoreRequest request, CancellationToken cancellationToken)
    {
        var sets = await backupSets.ListAsync([request.TargetTenantId], 200, cancellationToken);
        return sets.Where(s => s.CreatedAt > plan.ReadStartedAt && s.PreRestoreOfRequestId != request.Id)
            .Select(s => (DateTimeOffset?)s.CreatedAt).FirstOrDefault();
    }

    private static string Describe(TimeSpan age) =>
        age.TotalHours >= 1 && age.TotalHours == Math.Floor(age.TotalHours) ? $"{age.TotalHours:0} h" : $"{age.TotalMinutes:0} min";
}
