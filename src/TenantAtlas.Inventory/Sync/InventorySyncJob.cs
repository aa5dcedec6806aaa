using System.Buffers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Inventory.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Inventory.Sync;

/// <summary>
/// <c>inventory.sync</c>: lists every policy family of the contract registry through the gateway, one Graph page at a
/// time, and upserts the policies in set-based batches; items of a fully listed family that the run did not see are
/// marked deleted. Reports only through its run: created / updated / unchanged / deleted, progress, one failure entry per
/// family that could not be listed (→ partially succeeded, or failed when no family could), throttling figures.
/// Memory stays flat: at most one Graph page and one batch are held at a time.
/// </summary>
internal sealed class InventorySyncJob(
    IDbContextFactory<InventoryDbContext> dbFactory,
    IGraphGateway graph,
    IGraphContracts contracts,
    IGraphCallMetrics metrics,
    IGraphTenantSlots slots,
    IOptions<InventoryOptions> options) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        if (run.TenantId is not { } tenantId)
        {
            await run.AddFailureAsync("invalid_input", "The run names no tenant.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        var families = contracts.PolicyFamilies;
        foreach (var key in new[] { OperationSummaryKeys.Total, OperationSummaryKeys.Processed, OperationSummaryKeys.Created, OperationSummaryKeys.Updated, OperationSummaryKeys.Unchanged, OperationSummaryKeys.Deleted, OperationSummaryKeys.Failed })
        {
            run.Set(key, 0);
        }

        await run.ReportProgressAsync(cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var writer = new InventoryWriter((NpgsqlConnection)db.Database.GetDbConnection(), tenantId, run.RunId);
        var failedFamilies = 0;
        using (var scope = metrics.BeginScope())
        {
            try
            {
                await using var slot = await slots.AcquireAsync(tenantId, cancellationToken);
                foreach (var family in families)
                {
                    if (!await SyncFamilyAsync(run, tenantId, family.Key, writer, scope, cancellationToken))
                    {
                        failedFamilies++;
                    }
                }
            }
            catch (GraphRequestException e) when (e.Kind == GraphFailureKind.TenantBusy && !cancellationToken.IsCancellationRequested)
            {
                await run.AddFailureAsync(e.ErrorCode, Describe(e), cancellationToken: cancellationToken);
                failedFamilies = families.Count;
            }
            finally
            {
                ReportThrottling(run, scope);
            }
        }

        run.Set(OperationSummaryKeys.Failed, failedFamilies);
        run.Set(OperationSummaryKeys.Succeeded, run.Get(OperationSummaryKeys.Processed));
        await run.ReportProgressAsync(cancellationToken);
        return failedFamilies == 0 ? OperationJobResult.Succeeded
            : failedFamilies < families.Count ? OperationJobResult.PartiallySucceeded
            : OperationJobResult.Failed;
    }

    /// <summary>One family: stream its pages into batches; on success mark what vanished. False when the listing failed.</summary>
    private async Task<bool> SyncFamilyAsync(
        IOperationRunContext run, Guid tenantId, string family, InventoryWriter writer, GraphCallMetricsScope scope, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        var batch = new List<ListedPolicy>(batchSize);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            await foreach (var page in graph.ListObjectsAsync(tenantId, family, cancellationToken))
            {
                run.Increment(OperationSummaryKeys.Total, page.Items.Count);
                foreach (var item in page.Items)
                {
                    batch.Add(ListedPolicy.From(item, buffer));
                }

                if (batch.Count >= batchSize)
                {
                    await FlushAsync(run, family, writer, batch, scope, cancellationToken);
                }
            }
        }
        catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // What was listed before the failure is stored (it is what Graph said); nothing is marked deleted for a
            // family that was not listed completely.
            await FlushAsync(run, family, writer, batch, scope, cancellationToken);
            await run.AddFailureAsync(e.ErrorCode, Describe(e), family, cancellationToken);
            return false;
        }

        await FlushAsync(run, family, writer, batch, scope, cancellationToken);
        run.Increment(OperationSummaryKeys.Deleted, await writer.MarkVanishedAsync(family, cancellationToken));
        await run.ReportProgressAsync(cancellationToken);
        return true;
    }

    private static async Task FlushAsync(
        IOperationRunContext run, string family, InventoryWriter writer, List<ListedPolicy> batch, GraphCallMetricsScope scope, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var counts = await writer.UpsertAsync(family, batch, cancellationToken);
        batch.Clear();
        run.Increment(OperationSummaryKeys.Created, counts.Created);
        run.Increment(OperationSummaryKeys.Updated, counts.Updated);
        run.Increment(OperationSummaryKeys.Unchanged, counts.Unchanged);
        run.Increment(OperationSummaryKeys.Processed, counts.Total);
        ReportThrottling(run, scope);
        await run.ReportProgressAsync(cancellationToken);
    }

    private static void ReportThrottling(IOperationRunContext run, GraphCallMetricsScope scope)
    {
        run.Set(OperationSummaryKeys.ThrottledRequests, scope.ThrottledRequests);
        run.Set(OperationSummaryKeys.ThrottleWaitSeconds, scope.ThrottleWaitSeconds);
    }

    private static string Describe(GraphRequestException e) =>
        e.RequestId is null ? e.Message : $"{e.Message} (request id {e.RequestId})";
}
