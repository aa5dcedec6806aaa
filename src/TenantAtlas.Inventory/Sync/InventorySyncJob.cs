using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Inventory.Contracts;
using TenantAtlas.Inventory.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Inventory.Sync;

/// <summary>
/// <c>inventory.sync</c>: lists every policy family of the contract registry through the gateway, one Graph page at a
/// time, and upserts the policies in set-based batches; items of a fully listed family that the run did not see are
/// marked deleted. Reports only through its run: created / updated / unchanged / deleted, progress, one failure entry per
/// family that could not be listed (→ partially succeeded, or failed when no family could), throttling figures.
/// <para>
/// A small pipeline: up to <c>Inventory:ParallelFamilies</c> families are listed at once (within the gateway's per-tenant
/// concurrency), their pages go through a bounded channel to ONE writer on one connection, which is also the only code
/// that touches the run. Memory stays flat: a few pages in flight and one batch per family being listed.
/// </para>
/// </summary>
internal sealed class InventorySyncJob(
    IDbContextFactory<InventoryDbContext> dbFactory,
    IGraphGateway graph,
    IGraphContracts contracts,
    ITenantGraphJobEnvelope tenantGraph,
    IOptions<InventoryOptions> options) : IOperationJob
{
    /// <summary>What a lister sends the writer: a page (converted), or the end of a family (with its failure, if any).</summary>
    private sealed record Listed(string Family, ListedPolicy[]? Items, bool Done = false, GraphRequestException? Failure = null);

    private static readonly string[] CountedKeys =
        [OperationSummaryKeys.Total, OperationSummaryKeys.Processed, OperationSummaryKeys.Created, OperationSummaryKeys.Updated, OperationSummaryKeys.Unchanged, OperationSummaryKeys.Deleted, OperationSummaryKeys.Failed];

    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        var families = contracts.PolicyFamilies.Select(f => f.Key).ToList();
        var failedFamilies = 0;
        var work = new TenantGraphWork(async (tenant, ct) => failedFamilies = await SyncAsync(run, tenant, families, ct))
        {
            // The viewer shows the counters from the start, also while the run waits for a slot.
            BeforeSlot = async ct =>
            {
                foreach (var key in CountedKeys)
                {
                    run.Set(key, 0);
                }

                await run.ReportProgressAsync(ct);
            },
        };

        switch (await tenantGraph.RunAsync(run, work, cancellationToken))
        {
            case TenantGraphWorkEnd.NoTenant:
                return OperationJobResult.Failed;
            case TenantGraphWorkEnd.TenantBusy or TenantGraphWorkEnd.GraphFailed:
                failedFamilies = families.Count; // no family was listed
                break;
        }

        run.Set(OperationSummaryKeys.Failed, failedFamilies);
        run.Set(OperationSummaryKeys.Succeeded, run.Get(OperationSummaryKeys.Processed));
        await run.ReportProgressAsync(cancellationToken);
        return failedFamilies == 0 ? OperationJobResult.Succeeded
            : failedFamilies < families.Count ? OperationJobResult.PartiallySucceeded
            : OperationJobResult.Failed;
    }

    /// <summary>Runs the listers and the writer; returns how many families could not be listed completely.</summary>
    private async Task<int> SyncAsync(IOperationRunContext run, TenantGraphSession tenant, List<string> families, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var writer = new InventoryWriter((NpgsqlConnection)db.Database.GetDbConnection(), tenant.TenantId, run.RunId);
        var settings = options.Value;
        var channel = Channel.CreateBounded<Listed>(new BoundedChannelOptions(settings.PagesInFlight) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = new ConcurrentQueue<string>(families);
        var listers = Enumerable.Range(0, Math.Clamp(settings.ParallelFamilies, 1, families.Count))
            .Select(_ => Task.Run(() => ListAsync(tenant.TenantId, queue, channel.Writer, stop.Token), stop.Token))
            .ToList();
        var allListed = Task.WhenAll(listers).ContinueWith(
            t => channel.Writer.TryComplete(t.Exception?.GetBaseException()), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var batches = new Dictionary<string, List<ListedPolicy>>(StringComparer.Ordinal);
        var failed = 0;
        try
        {
            await foreach (var listed in channel.Reader.ReadAllAsync(cancellationToken))
            {
                var batch = batches.TryGetValue(listed.Family, out var existing) ? existing : batches[listed.Family] = new List<ListedPolicy>(settings.BatchSize);
                if (listed.Items is { } items)
                {
                    run.Increment(OperationSummaryKeys.Total, items.Length);
                    batch.AddRange(items);
                    if (batch.Count >= settings.BatchSize)
                    {
                        await FlushAsync(run, listed.Family, writer, batch, tenant, cancellationToken);
                    }
                }

                if (!listed.Done)
                {
                    continue;
                }

                // What was listed before a failure is stored (it is what Graph said); a family that was not listed
                // completely never marks anything deleted.
                await FlushAsync(run, listed.Family, writer, batch, tenant, cancellationToken);
                batches.Remove(listed.Family);
                if (listed.Failure is { } e)
                {
                    failed++;
                    await run.AddGraphFailureAsync(e, listed.Family, cancellationToken);
                }
                else
                {
                    run.Increment(OperationSummaryKeys.Deleted, await writer.MarkVanishedAsync(listed.Family, cancellationToken));
                    await run.ReportProgressAsync(cancellationToken);
                }
            }
        }
        catch
        {
            // The writer failed (database, cancellation): stop the listers before leaving.
            await stop.CancelAsync();
            await allListed;
            throw;
        }

        await allListed;
        return failed;
    }

    /// <summary>One lister: takes families off the queue and streams their pages, converted, into the channel.</summary>
    private async Task ListAsync(Guid tenantId, ConcurrentQueue<string> families, ChannelWriter<Listed> channel, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (families.TryDequeue(out var family))
        {
            GraphRequestException? failure = null;
            try
            {
                await foreach (var page in graph.ListObjectsAsync(tenantId, family, cancellationToken))
                {
                    var items = new ListedPolicy[page.Items.Count];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = ListedPolicy.From(page.Items[i], buffer);
                    }

                    await channel.WriteAsync(new Listed(family, items), cancellationToken);
                }
            }
            catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }

            await channel.WriteAsync(new Listed(family, null, Done: true, failure), cancellationToken);
        }
    }

    private static async Task FlushAsync(
        IOperationRunContext run, string family, InventoryWriter writer, List<ListedPolicy> batch, TenantGraphSession tenant, CancellationToken cancellationToken)
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
        tenant.ReportThrottling();
        await run.ReportProgressAsync(cancellationToken);
    }
}
