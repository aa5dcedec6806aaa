using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Execution;

/// <summary>
/// <c>restore.execute</c>: applies the plan the run names (its <c>planId</c> input; the request's newest plan otherwise)
/// to the TARGET tenant inside the tenant Graph envelope.
/// <list type="number">
/// <item><b>Pre-restore snapshot first</b>: every target object the plan updates or deletes, read in full with its
/// assignments, stored as a backup set of the target marked with the request (<see cref="IPreRestoreSnapshots"/>, once
/// per run) before the first write.</item>
/// <item><b>Item by item</b> (creates and updates by family and name, deletes last), each in the ledger
/// (<see cref="RestoreItemResult"/>): a <see cref="ItemResult.Writing"/> row before the item's first write, its result
/// after. An update or delete re-reads its object first; changed since the plan (<c>lastModifiedDateTime</c>,
/// <c>version</c>, or content and assignments once volatile fields are stripped) → <see cref="ItemResult.Conflict"/>
/// <c>changed_since_plan</c>, not written. A create posts the backup's content (the copy's name for a copy) and assigns
/// the mapped assignments; an update writes what the plan showed (content, then the assignment set with the target's
/// protected-group assignments kept). Skip, conflict and blocked plan items get their row without a Graph call.</item>
/// <item>A Graph failure of one item → <see cref="ItemResult.Failed"/> with Graph's code and sanitized message; the
/// next item goes on. A cancel stops between items: the rest are <see cref="ItemResult.NotRun"/>.</item>
/// </list>
/// <b>Redelivery</b>: an item with a final row of this run is never touched again; a leftover <c>Writing</c> row (a
/// crash after the write, before its result) is resolved in the target — a create adopts the object it finds (its id as
/// recorded, or by type and name), else creates; updates, assignments and deletes are repeated (idempotent). An item an
/// earlier execute of the same plan wrote is recorded skipped (a retry finishes the rest).
/// Outcome: no failure or conflict → succeeded; some, and something written → partially succeeded; nothing written
/// → failed.
/// </summary>
internal sealed class RestoreExecuteJob(
    IDbContextFactory<RestoreDbContext> dbFactory,
    IBackupSets backupSets,
    IPreRestoreSnapshots snapshots,
    IGraphGateway graph,
    IGraphContracts contracts,
    ITenantGraphJobEnvelope tenantGraph,
    TimeProvider clock) : IOperationJob
{
    public const string ChangedSincePlan = "changed_since_plan";

    private static readonly ItemResult[] Written = [ItemResult.Created, ItemResult.Updated, ItemResult.Deleted];

    /// <summary>How long the item under way may take to finish after a cancel (or shutdown) before its calls are aborted.</summary>
    private static readonly TimeSpan ItemGracePeriod = TimeSpan.FromSeconds(30);

    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.RestoreRequestId is { } requestId ? await LoadRequestAsync(requestId, cancellationToken) : null;
        if (request is null || request.TargetTenantId != run.TenantId || request.WorkspaceId != run.WorkspaceId)
        {
            await run.AddFailureAsync("restore_request_not_found", "The restore request of this run was not found.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        await RestoreExecutions.RecordExecuteRunAsync(dbFactory, request.Id, run.RunId, clock.GetUtcNow(), cancellationToken);
        var plan = await LoadPlanAsync(request.Id, run.Inputs.GetGuid(RestoreExecuteInputs.PlanIdInput), cancellationToken);
        if (plan is null)
        {
            await run.AddFailureAsync("restore_plan_not_found", "The plan this run executes was not found.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        var items = Ordered(plan.Items);
        var ledger = new Ledger(dbFactory, request.Id, run.RunId, clock);
        await ledger.LoadAsync(cancellationToken);
        var earlier = await EarlierWritesAsync(plan, run.RunId, cancellationToken);
        run.Set(OperationSummaryKeys.Total, items.Count);
        Report(run, ledger);

        var sourceIds = items.Where(i => i.Action is PlanAction.Create or PlanAction.Update && i.BackupItemId is not null).Select(i => i.BackupItemId!.Value).ToList();
        var sources = new Dictionary<long, BackupItemContent>();
        foreach (var setId in request.SourceSetIds())
        {
            foreach (var content in await backupSets.ReadItemsAsync(setId, sourceIds, cancellationToken))
            {
                sources[content.Id] = content;
            }
        }

        var execution = new Execution(request, plan, PlanJson.Read<List<PlanReference>>(plan.References, []), sources,
            request.Deletions.ToDictionary(d => d.Id), earlier, ledger, run);

        var work = new TenantGraphWork(async (session, ct) =>
        {
            var pending = items.Where(i => !ledger.IsFinal(i.Id) && !(earlier.TryGetValue(i.Id, out var e) && e.Result != ItemResult.Writing)).ToList();
            await SnapshotAsync(session.TenantId, execution, pending, ct);
            foreach (var item in items)
            {
                if (ledger.IsFinal(item.Id))
                {
                    continue;
                }

                if (ct.IsCancellationRequested)
                {
                    break;
                }

                // A cancel stops between items: the item under way is let finish (within a grace period) so its row says
                // what was written instead of being left Writing with the write's fate unknown.
                using (var itemToken = new CancellationTokenSource())
                using (ct.Register(() => itemToken.CancelAfter(ItemGracePeriod)))
                {
                    await ExecuteItemAsync(session.TenantId, execution, item, itemToken.Token);
                }

                Report(run, ledger);
                session.ReportThrottling();
                await run.ReportProgressAsync(ct);
            }
        })
        {
            BeforeSlot = ct => run.ReportProgressAsync(ct),
        };

        TenantGraphWorkEnd end;
        try
        {
            end = await tenantGraph.RunAsync(run, work, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await NotRunAsync(items, ledger, run);
            throw;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Stopped between items: what was not reached says so, and the runner ends the run cancelled.
            await NotRunAsync(items, ledger, run);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (end != TenantGraphWorkEnd.Completed)
        {
            // The snapshot (or the tenant) failed before any write: the envelope recorded why.
            await NotRunAsync(items, ledger, run);
            return OperationJobResult.Failed;
        }

        Report(run, ledger);
        var written = Written.Sum(ledger.Count);
        var problems = ledger.Count(ItemResult.Failed) + ledger.Count(ItemResult.Conflict);
        return problems == 0 ? OperationJobResult.Succeeded
            : written == 0 ? OperationJobResult.Failed
            : OperationJobResult.PartiallySucceeded;
    }

    private static void Report(IOperationRunContext run, Ledger ledger)
    {
        run.Set(OperationSummaryKeys.Processed, ledger.Processed);
        run.Set(OperationSummaryKeys.Created, ledger.Count(ItemResult.Created));
        run.Set(OperationSummaryKeys.Updated, ledger.Count(ItemResult.Updated));
        run.Set(OperationSummaryKeys.Deleted, ledger.Count(ItemResult.Deleted));
        run.Set(OperationSummaryKeys.Skipped, ledger.Count(ItemResult.Skipped));
        run.Set(OperationSummaryKeys.Failed, ledger.Count(ItemResult.Failed));
        run.Set(RestoreExecuteSummaryKeys.Conflicts, ledger.Count(ItemResult.Conflict));
        run.Set(RestoreExecuteSummaryKeys.Blocked, ledger.Count(ItemResult.Blocked));
    }

    private static async Task NotRunAsync(IReadOnlyList<RestorePlanItem> items, Ledger ledger, IOperationRunContext run)
    {
        foreach (var item in items.Where(i => !ledger.IsFinal(i.Id) && !ledger.IsWriting(i.Id)))
        {
            await ledger.RecordAsync(item, ItemResult.NotRun, null, null, null, CancellationToken.None);
        }

        Report(run, ledger);
    }

    /// <summary>Creates and updates first, by family (registry order) and name; deletes last.</summary>
    private List<RestorePlanItem> Ordered(IEnumerable<RestorePlanItem> items)
    {
        var order = contracts.All.Select((c, i) => (c.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        return [.. items.OrderBy(i => i.Action == PlanAction.Delete ? 1 : 0).ThenBy(i => order.GetValueOrDefault(i.Family, int.MaxValue))
            .ThenBy(i => i.DisplayName, StringComparer.Ordinal).ThenBy(i => i.Id)];
    }

    /// <summary>(a) Before the first write: every object the plan updates or deletes, as it is now, stored once per run.</summary>
    private async Task SnapshotAsync(Guid tenantId, Execution execution, IReadOnlyList<RestorePlanItem> pending, CancellationToken cancellationToken)
    {
        var run = execution.Run;
        if ((await snapshots.ListForRequestAsync(execution.Request.Id, cancellationToken)).Any(s => s.OperationRunId == run.RunId))
        {
            return;
        }

        var objects = new List<GraphPolicyDetail>();
        foreach (var item in pending.Where(i => i.Action is PlanAction.Update or PlanAction.Delete))
        {
            if (execution.TargetIdOf(item) is not { } id || objects.Any(o => o.ResourceKey == item.Family && string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            try
            {
                objects.Add(await graph.GetPolicyAsync(tenantId, item.Family, id, cancellationToken));
            }
            catch (GraphRequestException e) when (e.Kind == GraphFailureKind.NotFound && !cancellationToken.IsCancellationRequested)
            {
                // Gone since the plan: nothing to keep; the item finds out when it is reached.
            }
        }

        await snapshots.StoreAsync(new PreRestoreSnapshot(run.WorkspaceId, tenantId, run.RunId, OperationTypes.RestoreExecute, execution.Request.Id, objects),
            cancellationToken);
    }

    private async Task ExecuteItemAsync(Guid tenantId, Execution execution, RestorePlanItem item, CancellationToken cancellationToken)
    {
        var ledger = execution.Ledger;
        execution.Earlier.TryGetValue(item.Id, out var done);
        if (done is { Result: not ItemResult.Writing })
        {
            await ledger.RecordAsync(item, ItemResult.Skipped, done.TargetObjectId, null,
                $"Already written ({done.Result.ToString().ToLowerInvariant()}) by run #{done.OperationRunId}.", cancellationToken);
            return;
        }

        switch (item.Action)
        {
            case PlanAction.Skip:
                await ledger.RecordAsync(item, ItemResult.Skipped, item.TargetObjectId, null, item.Reason, cancellationToken);
                return;
            case PlanAction.Conflict:
                await ledger.RecordAsync(item, ItemResult.Conflict, item.TargetObjectId, "conflict_in_plan", item.Reason, cancellationToken);
                return;
            case PlanAction.Blocked:
                await ledger.RecordAsync(item, ItemResult.Blocked, item.TargetObjectId, "blocked_in_plan", item.Reason, cancellationToken);
                return;
        }

        // An earlier run stopped in the middle of this item (a worker killed): resolve it in the target as a redelivery would.
        var row = await ledger.BeginAsync(item, done, cancellationToken);
        try
        {
            var (result, code, message) = item.Action switch
            {
                PlanAction.Create => await CreateAsync(tenantId, execution, item, row, cancellationToken),
                PlanAction.Update => await UpdateAsync(tenantId, execution, item, row, cancellationToken),
                _ => await DeleteAsync(tenantId, execution, item, row, cancellationToken),
            };
            await ledger.FinishAsync(row, result, code, message);
            if (code == ChangedSincePlan)
            {
                await execution.Run.AddFailureAsync(code, message!, item.DisplayName, cancellationToken);
            }
        }
        catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            var message = Cap(e.Message, 2000);
            await ledger.FinishAsync(row, ItemResult.Failed, e.ErrorCode, message);
            await execution.Run.AddFailureAsync(e.ErrorCode, message, item.DisplayName, cancellationToken);
        }
    }

    private async Task<(ItemResult, string?, string?)> CreateAsync(Guid tenantId, Execution execution, RestorePlanItem item, RestoreItemResult row, CancellationToken cancellationToken)
    {
        if (execution.Intended(item) is not { } intended)
        {
            return (ItemResult.Failed, "backup_item_unreadable", "The backup item of this plan item cannot be read any more.");
        }

        var (content, assignments, protectedValues) = intended;

        var name = item.Match == PlanMatch.Copy ? item.TargetDisplayName ?? item.DisplayName + execution.Request.CopySuffix : item.DisplayName;
        if (item.Match == PlanMatch.Copy)
        {
            content[NameProperty(item.Family)] = name;
        }

        // A leftover Writing row: the create may have happened before the crash — adopt what the target has.
        var id = row.TargetObjectId;
        if (id is null && execution.Ledger.Resumed(row))
        {
            id = await FindCreatedAsync(tenantId, item, name, cancellationToken);
        }

        // What the write could not bring back without failing the item (drivers the target's inventory lacks).
        var notes = new List<string>();
        if (id is null)
        {
            var created = await graph.CreateObjectAsync(tenantId, item.Family, content, protectedValues, notes, cancellationToken);
            id = Text(created["id"]) ?? throw new GraphRequestException(GraphFailureKind.Unknown, "noId", "Graph created the object but answered without its id.");
        }

        // Recorded at once: a crash before the assignment finds the object by its id.
        await execution.Ledger.SetTargetAsync(row, id);

        if (HasAssignments(item.Family) && assignments.Count > 0)
        {
            await graph.AssignAsync(tenantId, item.Family, id, [.. assignments.OfType<JsonObject>()], cancellationToken);
            row.AssignmentsWritten = true;
        }

        return (ItemResult.Created, null, Note(notes));
    }

    private async Task<(ItemResult, string?, string?)> UpdateAsync(Guid tenantId, Execution execution, RestorePlanItem item, RestoreItemResult row, CancellationToken cancellationToken)
    {
        if (execution.Intended(item) is not { } intended)
        {
            return (ItemResult.Failed, "backup_item_unreadable", "The backup item of this plan item cannot be read any more.");
        }

        var (content, assignments, protectedValues) = intended;

        var id = item.TargetObjectId!;
        await execution.Ledger.SetTargetAsync(row, id);
        GraphPolicyDetail current;
        try
        {
            current = await graph.GetPolicyAsync(tenantId, item.Family, id, cancellationToken);
        }
        catch (GraphRequestException e) when (e.Kind == GraphFailureKind.NotFound && !cancellationToken.IsCancellationRequested)
        {
            return (ItemResult.Conflict, ChangedSincePlan, "The object was deleted from the target tenant after the plan: it was not written. Plan again.");
        }

        // After a crash mid-item the object may already be as intended (our own write): that is no change by someone else.
        if (ChangeSincePlan(item, current) is { } change && !(execution.Ledger.Resumed(row) && IsAsIntended(current, content)))
        {
            return (ItemResult.Conflict, ChangedSincePlan, $"The object changed in the target tenant after the plan ({change}): it was not written. Plan again.");
        }

        var notes = new List<string>();
        if (!PlanJson.Read(item.ContentDiff, ObjectDiff.Identical).IsIdentical)
        {
            await graph.UpdateObjectAsync(tenantId, item.Family, id, content, protectedValues, notes, cancellationToken);
        }

        if (HasAssignments(item.Family) && !PlanJson.Read(item.AssignmentDiff, AssignmentDiff.Identical).IsIdentical)
        {
            // The whole set is replaced: the target's assignments to protected groups the backup lacks go with it.
            var kept = PlanJson.Read<JsonArray>(item.ProtectedAssignments, []);
            await graph.AssignAsync(tenantId, item.Family, id, [.. assignments.OfType<JsonObject>(), .. kept.OfType<JsonObject>()], cancellationToken);
            row.AssignmentsWritten = true;
        }

        return (ItemResult.Updated, null, Note(notes));
    }

    private async Task<(ItemResult, string?, string?)> DeleteAsync(Guid tenantId, Execution execution, RestorePlanItem item, RestoreItemResult row, CancellationToken cancellationToken)
    {
        if (execution.TargetIdOf(item) is not { } id)
        {
            return (ItemResult.Failed, "delete_target_unknown", "The plan does not say which object to delete.");
        }

        await execution.Ledger.SetTargetAsync(row, id);
        if (item.TargetContent is not null && !execution.Ledger.Resumed(row))
        {
            try
            {
                var current = await graph.GetPolicyAsync(tenantId, item.Family, id, cancellationToken);
                if (ChangeSincePlan(item, current) is { } change)
                {
                    return (ItemResult.Conflict, ChangedSincePlan, $"The object changed in the target tenant after the plan ({change}): it was not deleted. Plan again.");
                }
            }
            catch (GraphRequestException e) when (e.Kind == GraphFailureKind.NotFound && !cancellationToken.IsCancellationRequested)
            {
                return (ItemResult.Deleted, null, "Already gone from the target tenant.");
            }
        }

        return await graph.DeleteObjectAsync(tenantId, item.Family, id, cancellationToken)
            ? (ItemResult.Deleted, null, null)
            : (ItemResult.Deleted, null, "Already gone from the target tenant.");
    }

    /// <summary>
    /// Why the item cannot be written as the plan shows it (null: it can). Administrative templates keep their settings in
    /// definition values, written through their own endpoint, which the gateway does not write yet: a create would make
    /// an empty policy and an update could not change a setting, so neither is attempted — a partial write is never
    /// reported as restored. An update of the template's own properties and assignments is complete and goes ahead.
    /// </summary>
    /// <summary>The object a create of this item may have made before a crash: same type and the name it was created with; the newest when several.</summary>
    private async Task<string?> FindCreatedAsync(Guid tenantId, RestorePlanItem item, string name, CancellationToken cancellationToken)
    {
        var found = new List<GraphObjectSummary>();
        await foreach (var page in graph.ListObjectsAsync(tenantId, item.Family, cancellationToken))
        {
            found.AddRange(page.Items.Where(o => string.Equals(o.DisplayName, name, StringComparison.Ordinal) && PlanBuilder.SameType(o.ODataType, item.ODataType)));
        }

        return found.OrderByDescending(o => o.LastModifiedDateTime).FirstOrDefault()?.Id;
    }

    /// <summary>What changed since the plan read the object (null: nothing): its timestamp or version, else its content or assignments.</summary>
    private static string? ChangeSincePlan(RestorePlanItem item, GraphPolicyDetail current)
    {
        if (PlanJson.Read<JsonObject?>(item.TargetContent, null) is not { } planned)
        {
            return null;
        }

        var plannedAssignments = planned["assignments"] as JsonArray ?? [];
        planned.Remove("assignments");
        foreach (var field in new[] { "lastModifiedDateTime", "version" })
        {
            var before = Text(planned[field]);
            if (before is not null && before != Text(current.Content[field]))
            {
                return $"its {field} moved";
            }
        }

        if (!GraphObjectDiff.Compare(planned, current.Content).IsIdentical)
        {
            return "its content";
        }

        return GraphObjectDiff.CompareAssignments(plannedAssignments, new JsonArray([.. current.Assignments.Select(a => (JsonNode)a.DeepClone())])).IsIdentical
            ? null
            : "its assignments";
    }

    private static string? Note(List<string> notes) => notes.Count == 0 ? null : Cap(string.Join(" ", notes), 2000);

    private static bool IsAsIntended(GraphPolicyDetail current, JsonObject content) => GraphObjectDiff.Compare(current.Content, content).IsIdentical;

    private bool HasAssignments(string family) => contracts.Find(family)?.HasAssignments == true;

    /// <summary>The name property of a family's objects (the settings catalog's is <c>name</c>).</summary>
    private static string NameProperty(string family) =>
        family is GraphResourceKeys.ConfigurationPolicies or GraphResourceKeys.CompliancePolicies ? "name" : "displayName";

    private async Task<RestoreRequest?> LoadRequestAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Include(r => r.Deletions).FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
    }

    private async Task<RestorePlan?> LoadPlanAsync(Guid requestId, Guid? planId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plans = db.Plans.AsNoTracking().Include(p => p.Items).Where(p => p.RequestId == requestId);
        return planId is { } id
            ? await plans.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            : await plans.OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Items of this plan that an earlier execute run wrote (a retry of the request does not write them again) or left
    /// <c>Writing</c> (stopped mid-item: the write may have happened).
    /// </summary>
    private async Task<Dictionary<long, RestoreItemResult>> EarlierWritesAsync(RestorePlan plan, long runId, CancellationToken cancellationToken)
    {
        var ids = plan.Items.Select(i => i.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ItemResults.AsNoTracking()
            .Where(r => r.OperationRunId != runId && ids.Contains(r.PlanItemId)
                && (r.Result == ItemResult.Created || r.Result == ItemResult.Updated || r.Result == ItemResult.Deleted || r.Result == ItemResult.Writing))
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.PlanItemId).ToDictionary(g => g.Key,
            g => g.OrderBy(r => r.Result == ItemResult.Writing ? 1 : 0).ThenByDescending(r => r.OperationRunId).First());
    }

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : null;

    private static string Cap(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>What one run works with.</summary>
    private sealed record Execution(
        RestoreRequest Request,
        RestorePlan Plan,
        IReadOnlyList<PlanReference> References,
        IReadOnlyDictionary<long, BackupItemContent> Sources,
        IReadOnlyDictionary<long, RestoreDeletion> Deletions,
        IReadOnlyDictionary<long, RestoreItemResult> Earlier,
        Ledger Ledger,
        IOperationRunContext Run)
    {
        /// <summary>What the plan showed the item would become: the backup's content and assignments, dropped references left out, mapped.</summary>
        public (JsonObject Content, JsonArray Assignments, IReadOnlyList<GraphProtectedValue> ProtectedValues)? Intended(RestorePlanItem item)
        {
            if (item.BackupItemId is not { } backupItemId || !Sources.TryGetValue(backupItemId, out var source) || source.Content is null)
            {
                return null;
            }

            var (content, assignments) = PlanBuilder.Intended(source.Content, source.Assignments, References, []);
            return (content, assignments, source.ProtectedValues);
        }

        public string? TargetIdOf(RestorePlanItem item) =>
            item.TargetObjectId ?? (item.DeletionId is { } deletion && Deletions.TryGetValue(deletion, out var d) ? d.ObjectId : null);
    }

    /// <summary>The run's rows of <c>restore_item_results</c>, kept in memory as they are written.</summary>
    private sealed class Ledger(IDbContextFactory<RestoreDbContext> dbFactory, Guid requestId, long runId, TimeProvider clock)
    {
        private readonly Dictionary<long, RestoreItemResult> rows = [];
        private readonly HashSet<long> resumed = [];

        public int Processed => rows.Values.Count(r => r.Result is not (ItemResult.Writing or ItemResult.NotRun));

        public int Count(ItemResult result) => rows.Values.Count(r => r.Result == result);

        public bool IsFinal(long planItemId) => rows.TryGetValue(planItemId, out var row) && row.Result != ItemResult.Writing;

        public bool IsWriting(long planItemId) => rows.TryGetValue(planItemId, out var row) && row.Result == ItemResult.Writing;

        /// <summary>Whether the row was left <c>Writing</c> by an earlier delivery of the run.</summary>
        public bool Resumed(RestoreItemResult row) => resumed.Contains(row.PlanItemId);

        public async Task LoadAsync(CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            foreach (var row in await db.ItemResults.AsNoTracking().Where(r => r.OperationRunId == runId).ToListAsync(cancellationToken))
            {
                rows[row.PlanItemId] = row;
                if (row.Result == ItemResult.Writing)
                {
                    resumed.Add(row.PlanItemId);
                }
            }
        }

        /// <summary>
        /// The item's <c>Writing</c> row, durable before its first write (or the one an earlier delivery left). With
        /// <paramref name="interrupted"/> (another run's row left <c>Writing</c>) the item is resumed from what that row recorded.
        /// </summary>
        public async Task<RestoreItemResult> BeginAsync(RestorePlanItem item, RestoreItemResult? interrupted, CancellationToken cancellationToken)
        {
            if (rows.TryGetValue(item.Id, out var row))
            {
                return row;
            }

            if (interrupted is not null)
            {
                resumed.Add(item.Id);
            }

            return await InsertAsync(item, ItemResult.Writing, interrupted?.TargetObjectId ?? item.TargetObjectId, null, null, cancellationToken);
        }

        /// <summary>A final row for an item that needs no write (or was not reached).</summary>
        public async Task RecordAsync(RestorePlanItem item, ItemResult result, string? targetId, string? code, string? message, CancellationToken cancellationToken)
        {
            if (rows.TryGetValue(item.Id, out var row))
            {
                await FinishAsync(row, result, code, message);
                return;
            }

            await InsertAsync(item, result, targetId, code, message, cancellationToken);
        }

        public async Task SetTargetAsync(RestoreItemResult row, string targetId)
        {
            if (row.TargetObjectId == targetId)
            {
                return;
            }

            row.TargetObjectId = targetId;
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.ItemResults.Where(r => r.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.TargetObjectId, targetId), CancellationToken.None);
        }

        /// <summary>Recorded even when a cancel arrives meanwhile: the ledger must say what was written.</summary>
        public async Task FinishAsync(RestoreItemResult row, ItemResult result, string? code, string? message)
        {
            row.Result = result;
            row.ErrorCode = code is null ? null : Cap(code, 200);
            row.ErrorMessage = message is null ? null : Cap(message, 2000);
            row.FinishedAt = clock.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.ItemResults.Where(r => r.Id == row.Id).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Result, row.Result)
                .SetProperty(r => r.TargetObjectId, row.TargetObjectId)
                .SetProperty(r => r.AssignmentsWritten, row.AssignmentsWritten)
                .SetProperty(r => r.ErrorCode, row.ErrorCode)
                .SetProperty(r => r.ErrorMessage, row.ErrorMessage)
                .SetProperty(r => r.FinishedAt, row.FinishedAt), CancellationToken.None);
        }

        private async Task<RestoreItemResult> InsertAsync(RestorePlanItem item, ItemResult result, string? targetId, string? code, string? message, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var row = new RestoreItemResult
            {
                RequestId = requestId,
                OperationRunId = runId,
                PlanItemId = item.Id,
                BackupItemId = item.BackupItemId,
                Family = item.Family,
                DisplayName = item.DisplayName,
                ODataType = item.ODataType,
                PlannedAction = item.Action,
                Result = result,
                TargetObjectId = targetId,
                ErrorCode = code is null ? null : Cap(code, 200),
                ErrorMessage = message is null ? null : Cap(message, 2000),
                StartedAt = now,
                FinishedAt = result == ItemResult.Writing ? null : now,
            };
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ItemResults.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another delivery of the run wrote the item's row first: that row is the item's.
                await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
                row = await again.ItemResults.AsNoTracking().FirstAsync(r => r.OperationRunId == runId && r.PlanItemId == item.Id, cancellationToken);
                if (row.Result == ItemResult.Writing)
                {
                    resumed.Add(item.Id);
                }
            }

            rows[item.Id] = row;
            return row;
        }
    }
}
