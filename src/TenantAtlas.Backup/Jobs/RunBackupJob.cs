using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.ScheduleAdmin;
using TenantAtlas.Backup.Sets;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.Jobs;

/// <summary>
/// The backup of one run (run now, retry, scheduled). Inside the tenant Graph envelope it streams the policies of the
/// schedule's families (side by side) and reads each in full through the gateway, <see cref="BackupOptions.ReadsInFlight"/>
/// at a time; then it stores one backup set with an item per policy read, and a scheduled run applies the schedule's
/// retention. It reports only through its run: total, processed, succeeded and failed policies, <c>created</c> (the set),
/// <c>pruned</c>, a failure entry per policy or family that could not be read, and the throttle figures (the envelope's).
/// <para>
/// Partial success: a set is stored when at least one policy was read or nothing failed. The run succeeds when nothing
/// failed, partially succeeds when some policies failed and others are in the set, and fails when nothing could be read.
/// </para>
/// </summary>
internal sealed class RunBackupJob(
    IDbContextFactory<BackupDbContext> dbFactory,
    IGraphGateway graph,
    ITenantGraphJobEnvelope tenantGraph,
    Retention retention,
    IOptions<BackupOptions> options,
    TimeProvider clock) : IOperationJob
{
    public const string PrunedKey = "pruned";

    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        // The starter checked the inputs; a schedule deleted since then is the job's to report.
        var scheduleId = run.ScheduleId ?? run.Inputs.GetGuid(BackupInputs.ScheduleIdKey);
        if (scheduleId is null || run.TenantId is not { } tenantId)
        {
            await run.AddFailureAsync("invalid_input", "The run names no backup schedule.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        var schedule = await FindScheduleAsync(scheduleId.Value, tenantId, cancellationToken);
        if (schedule is null)
        {
            await run.AddFailureAsync("schedule_not_found", "The backup schedule was deleted before this run started.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        var set = NewSet(schedule, run);
        var work = new TenantGraphWork(async (tenant, ct) =>
        {
            // The families are listed side by side and their policies read a few at a time across all of them (each read is
            // a Graph round trip; docs/performance.md, "MSP night"); the set keeps the schedule's family order and each
            // family's listing order.
            using var reads = new SemaphoreSlim(Math.Max(1, options.Value.ReadsInFlight));
            var families = await Task.WhenAll(schedule.Families.Select(family => BackUpFamilyAsync(run, tenant.TenantId, family, set.Id, reads, ct)));
            set.Items.AddRange(families.SelectMany(items => items));
        });
        if (await tenantGraph.RunAsync(run, work, cancellationToken) != TenantGraphWorkEnd.Completed)
        {
            // Nothing was read (the tenant stayed busy): one failure for the whole backup, so no empty set is stored as if
            // the tenant had no policies.
            run.Increment(OperationSummaryKeys.Failed);
        }

        var succeeded = set.Items.Count;
        var failed = run.Get(OperationSummaryKeys.Failed);
        if (succeeded > 0 || failed == 0)
        {
            await StoreAsync(set, failed, cancellationToken);
            run.Set(OperationSummaryKeys.Created, 1);
        }

        // Once the set is stored the backup has happened: a stopping worker must not hand the run back now (the next
        // attempt would take a second backup for the same run), so the rest finishes without the stop token.
        await run.ReportProgressAsync(CancellationToken.None);
        if (run.Type == OperationTypes.BackupScheduled)
        {
            run.Set(PrunedKey, await retention.ApplyAsync(schedule, run, CancellationToken.None));
        }

        return failed == 0 ? OperationJobResult.Succeeded
            : succeeded > 0 ? OperationJobResult.PartiallySucceeded
            : OperationJobResult.Failed;
    }

    private async Task<BackupSchedule?> FindScheduleAsync(Guid scheduleId, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId && s.TenantId == tenantId, cancellationToken);
    }

    private static BackupSet NewSet(BackupSchedule schedule, IOperationRunContext run) => new()
    {
        Id = Guid.CreateVersion7(),
        WorkspaceId = schedule.WorkspaceId,
        TenantId = schedule.TenantId,
        ScheduleId = schedule.Id,
        OperationRunId = run.RunId,
        RunType = run.Type,
        Families = [.. schedule.Families],
    };

    private async Task StoreAsync(BackupSet set, long failed, CancellationToken cancellationToken)
    {
        set.CreatedAt = clock.GetUtcNow();
        set.ItemCount = set.Items.Count;
        set.FailedCount = (int)failed;
        set.SizeBytes = set.Items.Sum(i => i.SizeBytes);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A run handed back after its set was stored (its worker lost the database before completing) keeps that set:
        // one set per run (the unique index on operation_run_id), never a failure for the repeat.
        if (await db.Sets.AnyAsync(s => s.OperationRunId == set.OperationRunId, cancellationToken))
        {
            return;
        }

        db.Sets.Add(set);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<List<BackupItem>> BackUpFamilyAsync(
        IOperationRunContext run, Guid tenantId, string family, Guid setId, SemaphoreSlim reads, CancellationToken cancellationToken)
    {
        var items = new List<BackupItem>();
        try
        {
            await foreach (var page in graph.ListObjectsAsync(tenantId, family, cancellationToken))
            {
                run.Increment(OperationSummaryKeys.Total, page.Items.Count);
                var read = new BackupItem?[page.Items.Count];
                await Task.WhenAll(page.Items.Select(async (summary, i) =>
                {
                    await reads.WaitAsync(cancellationToken);
                    try
                    {
                        read[i] = ToItem(setId, family, await graph.GetPolicyAsync(tenantId, family, summary.Id, cancellationToken));
                        run.Increment(OperationSummaryKeys.Succeeded);
                    }
                    catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        // One unreadable policy does not stop the backup: it is missing from the set, with its own entry.
                        run.Increment(OperationSummaryKeys.Failed);
                        await run.AddGraphFailureAsync(e, $"{family}/{summary.Id} ({summary.DisplayName})", cancellationToken);
                    }
                    finally
                    {
                        reads.Release();
                    }

                    run.Increment(OperationSummaryKeys.Processed);
                }));
                items.AddRange(read.OfType<BackupItem>());
                await run.ReportProgressAsync(cancellationToken);
            }
        }
        catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The listing itself failed: the family is missing from this set.
            run.Increment(OperationSummaryKeys.Failed);
            await run.AddGraphFailureAsync(e, family, cancellationToken);
        }

        return items;
    }

    internal static BackupItem ToItem(Guid setId, string family, GraphPolicyDetail detail)
    {
        var content = detail.Content.ToJsonString();
        var assignments = new JsonArray([.. detail.Assignments.Select(a => (JsonNode)a.DeepClone())]).ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(content + "\n" + assignments);
        return new BackupItem
        {
            BackupSetId = setId,
            Family = family,
            GraphId = detail.Id,
            DisplayName = detail.DisplayName,
            ODataType = detail.ODataType,
            Content = content,
            Assignments = assignments,
            ProtectedValues = new JsonArray([.. detail.ProtectedValues.Select(v => (JsonNode)new JsonObject
            {
                ["path"] = v.Path,
                ["protectedValue"] = v.ProtectedValue,
            })]).ToJsonString(),
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            SizeBytes = bytes.Length,
        };
    }
}
