using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Requests;

namespace TenantAtlas.Restore.Planning;

/// <summary>
/// <c>restore.plan</c>: reads the selected backup items, then the TARGET tenant live inside the tenant Graph envelope —
/// every object of each selected family (listing), each matched object in full with its assignments (the reads a backup
/// makes), and the target's assignment filters and scope tags (and its notification templates and reusable settings when
/// the selection names any); for a cross-tenant restore also the SOURCE tenant's assignment filters, scope tags,
/// notification templates and reusable settings (their names; each only when the selection references any). Group names come from the
/// directory caches (source and target), protected groups from the target's directory settings. A rollback also reads
/// each object it deletes by id (<see cref="RestoreRequest.Deletions"/>). Nothing else is read.
/// <see cref="PlanBuilder"/> decides; the job stores one <see cref="RestorePlan"/> per run. Counts: total / processed
/// (selected items and deletions), creates, updates, identical, conflicts, blocked, deletes. Items in conflict or blocked are the plan's answer,
/// not a failure: the run succeeds once the plan is stored; a Graph failure fails it with Graph's code (the envelope).
/// A repeated delivery of the same run (handed back on shutdown) finds its plan stored and stores no second one.
/// </summary>
internal sealed class RestorePlanJob(
    IDbContextFactory<RestoreDbContext> dbFactory,
    IBackupSets backupSets,
    IGraphGateway graph,
    IGraphContracts contracts,
    IDirectoryLookup directory,
    ITenantGraphJobEnvelope tenantGraph,
    TimeProvider clock) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.RestoreRequestId is { } requestId ? await LoadRequestAsync(requestId, cancellationToken) : null;
        if (request is null || request.TargetTenantId != run.TenantId || request.WorkspaceId != run.WorkspaceId)
        {
            await run.AddFailureAsync("restore_request_not_found", "The restore request of this plan was not found.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        await RestoreRequests.RecordPlanRunAsync(dbFactory, request.Id, run.RunId, clock.GetUtcNow(), cancellationToken);
        if (await StoredPlanAsync(run.RunId, cancellationToken) is { } stored)
        {
            // A second delivery of a run whose plan is stored already (handed back after the store): report it, store nothing.
            Report(run, stored);
            return OperationJobResult.Succeeded;
        }

        if (request.CancelledAt is not null)
        {
            await run.AddFailureAsync("restore_request_cancelled", "The restore request was cancelled: it is not planned any more.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        foreach (var setId in request.SourceSetIds())
        {
            var set = await backupSets.FindAsync(setId, cancellationToken);
            if (set is null || set.WorkspaceId != request.WorkspaceId)
            {
                await run.AddFailureAsync("backup_set_not_found", "The backup set of the restore request no longer exists.", cancellationToken: cancellationToken);
                return OperationJobResult.Failed;
            }
        }

        var (items, backedUp) = await ReadSelectionAsync(request, cancellationToken);
        var deletions = request.Deletions.OrderBy(d => d.Family, StringComparer.Ordinal).ThenBy(d => d.DisplayName, StringComparer.Ordinal).ThenBy(d => d.Id)
            .Select(d => new DeletionItem(d.Id, d.Family, d.ObjectId, d.DisplayName, d.ODataType, d.CreatedByRunId)).ToList();
        run.Set(OperationSummaryKeys.Total, items.Count + deletions.Count);
        // Every policy family, retired ones included (their items are blocked with the registry's reason), and the types
        // backed up in their own right (assignment filters, scope tags, role definitions), which keep their own kinds.
        var families = contracts.All.Where(c => c.Kind == GraphResourceKind.PolicyFamily).Concat(contracts.PolicyFamilies).DistinctBy(c => c.Key).ToList();
        var settings = new PlanSettings(
            request.SourceTenantId != request.TargetTenantId,
            request.CopySuffix,
            families.ToDictionary(c => c.Key, c => c.SupportsRestore, StringComparer.Ordinal),
            [.. request.ItemChoices.Select(c => new ItemChoice(c.BackupItemId, c.Mode, c.TargetObjectId))],
            [.. request.ReferenceChoices.Select(c => new ReferenceChoice(c.Kind, c.SourceId, c.Action, c.TargetId))],
            MatchByIdOnly: request.RollbackOfRequestId is not null,
            NotRestorableReasons: families.Where(c => c.NotRestorableReason is not null)
                .ToDictionary(c => c.Key, c => c.NotRestorableReason!, StringComparer.Ordinal),
            CrossTenantBlockedReasons: families.Where(c => c.CrossTenantRestoreBlockedReason is not null)
                .ToDictionary(c => c.Key, c => c.CrossTenantRestoreBlockedReason!, StringComparer.Ordinal),
            DefaultObjectMarkers: families.Where(c => c.DefaultObjectIdMarker is not null)
                .ToDictionary(c => c.Key, c => c.DefaultObjectIdMarker!, StringComparer.Ordinal),
            BuiltInProperties: families.Where(c => c.BuiltInProperty is not null)
                .ToDictionary(c => c.Key, c => c.BuiltInProperty!, StringComparer.Ordinal),
            NotWritableProperties: families.Where(c => c.NotWritableProperties.Count > 0)
                .ToDictionary(c => c.Key, c => c.NotWritableProperties, StringComparer.Ordinal),
            DefaultObjectProperties: families.Where(c => c.DefaultObjectProperty is not null)
                .ToDictionary(c => c.Key, c => c.DefaultObjectProperty!, StringComparer.Ordinal),
            FixedProperties: families.Where(c => c.FixedProperty is not null)
                .ToDictionary(c => c.Key, c => c.FixedProperty!, StringComparer.Ordinal));

        var readStartedAt = clock.GetUtcNow();
        var live = new LiveRead();
        var work = new TenantGraphWork(async (session, ct) =>
        {
            await ReadTargetAsync(session.TenantId, items, settings, live, ct);
            await ReadDeletionsAsync(session.TenantId, deletions, settings, live, ct);
            if (settings.CrossTenant)
            {
                await ReadSourceDependenciesAsync(request.SourceTenantId, items, live, ct);
            }

            await session.ReleaseSlotAsync();
        })
        {
            BeforeSlot = ct => run.ReportProgressAsync(ct),
        };
        if (await tenantGraph.RunAsync(run, work, cancellationToken) != TenantGraphWorkEnd.Completed)
        {
            return OperationJobResult.Failed;
        }

        var references = await ReferenceDirectoryAsync(request, items, settings, live, cancellationToken) with { BackedUp = backedUp };
        var resolved = PlanBuilder.ResolveReferences(items, references, settings);
        var outcome = PlanBuilder.Build(live.Matches, live.Details, resolved, references, settings);
        var reason = $"Created by restore request {request.RollbackOfRequestId} — the rollback deletes it.";
        var deleteItems = deletions.Select(d => PlanBuilder.BuildDeletion(d, live.DeletionTargets.GetValueOrDefault(d.Id), settings, reason)).ToList();
        var planItems = outcome.Items.Concat(deleteItems).ToList();
        int Count(PlanAction action) => planItems.Count(i => i.Action == action);

        var plan = new RestorePlan
        {
            Id = Guid.CreateVersion7(),
            RequestId = request.Id,
            OperationRunId = run.RunId,
            ReadStartedAt = readStartedAt,
            CreatedAt = clock.GetUtcNow(),
            References = PlanJson.Write(outcome.References),
            ProtectedGroups = PlanJson.Write(references.ProtectedGroups),
            TargetAssignmentFilters = PlanJson.Write(live.TargetFilters),
            TargetScopeTags = PlanJson.Write(live.TargetScopeTags),
            TargetNotificationTemplates = PlanJson.Write(live.TargetNotificationTemplates),
            TargetReusableSettings = PlanJson.Write(live.TargetReusableSettings),
            Creates = Count(PlanAction.Create),
            Updates = Count(PlanAction.Update),
            Identical = Count(PlanAction.Skip),
            Conflicts = Count(PlanAction.Conflict),
            Blocked = Count(PlanAction.Blocked),
            Deletes = Count(PlanAction.Delete),
            Items = planItems,
        };

        // Once stored, the plan is the run's answer: a stop from here on must not hand the run back for a second plan.
        await StoreAsync(plan, CancellationToken.None);
        Report(run, new StoredCounts(plan.Items.Count, plan.Creates, plan.Updates, plan.Identical, plan.Conflicts, plan.Blocked, plan.Deletes));
        await run.ReportProgressAsync(CancellationToken.None);
        return OperationJobResult.Succeeded;
    }

    private static void Report(IOperationRunContext run, StoredCounts counts)
    {
        run.Set(OperationSummaryKeys.Total, counts.Items);
        run.Set(OperationSummaryKeys.Processed, counts.Items);
        run.Set(RestorePlanSummaryKeys.Creates, counts.Creates);
        run.Set(RestorePlanSummaryKeys.Updates, counts.Updates);
        run.Set(RestorePlanSummaryKeys.Identical, counts.Identical);
        run.Set(RestorePlanSummaryKeys.Conflicts, counts.Conflicts);
        run.Set(RestorePlanSummaryKeys.Blocked, counts.Blocked);
        run.Set(RestorePlanSummaryKeys.Deletes, counts.Deletes);
    }

    private async Task<RestoreRequest?> LoadRequestAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Include(r => r.ItemChoices).Include(r => r.ReferenceChoices).Include(r => r.Deletions).AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
    }

    private async Task<StoredCounts?> StoredPlanAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Plans.AsNoTracking().Where(p => p.OperationRunId == runId)
            .Select(p => new StoredCounts(p.Items.Count, p.Creates, p.Updates, p.Identical, p.Conflicts, p.Blocked, p.Deletes)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The selection: every item of the selected families and every single item selected; and the notification templates
    /// and reusable settings the request's own set holds (by kind and lower-case id → name), selected or not.
    /// </summary>
    private async Task<(IReadOnlyList<SourceItem> Items, IReadOnlyDictionary<(ReferenceKind Kind, string Id), string> BackedUp)> ReadSelectionAsync(
        RestoreRequest request, CancellationToken cancellationToken)
    {
        var families = request.Families.ToHashSet(StringComparer.Ordinal);
        var single = request.ItemIds.ToHashSet();
        var contents = new List<BackupItemContent>();
        var backedUp = new Dictionary<(ReferenceKind Kind, string Id), string>();
        foreach (var setId in request.SourceSetIds())
        {
            var listed = await backupSets.ListItemsAsync(setId, cancellationToken);
            if (setId == request.SourceBackupSetId)
            {
                foreach (var item in listed)
                {
                    ReferenceKind? kind = item.Family switch
                    {
                        GraphResourceKeys.NotificationMessageTemplates => ReferenceKind.NotificationTemplate,
                        GraphResourceKeys.ReusablePolicySettings => ReferenceKind.ReusableSetting,
                        _ => null,
                    };
                    if (kind is { } k)
                    {
                        backedUp.TryAdd((k, item.GraphId.ToLowerInvariant()), item.DisplayName);
                    }
                }
            }

            // Whole families only ever come from the request's own set; a rollback's further sets give single items.
            var ids = listed.Where(i => (setId == request.SourceBackupSetId && families.Contains(i.Family)) || single.Contains(i.Id)).Select(i => i.Id).ToList();
            contents.AddRange(await backupSets.ReadItemsAsync(setId, ids, cancellationToken));
        }

        return ([.. contents.OrderBy(c => c.Family, StringComparer.Ordinal).ThenBy(c => c.DisplayName, StringComparer.Ordinal).ThenBy(c => c.Id)
            .Select(c => new SourceItem(c.Id, c.Family, c.GraphId, c.DisplayName, c.ODataType, c.Content, c.Assignments, c.Unreadable))], backedUp);
    }

    private async Task ReadTargetAsync(Guid tenantId, IReadOnlyList<SourceItem> items, PlanSettings settings, LiveRead live, CancellationToken cancellationToken)
    {
        var listings = new Dictionary<string, IReadOnlyList<TargetObject>>(StringComparer.Ordinal);
        foreach (var family in items.Select(i => i.Family).Distinct(StringComparer.Ordinal).Where(f => settings.Families.GetValueOrDefault(f)))
        {
            var objects = new List<TargetObject>();
            var defaultProperty = settings.DefaultObjectProperties?.GetValueOrDefault(family);
            var fixedProperty = settings.FixedProperties?.GetValueOrDefault(family);
            await foreach (var page in graph.ListObjectsAsync(tenantId, family, cancellationToken))
            {
                objects.AddRange(page.Items.Select(o => new TargetObject(o.Id, o.DisplayName, o.ODataType, o.LastModifiedDateTime,
                    IsDefault: defaultProperty is not null && o.Raw[defaultProperty] is JsonValue flag && flag.TryGetValue<bool>(out var isDefault) && isDefault,
                    Fixed: fixedProperty is not null && o.Raw[fixedProperty] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null)));
            }

            listings[family] = objects;
        }

        live.Matches = PlanBuilder.Match(items, listings, settings);
        foreach (var match in live.Matches.Where(m => m.Verdict is null && m.Target is not null))
        {
            if (live.Details.ContainsKey(match.Target!.Id))
            {
                continue;
            }

            try
            {
                var detail = await graph.GetPolicyAsync(tenantId, match.Item.Family, match.Target.Id, cancellationToken);
                live.Details[match.Target.Id] = new TargetDetail(detail.Id, detail.DisplayName, detail.ODataType, detail.Content, [.. detail.Assignments.Select(a => a.DeepClone())]);
            }
            catch (GraphRequestException e) when (e.Kind == GraphFailureKind.NotFound && !cancellationToken.IsCancellationRequested)
            {
                // Deleted between the listing and the read: the builder reports the item in conflict ("plan again").
            }
        }

        live.TargetFilters = await ListNamedAsync(tenantId, GraphResourceKeys.AssignmentFilters, cancellationToken);
        live.TargetScopeTags = await ListNamedAsync(tenantId, GraphResourceKeys.RoleScopeTags, cancellationToken);

        // Templates and reusable settings only when the selection names any: most restores name none.
        var references = ContentReferences(items);
        if (references.Any(r => r.NotificationTemplateIds.Count > 0))
        {
            live.TargetNotificationTemplates = await ListNamedAsync(tenantId, GraphResourceKeys.NotificationMessageTemplates, cancellationToken);
        }

        if (references.Any(r => r.ReusableSettingIds.Count > 0))
        {
            live.TargetReusableSettings = await ListNamedAsync(tenantId, GraphResourceKeys.ReusablePolicySettings, cancellationToken);
        }
    }

    private static List<GraphReferenceSet> ContentReferences(IReadOnlyList<SourceItem> items) =>
        [.. items.Where(i => i.Content is not null).Select(i => GraphReferences.Collect(i.Content, i.Assignments))];

    /// <summary>
    /// A rollback's deletions, each read live by id as a backup reads it: what the delete item shows and what execute
    /// compares before it deletes. A 404 leaves it out (the builder skips it: "already gone"); families TenantAtlas cannot
    /// restore are not read (the builder blocks them).
    /// </summary>
    private async Task ReadDeletionsAsync(Guid tenantId, IReadOnlyList<DeletionItem> deletions, PlanSettings settings, LiveRead live, CancellationToken cancellationToken)
    {
        foreach (var deletion in deletions.Where(d => settings.Families.GetValueOrDefault(d.Family)))
        {
            try
            {
                var detail = await graph.GetPolicyAsync(tenantId, deletion.Family, deletion.ObjectId, cancellationToken);
                live.DeletionTargets[deletion.Id] = new TargetDetail(detail.Id, detail.DisplayName, detail.ODataType, detail.Content, [.. detail.Assignments.Select(a => a.DeepClone())]);
            }
            catch (GraphRequestException e) when (e.Kind == GraphFailureKind.NotFound && !cancellationToken.IsCancellationRequested)
            {
                // Deleted by hand since: nothing left to delete.
            }
        }
    }

    /// <summary>
    /// A cross-tenant restore needs the source's names of the filters, scope tags, notification templates and reusable
    /// settings it references: read live, each only when referenced.
    /// </summary>
    private async Task ReadSourceDependenciesAsync(Guid sourceTenantId, IReadOnlyList<SourceItem> items, LiveRead live, CancellationToken cancellationToken)
    {
        var references = ContentReferences(items);
        if (references.Any(r => r.FilterIds.Count > 0))
        {
            live.SourceFilters = await ListNamedAsync(sourceTenantId, GraphResourceKeys.AssignmentFilters, cancellationToken);
        }

        if (references.Any(r => r.ScopeTagIds.Any(t => t != PlanBuilder.DefaultScopeTagId)))
        {
            live.SourceScopeTags = await ListNamedAsync(sourceTenantId, GraphResourceKeys.RoleScopeTags, cancellationToken);
        }

        if (references.Any(r => r.NotificationTemplateIds.Count > 0))
        {
            live.SourceNotificationTemplates = await ListNamedAsync(sourceTenantId, GraphResourceKeys.NotificationMessageTemplates, cancellationToken);
        }

        if (references.Any(r => r.ReusableSettingIds.Count > 0))
        {
            live.SourceReusableSettings = await ListNamedAsync(sourceTenantId, GraphResourceKeys.ReusablePolicySettings, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<NamedObject>> ListNamedAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        var objects = new List<NamedObject>();
        await foreach (var page in graph.ListObjectsAsync(tenantId, key, cancellationToken))
        {
            objects.AddRange(page.Items.Select(o => new NamedObject(o.Id, o.DisplayName, o.Raw["platform"]?.ToString())));
        }

        return [.. objects.OrderBy(o => o.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Id, StringComparer.Ordinal)];
    }

    /// <summary>Names for the dependency map from the database: directory caches (groups) and the live reads (filters, scope tags).</summary>
    private async Task<ReferenceDirectory> ReferenceDirectoryAsync(RestoreRequest request, IReadOnlyList<SourceItem> items, PlanSettings settings, LiveRead live, CancellationToken cancellationToken)
    {
        var groupIds = items.Where(i => i.Content is not null)
            .SelectMany(i => GraphReferences.Collect(i.Content, i.Assignments).GroupIds).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var sourceGroups = await directory.GetGroupsAsync(request.SourceTenantId, groupIds, cancellationToken);
        var sourceNames = sourceGroups.GroupBy(g => g.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().DisplayName, StringComparer.OrdinalIgnoreCase);
        var mappedGroupIds = settings.ReferenceChoices.Where(c => c.Kind == ReferenceKind.Group && c.Action == ReferenceAction.Map && c.TargetId is not null).Select(c => c.TargetId!);
        var settingsOfTarget = await directory.GetSettingsAsync(request.TargetTenantId, cancellationToken);

        var targetById = await directory.GetGroupsAsync(request.TargetTenantId, [.. groupIds, .. mappedGroupIds, .. settingsOfTarget.ProtectedGroupIds], cancellationToken);
        var targetByName = await directory.FindGroupsByDisplayNamesAsync(request.TargetTenantId, sourceNames.Values, cancellationToken);
        var targetGroups = targetById.Where(g => !g.IsDeleted).Concat(targetByName)
            .GroupBy(g => g.Id, StringComparer.OrdinalIgnoreCase).Select(g => new NamedObject(g.Key, g.First().DisplayName)).ToList();

        var labels = await directory.GetGroupLabelsAsync(request.TargetTenantId, settingsOfTarget.ProtectedGroupIds, cancellationToken);
        var protectedGroups = settingsOfTarget.ProtectedGroupIds.Select(id => new NamedObject(id, labels.TryGetValue(id, out var l) ? l.Text : DirectoryLabels.UnknownGroup(id))).ToList();

        return settings.CrossTenant
            ? new ReferenceDirectory(sourceNames, targetGroups, live.SourceFilters, live.TargetFilters, live.SourceScopeTags, live.TargetScopeTags, protectedGroups)
            {
                SourceNotificationTemplates = live.SourceNotificationTemplates, TargetNotificationTemplates = live.TargetNotificationTemplates,
                SourceReusableSettings = live.SourceReusableSettings, TargetReusableSettings = live.TargetReusableSettings,
            }
            : new ReferenceDirectory(sourceNames, targetGroups, live.TargetFilters, live.TargetFilters, live.TargetScopeTags, live.TargetScopeTags, protectedGroups)
            {
                SourceNotificationTemplates = live.TargetNotificationTemplates, TargetNotificationTemplates = live.TargetNotificationTemplates,
                SourceReusableSettings = live.TargetReusableSettings, TargetReusableSettings = live.TargetReusableSettings,
            };
    }

    private async Task StoreAsync(RestorePlan plan, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Plans.AnyAsync(p => p.OperationRunId == plan.OperationRunId, cancellationToken))
        {
            return;
        }

        db.Plans.Add(plan);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two deliveries of one run raced to store: the first plan is the run's (unique index on operation_run_id).
        }
    }

    private sealed record StoredCounts(int Items, int Creates, int Updates, int Identical, int Conflicts, int Blocked, int Deletes);

    /// <summary>What the envelope's work read, for the steps after it.</summary>
    private sealed class LiveRead
    {
        public IReadOnlyList<ItemMatch> Matches { get; set; } = [];

        public Dictionary<string, TargetDetail> Details { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>A rollback's deletions found in the target, by <see cref="RestoreDeletion"/> id.</summary>
        public Dictionary<long, TargetDetail> DeletionTargets { get; } = [];

        public IReadOnlyList<NamedObject> TargetFilters { get; set; } = [];

        public IReadOnlyList<NamedObject> TargetScopeTags { get; set; } = [];

        public IReadOnlyList<NamedObject> SourceFilters { get; set; } = [];

        public IReadOnlyList<NamedObject> SourceScopeTags { get; set; } = [];

        public IReadOnlyList<NamedObject> TargetNotificationTemplates { get; set; } = [];

        public IReadOnlyList<NamedObject> SourceNotificationTemplates { get; set; } = [];

        public IReadOnlyList<NamedObject> TargetReusableSettings { get; set; } = [];

        public IReadOnlyList<NamedObject> SourceReusableSettings { get; set; } = [];
    }
}
