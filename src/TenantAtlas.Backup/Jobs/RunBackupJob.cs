using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.ScheduleAdmin;
using TenantAtlas.Backup.Sets;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.Jobs;

/// <summary>
/// The backup of one run (run now, retry, scheduled): for each family of the schedule, stream the policies and read
/// each in full through the gateway, then store one backup set with an item per policy. A policy that cannot be read is
/// a failure entry (→ partially succeeded); throttling figures come from the Graph call metrics. Scheduled runs then
/// apply the schedule's retention.
/// </summary>
internal sealed class RunBackupJob(
    IDbContextFactory<BackupDbContext> dbFactory,
    IGraphGateway graph,
    IGraphCallMetrics metrics,
    IGraphTenantSlots slots,
    Retention retention,
    TimeProvider clock) : IOperationJob
{
    public const string PrunedKey = "pruned";

    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        var scheduleId = run.ScheduleId ?? run.Inputs.GetGuid(BackupInputs.ScheduleIdKey);
        if (scheduleId is null || run.TenantId is not { } tenantId)
        {
            await run.AddFailureAsync("invalid_input", "The run names no backup schedule.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        BackupSchedule? schedule;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId && s.TenantId == tenantId, cancellationToken);
        }

        if (schedule is null)
        {
            await run.AddFailureAsync("schedule_not_found", "The backup schedule was deleted before this run started.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        var set = new BackupSet
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = schedule.WorkspaceId,
            TenantId = tenantId,
            ScheduleId = schedule.Id,
            OperationRunId = run.RunId,
            RunType = run.Type,
            Families = [.. schedule.Families],
        };

        using (var scope = metrics.BeginScope())
        {
            try
            {
                await using var slot = await slots.AcquireAsync(tenantId, cancellationToken);
                foreach (var family in schedule.Families)
                {
                    await BackUpFamilyAsync(run, tenantId, family, set, cancellationToken);
                }
            }
            catch (GraphRequestException e) when (e.Kind == GraphFailureKind.TenantBusy)
            {
                await run.AddFailureAsync(e.ErrorCode, e.Message, cancellationToken: cancellationToken);
                run.Increment(OperationSummaryKeys.Failed);
            }
            finally
            {
                run.Set(OperationSummaryKeys.ThrottledRequests, scope.ThrottledRequests);
                run.Set(OperationSummaryKeys.ThrottleWaitSeconds, scope.ThrottleWaitSeconds);
            }
        }

        var succeeded = set.Items.Count;
        var failed = run.Get(OperationSummaryKeys.Failed);
        if (succeeded > 0 || failed == 0)
        {
            set.CreatedAt = clock.GetUtcNow();
            set.ItemCount = succeeded;
            set.FailedCount = (int)failed;
            set.SizeBytes = set.Items.Sum(i => i.SizeBytes);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Sets.Add(set);
            await db.SaveChangesAsync(cancellationToken);
            run.Set(OperationSummaryKeys.Created, 1);
        }

        await run.ReportProgressAsync(cancellationToken);

        if (run.Type == OperationTypes.BackupScheduled)
        {
            var pruned = await retention.ApplyAsync(schedule, run, cancellationToken);
            run.Set(PrunedKey, pruned);
        }

        return failed == 0 ? OperationJobResult.Succeeded
            : succeeded > 0 ? OperationJobResult.PartiallySucceeded
            : OperationJobResult.Failed;
    }

    private async Task BackUpFamilyAsync(IOperationRunContext run, Guid tenantId, string family, BackupSet set, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in graph.ListObjectsAsync(tenantId, family, cancellationToken))
            {
                run.Increment(OperationSummaryKeys.Total, page.Items.Count);
                foreach (var summary in page.Items)
                {
                    try
                    {
                        var detail = await graph.GetPolicyAsync(tenantId, family, summary.Id, cancellationToken);
                        set.Items.Add(ToItem(set.Id, family, detail));
                        run.Increment(OperationSummaryKeys.Succeeded);
                    }
                    catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        run.Increment(OperationSummaryKeys.Failed);
                        await run.AddFailureAsync(e.ErrorCode, Describe(e), $"{family}/{summary.Id} ({summary.DisplayName})", cancellationToken);
                    }

                    run.Increment(OperationSummaryKeys.Processed);
                }

                await run.ReportProgressAsync(cancellationToken);
            }
        }
        catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The listing itself failed: the family is missing from this set.
            run.Increment(OperationSummaryKeys.Failed);
            await run.AddFailureAsync(e.ErrorCode, Describe(e), family, cancellationToken);
        }
    }

    private static string Describe(GraphRequestException e) =>
        e.RequestId is null ? e.Message : $"{e.Message} (request id {e.RequestId})";

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
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            SizeBytes = bytes.Length,
        };
    }
}
