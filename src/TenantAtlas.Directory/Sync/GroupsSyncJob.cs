using Microsoft.Extensions.Logging;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Directory.Sync;

/// <summary>
/// <c>directory_groups.sync</c>: reads the tenant's groups through the gateway — changes since the stored delta link, or
/// everything the first time and after the link expired (410) — and upserts each page in one statement. After a full read,
/// live groups the run did not receive are marked deleted. The new delta link is stored only after every page was processed,
/// so a failed run is simply read again. Counts: total / processed (groups and removals received, plus groups a full read
/// found gone), created, updated, deleted, unchanged, failed (items that could not be cached); throttling from the Graph metrics.
/// </summary>
internal sealed class GroupsSyncJob(
    DirectoryStore store,
    IGraphGateway graph,
    ITenantGraphJobEnvelope tenantGraph,
    TimeProvider clock,
    ILogger<GroupsSyncJob> logger) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        // A read that fails as a whole (persistent 5xx, throttled beyond the retries, no permission, tenant busy) is one
        // failure entry on "groups": nothing is marked deleted and the delta link stays as it was, so the next run covers this one.
        var work = new TenantGraphWork((tenant, ct) => SyncAsync(run, tenant.TenantId, ct)) { FailureItem = "groups" };
        if (await tenantGraph.RunAsync(run, work, cancellationToken) != TenantGraphWorkEnd.Completed)
        {
            return OperationJobResult.Failed;
        }

        run.Set(OperationSummaryKeys.Succeeded, run.Get(OperationSummaryKeys.Processed) - run.Get(OperationSummaryKeys.Failed));
        await run.ReportProgressAsync(cancellationToken);
        return run.Get(OperationSummaryKeys.Failed) == 0 ? OperationJobResult.Succeeded : OperationJobResult.PartiallySucceeded;
    }

    private async Task SyncAsync(IOperationRunContext run, Guid tenantId, CancellationToken cancellationToken)
    {
        var deltaLink = await store.GetGroupsDeltaLinkAsync(tenantId, cancellationToken);
        (bool Full, string Link) read;
        try
        {
            read = await ReadAsync(run, tenantId, deltaLink, cancellationToken);
        }
        catch (GraphDeltaExpiredException e) when (deltaLink is not null && !cancellationToken.IsCancellationRequested)
        {
            // 410: the stored link is no good any more. Read everything; what the delta pages already cached stays (idempotent).
            logger.LogInformation("Groups delta link of tenant {TenantId} expired ({Code}); reading all groups again", tenantId, e.ErrorCode);
            await store.ClearGroupsDeltaLinkAsync(tenantId, cancellationToken);
            read = await ReadAsync(run, tenantId, null, cancellationToken);
        }

        // The new link is stored only now, after every page was processed: a run that failed half-way is simply read again.
        var gone = await store.CompleteGroupsSyncAsync(tenantId, run.RunId, read.Full, read.Link, clock.GetUtcNow(), cancellationToken);
        run.Increment(OperationSummaryKeys.Deleted, gone);
        run.Increment(OperationSummaryKeys.Total, gone);
        run.Increment(OperationSummaryKeys.Processed, gone);
    }

    private async Task<(bool Full, string Link)> ReadAsync(IOperationRunContext run, Guid tenantId, string? deltaLink, CancellationToken cancellationToken)
    {
        // A separate "now" per page would make updated_at differ within one run; one instant per read keeps it one change.
        var now = clock.GetUtcNow();
        await foreach (var page in graph.ReadGroupsAsync(tenantId, deltaLink, cancellationToken))
        {
            run.Increment(OperationSummaryKeys.Total, page.Groups.Count + page.Removed.Count);
            var valid = new Dictionary<string, GraphGroup>(StringComparer.Ordinal);
            var invalid = 0;
            foreach (var group in page.Groups)
            {
                if (IsValidId(group.Id))
                {
                    valid[group.Id] = group; // the same group twice in one page: the later one wins
                }
                else
                {
                    invalid++;
                    run.Increment(OperationSummaryKeys.Failed);
                    await run.AddFailureAsync("invalid_group", "Graph returned a group without a usable id; it was not cached.", group.DisplayName ?? "(no name)", cancellationToken);
                }
            }

            var duplicates = page.Groups.Count - valid.Count - invalid;
            var counts = await store.UpsertGroupsAsync(tenantId, run.RunId, now, [.. valid.Values], cancellationToken);
            run.Increment(OperationSummaryKeys.Created, counts.Created);
            run.Increment(OperationSummaryKeys.Updated, counts.Updated);
            run.Increment(OperationSummaryKeys.Unchanged, counts.Unchanged + duplicates);

            var removed = page.Removed.Select(r => r.Id).Where(IsValidId).Distinct(StringComparer.Ordinal).ToList();
            var deleted = await store.MarkGroupsDeletedAsync(tenantId, now, removed, cancellationToken);
            run.Increment(OperationSummaryKeys.Deleted, deleted);
            // A removal of a group the cache does not know (or already marked deleted) changes nothing.
            run.Increment(OperationSummaryKeys.Unchanged, page.Removed.Count - deleted);

            run.Increment(OperationSummaryKeys.Processed, page.Groups.Count + page.Removed.Count);
            await run.ReportProgressAsync(cancellationToken);
            if (page.DeltaLink is { } link)
            {
                return (page.IsFullSync, link);
            }
        }

        throw new GraphRequestException(GraphFailureKind.Unknown, "noDeltaLink", "The groups read ended without a delta link.") { TenantId = tenantId };
    }

    internal static bool IsValidId(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= 200;
}
