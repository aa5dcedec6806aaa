using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Requests;

namespace TenantAtlas.Restore.Rollback;

/// <summary>
/// <see cref="IRestoreRollbacks"/>: the rollback of a request is a new request into the same tenant whose source is the
/// pre-restore snapshots of the request's executes. What it takes back comes from the ledger of every execute of the
/// request (a stopped request planned and executed again has several): every object they updated or deleted (or may
/// have, a <see cref="ItemResult.Writing"/> row) is put back as it was before the request first wrote it — re-created
/// when it is gone —, every object they created is deleted (<see cref="RestoreRequest.Deletions"/>), even when a later
/// execute updated it. The rollback is planned and reviewed like any other request; nothing is written to the tenant here.
/// </summary>
internal sealed class RestoreRollbacks(
    IDbContextFactory<RestoreDbContext> dbFactory,
    RestoreRequests requests,
    IPreRestoreSnapshots snapshots,
    IBackupSets backupSets,
    IOperationRuns runs,
    IAccessService access,
    IAuditLog audit,
    TimeProvider clock) : IRestoreRollbacks
{
    public async Task<RestoreResult<RestoreRequestView>> RollbackAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        var (decision, request) = await requests.DecideAsync(userId, requestId, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return RestoreResult.Denied<RestoreRequestView>(decision);
        }

        if (await ExistingRollbackAsync(requestId, cancellationToken) is { } existing)
        {
            return new(AccessDecision.Allowed, await requests.ViewAsync(existing, cancellationToken));
        }

        if (request!.ExecuteRunId is not { } runId || await runs.FindAsync(runId, cancellationToken) is not { } execute)
        {
            return RestoreResult.Refused<RestoreRequestView>("The request was never executed: there is nothing to roll back.");
        }

        if (execute.Status != OperationRunStatus.Completed)
        {
            return RestoreResult.Refused<RestoreRequestView>("The request's execute has not finished: roll it back once it has.");
        }

        List<RestoreItemResult> written;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Every execute of the request, in the order they wrote (a stopped request planned and executed again has
            // several). Whatever each outcome (a failed or cancelled run may have written some items), the ledger says
            // what was written.
            written = [.. (await db.ItemResults.AsNoTracking().Where(x => x.RequestId == requestId).Where(MayHaveWritten)
                .OrderBy(x => x.OperationRunId).ThenBy(x => x.Id).ToListAsync(cancellationToken))];
        }

        if (written.Count == 0)
        {
            return RestoreResult.Refused<RestoreRequestView>("The execute wrote nothing to the target tenant: there is nothing to roll back.");
        }

        var requestSnapshots = (await snapshots.ListForRequestAsync(requestId, cancellationToken))
            .Where(s => s.TenantId == request.TargetTenantId && s.WorkspaceId == request.WorkspaceId).ToList();
        if (requestSnapshots.Count == 0)
        {
            return RestoreResult.Refused<RestoreRequestView>("The execute's pre-restore snapshot was not found: the request cannot be rolled back.");
        }

        // Each object's first write decides: created by the request → deleted; changed → put back as it was before that
        // first write, from the earliest snapshot taken up to then (no execute had written it before, so any of those
        // holds the original).
        var putBack = new List<(BackupItemInfo Item, bool StillThere, Guid SetId)>();
        var missing = new List<string>();
        var deletions = new List<RestoreDeletion>();
        var itemsOfSnapshot = new Dictionary<Guid, Dictionary<string, BackupItemInfo>>();
        foreach (var rows in written.Where(r => r.TargetObjectId is not null).GroupBy(r => ObjectKey(r.Family, r.TargetObjectId!)))
        {
            var first = rows.First();
            var last = rows.Last();
            if (IsCreation(first))
            {
                deletions.Add(new RestoreDeletion
                {
                    Family = first.Family, ObjectId = first.TargetObjectId!, DisplayName = first.DisplayName, ODataType = first.ODataType, CreatedByRunId = first.OperationRunId,
                });
                continue;
            }

            if (!IsChange(first))
            {
                continue;
            }

            BackupItemInfo? original = null;
            var from = Guid.Empty;
            foreach (var set in requestSnapshots.Where(s => s.OperationRunId <= first.OperationRunId))
            {
                if (!itemsOfSnapshot.TryGetValue(set.Id, out var items))
                {
                    items = (await backupSets.ListItemsAsync(set.Id, cancellationToken)).GroupBy(i => ObjectKey(i.Family, i.GraphId)).ToDictionary(g => g.Key, g => g.First());
                    itemsOfSnapshot[set.Id] = items;
                }

                if (items.TryGetValue(rows.Key, out original))
                {
                    from = set.Id;
                    break;
                }
            }

            if (original is null)
            {
                missing.Add($"\"{first.DisplayName}\"");
                continue;
            }

            putBack.Add((original, last.Result != ItemResult.Deleted && last.PlannedAction != PlanAction.Delete, from));
        }

        if (missing.Count > 0)
        {
            // Putting back only part of what was written while saying "rolled back" would be worse than refusing.
            return RestoreResult.Refused<RestoreRequestView>(
                $"The pre-restore snapshot lacks {missing.Count} object(s) the execute changed ({string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", …" : "")}): the request cannot be rolled back.");
        }

        if (putBack.Count == 0 && deletions.Count == 0)
        {
            return RestoreResult.Refused<RestoreRequestView>("The execute's ledger names no object it wrote: there is nothing TenantAtlas can roll back.");
        }

        // The rollback's source: the earliest snapshot it takes an object from, and any later ones beside it. A rollback
        // that only deletes still names the request's first snapshot (a request always has a source set).
        var usedSets = putBack.Select(p => p.SetId).ToHashSet();
        var sourceSets = requestSnapshots.Where(s => usedSets.Contains(s.Id)).ToList();
        var snapshot = sourceSets.FirstOrDefault() ?? requestSnapshots[0];

        var now = clock.GetUtcNow();
        var label = await access.GetUserLabelAsync(userId, cancellationToken) ?? userId.ToString();
        var rollback = new RestoreRequest
        {
            Id = Guid.CreateVersion7(now),
            WorkspaceId = request.WorkspaceId,
            TargetTenantId = request.TargetTenantId,
            SourceTenantId = request.TargetTenantId,
            SourceBackupSetId = snapshot.Id,
            MoreSourceSetIds = [.. sourceSets.Skip(1).Select(s => s.Id)],
            ItemIds = [.. putBack.Select(p => p.Item.Id)],
            CopySuffix = RestoreDefaults.CopySuffix,
            CreatedByUserId = userId,
            CreatedBy = label,
            CreatedAt = now,
            UpdatedAt = now,
            RollbackOfRequestId = request.Id,
            Deletions = deletions,
        };
        // Update the very object (same id); an object the execute deleted has none left to pick and is created again.
        rollback.ItemChoices.AddRange(putBack.Select(p => new RestoreItemChoice
        {
            RequestId = rollback.Id, BackupItemId = p.Item.Id, Mode = RestoreItemMode.UpdateExisting,
            TargetObjectId = p.StillThere ? p.Item.GraphId : null, ChosenBy = label, ChosenAt = now,
        }));
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Requests.Add(rollback);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another click created it first (unique index on rollback_of_request_id): that one is the rollback.
                var raced = await ExistingRollbackAsync(requestId, CancellationToken.None) ?? throw new InvalidOperationException("A rollback was refused as a duplicate but none exists.", e);
                return new(AccessDecision.Allowed, await requests.ViewAsync(raced, cancellationToken));
            }
        }

        await audit.WriteAsync(new AuditRecord(Actor.User(userId), rollback.WorkspaceId, RestoreAuditActions.RollbackCreated,
            $"Rollback {rollback.Id} of restore request {request.Id} created: {putBack.Count} object(s) put back from the pre-restore snapshot of {snapshot.CreatedAt:u}"
            + (sourceSets.Count > 1 ? $" and {sourceSets.Count - 1} later one(s) of the same request" : "") + ", "
            + $"{deletions.Count} object(s) the restore created deleted.", rollback.TargetTenantId), cancellationToken);

        // Planned at once, through the same path as the Plan button; a refused start leaves a draft the page can plan.
        await requests.PlanAsync(userId, rollback.Id, cancellationToken);
        return new(AccessDecision.Allowed, await requests.ViewAsync(rollback.Id, cancellationToken));
    }

    private async Task<Guid?> ExistingRollbackAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Where(r => r.RollbackOfRequestId == requestId).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// A ledger row whose item may have changed the target: written (created, updated, deleted), a write begun and never
    /// recorded (<see cref="ItemResult.Writing"/>: a crash mid-write), or a failed create for which Graph did return the
    /// new object's id (the object exists; a later step such as its assignments failed).
    /// </summary>
    /// <remarks>An expression, so the ledger's reads ask the database the same question (the restore page's Roll back button).</remarks>
    internal static readonly Expression<Func<RestoreItemResult, bool>> MayHaveWritten = row =>
        row.Result == ItemResult.Created || row.Result == ItemResult.Updated || row.Result == ItemResult.Deleted || row.Result == ItemResult.Writing
        || (row.Result == ItemResult.Failed && row.PlannedAction == PlanAction.Create && row.TargetObjectId != null);

    /// <summary>A written row of an object that existed before the execute: the snapshot has it, the rollback puts it back.</summary>
    private static bool IsChange(RestoreItemResult row) =>
        row.Result is ItemResult.Updated or ItemResult.Deleted || (row.Result == ItemResult.Writing && row.PlannedAction is PlanAction.Update or PlanAction.Delete);

    /// <summary>A written row of an object the execute created (its id known): the rollback deletes it.</summary>
    private static bool IsCreation(RestoreItemResult row) =>
        row.TargetObjectId is not null && (row.Result == ItemResult.Created || (row.Result is ItemResult.Writing or ItemResult.Failed && row.PlannedAction == PlanAction.Create));

    private static string ObjectKey(string family, string id) => family + "|" + id.ToLowerInvariant();
}
