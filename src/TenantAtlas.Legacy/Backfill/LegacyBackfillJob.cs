using TenantAtlas.Legacy.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy.Backfill;

/// <summary>
/// The job of <c>legacy.backfill</c>: the backfill of the run's workspace, its counts in the run's summary (processed =
/// legacy rows of the workspace read, created = runs added, skipped = rows that already had their run, unmapped = rows of
/// old tenants mapped to no tenant, in any workspace). Safe to repeat from the start: every row is one run, ever.
/// </summary>
internal sealed class LegacyBackfillJob(LegacyBackfill backfill) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        var results = await backfill.RunAsync(run.WorkspaceId, counts: (read, added, already) =>
        {
            run.Set(OperationSummaryKeys.Processed, read);
            run.Set(OperationSummaryKeys.Created, added);
            run.Set(OperationSummaryKeys.Skipped, already);
        }, cancellationToken: cancellationToken);
        run.Set(OperationSummaryKeys.Processed, results.Sum(r => r.Read));
        run.Set(OperationSummaryKeys.Created, results.Sum(r => r.Added));
        run.Set(OperationSummaryKeys.Skipped, results.Sum(r => r.AlreadyBackfilled));
        run.Set(LegacyOperationTypes.UnmappedKey, results.Sum(r => r.Unmapped));
        return OperationJobResult.Succeeded;
    }
}
