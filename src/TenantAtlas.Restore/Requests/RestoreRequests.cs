using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Restore.Requests;

/// <summary>
/// The restore request record: created, chosen on, planned and cancelled here, every call deciding access itself
/// (<c>tenant.restore.execute</c> on the target tenant). See <see cref="IRestoreRequests"/>.
/// </summary>
internal sealed class RestoreRequests(
    IDbContextFactory<RestoreDbContext> dbFactory,
    ITenantAccess tenantAccess,
    ITenantCatalog tenants,
    IAccessService access,
    IDirectoryLookup directory,
    IBackupSets backupSets,
    IOperationRuns runs,
    IAuditLog audit,
    TimeProvider clock) : IRestoreRequests
{
    public const int MaxSelectedItems = 5_000;

    public async Task<RestoreResult<RestoreRequestView>> CreateAsync(Guid userId, NewRestoreRequest input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var target = await tenantAccess.DecideAsync(input.TargetTenantId, userId, Capability.TenantRestoreExecute, cancellationToken);
        if (!target.IsAllowed)
        {
            return RestoreResult.Denied<RestoreRequestView>(target.Decision);
        }

        var set = await backupSets.FindAsync(input.SourceBackupSetId, cancellationToken);
        // A set of another workspace answers like an unknown one: the request must not learn it exists.
        if (set is null || set.WorkspaceId != target.Tenant!.WorkspaceId)
        {
            return RestoreResult.Refused<RestoreRequestView>("The backup set was not found.");
        }

        var suffix = input.CopySuffix ?? "";
        if (suffix.Trim().Length == 0 || suffix.Length > RestoreDefaults.MaxCopySuffixLength || suffix.Any(char.IsControl))
        {
            return RestoreResult.Refused<RestoreRequestView>(
                $"The copy suffix must be 1 to {RestoreDefaults.MaxCopySuffixLength} characters without control characters.");
        }

        var families = (input.Families ?? []).Where(f => !string.IsNullOrWhiteSpace(f)).Distinct(StringComparer.Ordinal).ToList();
        var itemIds = (input.ItemIds ?? []).Distinct().ToList();
        if (families.Count == 0 && itemIds.Count == 0)
        {
            return RestoreResult.Refused<RestoreRequestView>("Select at least one family or item of the backup set.");
        }

        if (itemIds.Count > MaxSelectedItems)
        {
            return RestoreResult.Refused<RestoreRequestView>($"Select at most {MaxSelectedItems} single items; select whole families instead.");
        }

        var items = await backupSets.ListItemsAsync(set.Id, cancellationToken);
        var setFamilies = items.Select(i => i.Family).ToHashSet(StringComparer.Ordinal);
        if (families.FirstOrDefault(f => !setFamilies.Contains(f)) is { } unknownFamily)
        {
            return RestoreResult.Refused<RestoreRequestView>($"The backup set holds no items of the family '{Truncate(unknownFamily)}'.");
        }

        var setItemIds = items.Select(i => i.Id).ToHashSet();
        if (itemIds.Where(id => !setItemIds.Contains(id)).Take(1).ToList() is [var unknownItem])
        {
            return RestoreResult.Refused<RestoreRequestView>($"The backup set holds no item {unknownItem}.");
        }

        var now = clock.GetUtcNow();
        var label = await access.GetUserLabelAsync(userId, cancellationToken) ?? userId.ToString();
        var request = new RestoreRequest
        {
            Id = Guid.CreateVersion7(now),
            WorkspaceId = target.Tenant.WorkspaceId,
            TargetTenantId = target.Tenant.Id,
            SourceTenantId = set.TenantId,
            SourceBackupSetId = set.Id,
            Families = families,
            ItemIds = itemIds,
            CopySuffix = suffix,
            CreatedByUserId = userId,
            CreatedBy = label,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Requests.Add(request);
            await db.SaveChangesAsync(cancellationToken);
        }

        var source = set.TenantId == target.Tenant.Id ? target.Tenant : await tenants.GetAsync(set.TenantId, cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(userId), request.WorkspaceId, RestoreAuditActions.RequestCreated,
            $"Restore request {request.Id} created: backup set of {source?.DisplayName ?? "a tenant"} from {set.CreatedAt:u} into {target.Tenant.DisplayName}.",
            request.TargetTenantId), cancellationToken);
        return new(AccessDecision.Allowed, await ViewAsync(request.Id, cancellationToken));
    }

    public async Task<RestoreResult<RestoreRequestView>> GetAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var (decision, _) = await DecideAsync(userId, requestId, cancellationToken);
        return decision != AccessDecision.Allowed
            ? RestoreResult.Denied<RestoreRequestView>(decision)
            : new(AccessDecision.Allowed, await ViewAsync(requestId, cancellationToken));
    }

    public async Task<RestoreResult<IReadOnlyList<RestoreRequestView>>> ListForTenantAsync(Guid userId, Guid tenantId, CancellationToken cancellationToken = default)
    {
        var decision = await tenantAccess.DecideAsync(tenantId, userId, Capability.TenantRestoreExecute, cancellationToken);
        if (!decision.IsAllowed)
        {
            return RestoreResult.Denied<IReadOnlyList<RestoreRequestView>>(decision.Decision);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Requests.AsNoTracking().Where(r => r.TargetTenantId == tenantId)
            .OrderByDescending(r => r.CreatedAt).Take(200).Select(r => r.Id).ToListAsync(cancellationToken);
        return new(AccessDecision.Allowed, await ViewsAsync(ids, cancellationToken));
    }

    public async Task<IReadOnlyList<RestoreRequestView>> ListForUserAsync(Guid userId, int take = 200, CancellationToken cancellationToken = default)
    {
        var workspaces = (await access.ListMembershipsAsync(userId, cancellationToken))
            .Where(m => m.Has(Capability.TenantRestoreExecute)).Select(m => m.WorkspaceId).ToArray();
        if (workspaces.Length == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Requests.AsNoTracking().Where(r => workspaces.Contains(r.WorkspaceId))
            .OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(take, 1, 500)).Select(r => r.Id).ToListAsync(cancellationToken);
        return await ViewsAsync(ids, cancellationToken);
    }

    public async Task<RestoreResult<StartResult>> PlanAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var (decision, request) = await DecideAsync(userId, requestId, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return RestoreResult.Denied<StartResult>(decision);
        }

        var state = (await ViewAsync(requestId, cancellationToken)).State;
        // A partially succeeded or stopped (cancelled) execute may be finished: a new plan reads the target as it now is
        // (what was written shows as identical) and its execute writes the rest. A fully succeeded request is done:
        // restore again with a new one.
        var finishable = state == RestoreState.Stopped || (state == RestoreState.Completed && request!.ExecuteRunId is { } executeRunId
            && await runs.FindAsync(executeRunId, cancellationToken) is { Outcome: OperationRunOutcome.PartiallySucceeded });
        if (state is RestoreState.Cancelled or RestoreState.Executing or RestoreState.Completed && !finishable)
        {
            return RestoreResult.Refused<StartResult>($"The request is {state.ToString().ToLowerInvariant()}: it cannot be planned again.");
        }

        var started = await runs.StartAsync(Actor.User(userId),
            new StartRequest(RestoreOperationTypes.Plan, request!.TargetTenantId) { WorkspaceId = request.WorkspaceId, RestoreRequestId = request.Id },
            cancellationToken);
        if (started.Run is { } run)
        {
            await RecordPlanRunAsync(dbFactory, request.Id, run.Id, clock.GetUtcNow(), cancellationToken);
        }

        return started.Decision == AccessDecision.Allowed ? new(AccessDecision.Allowed, started, started.Message) : RestoreResult.Denied<StartResult>(started.Decision);
    }

    /// <summary>Remembers the newest plan run of a request (the page's "planning…" state); an older run never replaces a newer one.</summary>
    internal static async Task RecordPlanRunAsync(IDbContextFactory<RestoreDbContext> dbFactory, Guid requestId, long runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Requests.Where(r => r.Id == requestId && (r.PlanRunId == null || r.PlanRunId < runId))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.PlanRunId, runId).SetProperty(r => r.UpdatedAt, now), cancellationToken);
    }

    public async Task<RestoreResult<RestoreRequestView>> ChooseItemAsync(Guid userId, Guid requestId, ItemChoice choice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var (refused, request) = await BeginChangeAsync(userId, requestId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (!Enum.IsDefined(choice.Mode))
        {
            return RestoreResult.Refused<RestoreRequestView>("Unknown restore mode.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var planItem = await LatestPlanItemAsync(db, requestId, choice.BackupItemId, cancellationToken);
        if (planItem is null)
        {
            return RestoreResult.Refused<RestoreRequestView>("The item is not part of the request's plan: plan the restore first.");
        }

        var targetId = choice.Mode == RestoreItemMode.UpdateExisting ? choice.TargetObjectId : null;
        if (targetId is not null)
        {
            var candidates = PlanJson.Read<List<PlanCandidate>>(planItem.Candidates, []);
            if (!candidates.Any(c => c.Id == targetId) && planItem.TargetObjectId != targetId)
            {
                return RestoreResult.Refused<RestoreRequestView>("Pick one of the objects the plan found in the target tenant.");
            }
        }

        var label = await access.GetUserLabelAsync(userId, cancellationToken) ?? userId.ToString();
        var now = clock.GetUtcNow();
        var existing = await db.ItemChoices.FirstOrDefaultAsync(c => c.RequestId == requestId && c.BackupItemId == choice.BackupItemId, cancellationToken);
        if (existing is null)
        {
            db.ItemChoices.Add(new RestoreItemChoice
            {
                RequestId = requestId, BackupItemId = choice.BackupItemId, Mode = choice.Mode, TargetObjectId = targetId, ChosenBy = label, ChosenAt = now,
            });
        }
        else
        {
            existing.Mode = choice.Mode;
            existing.TargetObjectId = targetId;
            existing.ChosenBy = label;
            existing.ChosenAt = now;
        }

        await db.Requests.Where(r => r.Id == requestId).ExecuteUpdateAsync(u => u.SetProperty(r => r.UpdatedAt, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var what = choice.Mode == RestoreItemMode.CreateCopy ? "create as a copy" : targetId is null ? "update the matched object" : $"update object {targetId}";
        await audit.WriteAsync(new AuditRecord(Actor.User(userId), request!.WorkspaceId, RestoreAuditActions.ItemChosen,
            $"Restore request {requestId}: \"{planItem.DisplayName}\" will {what}.", request.TargetTenantId), cancellationToken);
        return new(AccessDecision.Allowed, await ViewAsync(requestId, cancellationToken));
    }

    public async Task<RestoreResult<RestoreRequestView>> ChooseReferenceAsync(Guid userId, Guid requestId, ReferenceChoice choice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var (refused, request) = await BeginChangeAsync(userId, requestId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (!Enum.IsDefined(choice.Kind) || !Enum.IsDefined(choice.Action))
        {
            return RestoreResult.Refused<RestoreRequestView>("Unknown reference kind or action.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await db.Plans.AsNoTracking().Where(p => p.RequestId == requestId).OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var references = PlanJson.Read<List<PlanReference>>(plan?.References, []);
        var reference = references.FirstOrDefault(r => r.Kind == choice.Kind && r.SourceId == choice.SourceId);
        if (plan is null || reference is null)
        {
            return RestoreResult.Refused<RestoreRequestView>("The reference is not part of the request's plan: plan the restore first.");
        }

        string? targetName = null;
        if (choice.Action == ReferenceAction.Map)
        {
            targetName = choice.TargetId is { Length: > 0 and <= 200 } id ? await TargetNameAsync(plan, request!.TargetTenantId, choice.Kind, id, cancellationToken) : null;
            if (targetName is null)
            {
                return RestoreResult.Refused<RestoreRequestView>(choice.Kind switch
                {
                    ReferenceKind.Group => "Pick a group of the target tenant (from its directory cache; sync the directory if it is missing).",
                    ReferenceKind.AssignmentFilter => "Pick an assignment filter the plan read from the target tenant.",
                    ReferenceKind.NotificationTemplate => "Pick a notification template the plan read from the target tenant.",
                    ReferenceKind.ReusableSetting => "Pick a reusable setting the plan read from the target tenant.",
                    _ => "Pick a scope tag the plan read from the target tenant.",
                });
            }
        }

        var label = await access.GetUserLabelAsync(userId, cancellationToken) ?? userId.ToString();
        var now = clock.GetUtcNow();
        var existing = await db.ReferenceChoices.FirstOrDefaultAsync(c => c.RequestId == requestId && c.Kind == choice.Kind && c.SourceId == choice.SourceId, cancellationToken);
        if (choice.Action == ReferenceAction.Clear)
        {
            if (existing is not null)
            {
                db.ReferenceChoices.Remove(existing);
            }
        }
        else if (existing is null)
        {
            db.ReferenceChoices.Add(new RestoreReferenceChoice
            {
                RequestId = requestId, Kind = choice.Kind, SourceId = choice.SourceId, Action = choice.Action,
                TargetId = choice.Action == ReferenceAction.Map ? choice.TargetId : null, TargetDisplayName = targetName, ChosenBy = label, ChosenAt = now,
            });
        }
        else
        {
            existing.Action = choice.Action;
            existing.TargetId = choice.Action == ReferenceAction.Map ? choice.TargetId : null;
            existing.TargetDisplayName = targetName;
            existing.ChosenBy = label;
            existing.ChosenAt = now;
        }

        await db.Requests.Where(r => r.Id == requestId).ExecuteUpdateAsync(u => u.SetProperty(r => r.UpdatedAt, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var kind = KindLabel(choice.Kind);
        var source = reference.SourceDisplayName is { } name ? $"\"{name}\" ({choice.SourceId})" : choice.SourceId;
        var summary = choice.Action switch
        {
            ReferenceAction.Map => $"Restore request {requestId}: {kind} {source} mapped to \"{targetName}\" ({choice.TargetId}).",
            ReferenceAction.Drop => choice.Kind switch
            {
                ReferenceKind.ScopeTag => $"Restore request {requestId}: {kind} {source} will be dropped.",
                ReferenceKind.NotificationTemplate => $"Restore request {requestId}: notification actions using {kind} {source} will be dropped.",
                ReferenceKind.ReusableSetting => $"Restore request {requestId}: setting values naming {kind} {source} will be dropped.",
                _ => $"Restore request {requestId}: assignments using {kind} {source} will be dropped.",
            },
            _ => $"Restore request {requestId}: the choice for {kind} {source} was cleared.",
        };
        await audit.WriteAsync(new AuditRecord(Actor.User(userId), request!.WorkspaceId, RestoreAuditActions.ReferenceChosen, summary, request.TargetTenantId), cancellationToken);
        return new(AccessDecision.Allowed, await ViewAsync(requestId, cancellationToken));
    }

    public async Task<RestoreResult<RestoreRequestView>> CancelAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var (refused, request) = await BeginChangeAsync(userId, requestId, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Requests.Where(r => r.Id == requestId && r.CancelledAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelledAt, now).SetProperty(r => r.UpdatedAt, now), cancellationToken);
        }

        if (request!.PlanRunId is { } planRun)
        {
            // A plan still reading the target is of no use any more.
            await runs.CancelAsync(Actor.User(userId), planRun, cancellationToken);
        }

        await audit.WriteAsync(new AuditRecord(Actor.User(userId), request.WorkspaceId, RestoreAuditActions.RequestCancelled,
            $"Restore request {requestId} cancelled.", request.TargetTenantId), cancellationToken);
        return new(AccessDecision.Allowed, await ViewAsync(requestId, cancellationToken));
    }

    /// <summary>Unknown request, or one whose target the user may not see → NotFound; a member without the capability → Forbidden.</summary>
    internal async Task<(AccessDecision Decision, RestoreRequest? Request)> DecideAsync(Guid userId, Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return (AccessDecision.NotFound, null);
        }

        var decision = await tenantAccess.DecideAsync(request.TargetTenantId, userId, Capability.TenantRestoreExecute, cancellationToken);
        return decision.Decision == AccessDecision.Allowed ? (AccessDecision.Allowed, request) : (decision.Decision, null);
    }

    /// <summary>Access first (404/403), then whether the request may still change: the refusal to return, or the request.</summary>
    private async Task<(RestoreResult<RestoreRequestView>? Refused, RestoreRequest? Request)> BeginChangeAsync(Guid userId, Guid requestId, CancellationToken cancellationToken)
    {
        var (decision, request) = await DecideAsync(userId, requestId, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return (RestoreResult.Denied<RestoreRequestView>(decision), null);
        }

        return await RefuseChangeAsync(requestId, cancellationToken) is { } refusal
            ? (RestoreResult.Refused<RestoreRequestView>(refusal), null)
            : (null, request);
    }

    private async Task<string?> RefuseChangeAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var state = (await ViewAsync(requestId, cancellationToken)).State;
        return state is RestoreState.Cancelled or RestoreState.Executing or RestoreState.Completed or RestoreState.Failed or RestoreState.Stopped
            ? $"The request is {state.ToString().ToLowerInvariant()}: its choices can no longer change."
            : null;
    }

    private static async Task<RestorePlanItem?> LatestPlanItemAsync(RestoreDbContext db, Guid requestId, long backupItemId, CancellationToken cancellationToken)
    {
        var planId = await db.Plans.AsNoTracking().Where(p => p.RequestId == requestId).OrderByDescending(p => p.CreatedAt)
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        return planId is null
            ? null
            : await db.PlanItems.AsNoTracking().FirstOrDefaultAsync(i => i.PlanId == planId && i.BackupItemId == backupItemId, cancellationToken);
    }

    private async Task<string?> TargetNameAsync(RestorePlan plan, Guid targetTenantId, ReferenceKind kind, string id, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ReferenceKind.Group:
                var labels = await directory.GetGroupLabelsAsync(targetTenantId, [id], cancellationToken);
                return labels.TryGetValue(id, out var label) && label.Known && !label.IsDeleted ? label.Text : null;
            case ReferenceKind.AssignmentFilter:
                return PlanJson.Read<List<NamedObject>>(plan.TargetAssignmentFilters, []).FirstOrDefault(f => f.Id == id)?.DisplayName;
            case ReferenceKind.NotificationTemplate:
                return PlanJson.Read<List<NamedObject>>(plan.TargetNotificationTemplates, []).FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.OrdinalIgnoreCase))?.DisplayName;
            case ReferenceKind.ReusableSetting:
                return PlanJson.Read<List<NamedObject>>(plan.TargetReusableSettings, []).FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.OrdinalIgnoreCase))?.DisplayName;
            default:
                return PlanJson.Read<List<NamedObject>>(plan.TargetScopeTags, []).FirstOrDefault(f => f.Id == id)?.DisplayName;
        }
    }

    internal static string KindLabel(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Group => "group",
        ReferenceKind.AssignmentFilter => "assignment filter",
        ReferenceKind.NotificationTemplate => "notification template",
        ReferenceKind.ReusableSetting => "reusable setting",
        _ => "scope tag",
    };

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    internal async Task<RestoreRequestView> ViewAsync(Guid requestId, CancellationToken cancellationToken) =>
        (await ViewsAsync([requestId], cancellationToken)).SingleOrDefault() ?? throw new InvalidOperationException($"Restore request {requestId} was not found.");

    /// <summary>
    /// The views of the requests, in the order of <paramref name="ids"/>, with a fixed number of reads whatever their count
    /// (a workspace's list shows up to 200): the requests, their plans and rollbacks, then their runs, tenants and sets in
    /// one read each.
    /// </summary>
    private async Task<IReadOnlyList<RestoreRequestView>> ViewsAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var wanted = ids.ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var requests = (await db.Requests.AsNoTracking().Include(x => x.ItemChoices).Include(x => x.ReferenceChoices)
            .AsSplitQuery().Where(x => wanted.Contains(x.Id)).ToListAsync(cancellationToken)).ToDictionary(x => x.Id);
        var planRunIds = requests.Values.Select(r => r.PlanRunId).OfType<long>().ToArray();
        var planned = (await db.Plans.AsNoTracking().Where(p => planRunIds.Contains(p.OperationRunId)).Select(p => p.OperationRunId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var rolledBackBy = (await db.Requests.AsNoTracking().Where(x => x.RollbackOfRequestId != null && wanted.Contains(x.RollbackOfRequestId.Value))
            .Select(x => new { x.Id, Of = x.RollbackOfRequestId!.Value }).ToListAsync(cancellationToken)).ToDictionary(x => x.Of, x => x.Id);
        var runViews = (await runs.FindManyAsync([.. requests.Values.SelectMany(r => new[] { r.PlanRunId, r.ExecuteRunId }).OfType<long>()], cancellationToken))
            .ToDictionary(r => r.Id);
        var sets = (await backupSets.FindManyAsync([.. requests.Values.Select(r => r.SourceBackupSetId)], cancellationToken)).ToDictionary(s => s.Id);
        var tenantNames = (await tenants.ListAsync([.. requests.Values.Select(r => r.WorkspaceId).Distinct()], cancellationToken))
            .ToDictionary(t => t.Id, t => t.DisplayName);
        foreach (var tenantId in requests.Values.SelectMany(r => new[] { r.TargetTenantId, r.SourceTenantId }).Distinct().Where(t => !tenantNames.ContainsKey(t)).ToList())
        {
            // A source tenant of another workspace (rare): looked up on its own; a deleted tenant has no name.
            if (await tenants.GetAsync(tenantId, cancellationToken) is { } other)
            {
                tenantNames[tenantId] = other.DisplayName;
            }
        }

        var views = new List<RestoreRequestView>(requests.Count);
        foreach (var id in ids)
        {
            if (!requests.TryGetValue(id, out var r))
            {
                continue;
            }

            var state = State(r, r.PlanRunId is { } planRunId && planned.Contains(planRunId), runViews);
            views.Add(new RestoreRequestView(
                r.Id, r.WorkspaceId, r.TargetTenantId, tenantNames.GetValueOrDefault(r.TargetTenantId) ?? "(deleted tenant)",
                r.SourceTenantId, tenantNames.GetValueOrDefault(r.SourceTenantId) ?? "(deleted tenant)",
                r.SourceBackupSetId, sets.GetValueOrDefault(r.SourceBackupSetId)?.CreatedAt, r.Families, r.ItemIds, r.CopySuffix, state, r.CreatedBy, r.CreatedAt,
                r.UpdatedAt, r.PlanRunId, r.ExecuteRunId,
                [.. r.ItemChoices.OrderBy(c => c.BackupItemId).Select(c => new ItemChoiceView(c.BackupItemId, c.Mode, c.TargetObjectId, c.ChosenBy, c.ChosenAt))],
                [.. r.ReferenceChoices.OrderBy(c => c.Kind).ThenBy(c => c.SourceId)
                    .Select(c => new ReferenceChoiceView(c.Kind, c.SourceId, c.Action, c.TargetId, c.TargetDisplayName, c.ChosenBy, c.ChosenAt))],
                r.RollbackOfRequestId,
                rolledBackBy.TryGetValue(r.Id, out var rollback) ? rollback : null));
        }

        return views;
    }

    private static RestoreState State(RestoreRequest r, bool hasPlanOfLatestRun, IReadOnlyDictionary<long, OperationRunView> runViews)
    {
        var execute = r.ExecuteRunId is { } executeRunId ? runViews.GetValueOrDefault(executeRunId) : null;
        // A plan started after the last execute (finishing a partial one) is where the request stands now.
        var plannedSinceExecute = execute is not null && r.PlanRunId is { } latestPlan
            && runViews.GetValueOrDefault(latestPlan) is { } planRun && planRun.CreatedAt > execute.CreatedAt;
        if (!plannedSinceExecute && execute is not null)
        {
            return execute.Status != OperationRunStatus.Completed ? RestoreState.Executing : execute.Outcome switch
            {
                OperationRunOutcome.Succeeded or OperationRunOutcome.PartiallySucceeded => RestoreState.Completed,
                OperationRunOutcome.Cancelled => RestoreState.Stopped,
                _ => RestoreState.Failed,
            };
        }

        if (r.CancelledAt is not null)
        {
            return RestoreState.Cancelled;
        }

        if (r.PlanRunId is not { } planRunId)
        {
            return RestoreState.Draft;
        }

        if (hasPlanOfLatestRun)
        {
            return RestoreState.Planned;
        }

        return runViews.GetValueOrDefault(planRunId) is { Status: not OperationRunStatus.Completed } ? RestoreState.Planning : RestoreState.Draft;
    }
}
