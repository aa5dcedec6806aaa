using Microsoft.EntityFrameworkCore;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Rollback;

namespace TenantAtlas.Restore.Review;

/// <summary>One ledger row as the pages show it.</summary>
internal sealed record LedgerRow(
    long Id,
    long PlanItemId,
    long? BackupItemId,
    string Family,
    string DisplayName,
    string? ODataType,
    PlanAction PlannedAction,
    ItemResult Result,
    string? TargetObjectId,
    bool AssignmentsWritten,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>Which rows of a ledger to list; the counts are always of the whole ledger.</summary>
internal sealed record LedgerFilter(ItemResult? Result = null, string? Family = null, int Take = LedgerFilter.MaxRows)
{
    /// <summary>A page lists at most this many rows (and says how many matched): a ledger is as long as the plan.</summary>
    public const int MaxRows = 1000;
}

/// <summary>The ledger of one execute run: counts per result and per family, and the rows the filter matches in the order they were written.</summary>
internal sealed record LedgerView(
    long OperationRunId,
    IReadOnlyDictionary<ItemResult, int> Counts,
    IReadOnlyDictionary<string, int> Families,
    int Matching,
    IReadOnlyList<LedgerRow> Rows)
{
    public int Total => Counts.Values.Sum();

    public int Count(ItemResult result) => Counts.GetValueOrDefault(result);

    /// <summary>What the run changed in the target: what a rollback would take back.</summary>
    public int Written => Count(ItemResult.Created) + Count(ItemResult.Updated) + Count(ItemResult.Deleted);
}

/// <summary>
/// The read side of the execute ledger (<c>restore.restore_item_results</c>), from the database only. No access decision
/// here, as in <see cref="PlanQueries"/>: the pages decide before they ask.
/// </summary>
internal sealed class LedgerQueries(IDbContextFactory<RestoreDbContext> dbFactory)
{
    /// <summary>The ledger of the request's latest execute run; null when the request was never executed.</summary>
    public async Task<LedgerView?> LatestAsync(Guid requestId, LedgerFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new LedgerFilter();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runId = await db.Requests.AsNoTracking().Where(r => r.Id == requestId).Select(r => r.ExecuteRunId).FirstOrDefaultAsync(cancellationToken);
        if (runId is not { } executeRunId)
        {
            return null;
        }

        var ledger = db.ItemResults.AsNoTracking().Where(i => i.RequestId == requestId && i.OperationRunId == executeRunId);
        var counts = await ledger.GroupBy(i => i.Result).Select(g => new { Result = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var families = await ledger.GroupBy(i => i.Family).Select(g => new { Family = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var matching = ledger;
        if (filter.Result is { } result)
        {
            matching = matching.Where(i => i.Result == result);
        }

        if (filter.Family is { } family)
        {
            matching = matching.Where(i => i.Family == family);
        }

        var total = await matching.CountAsync(cancellationToken);
        // Ids grow as the run writes its rows: this is the order the items were taken, dependencies first.
        var rows = await matching.OrderBy(i => i.Id).Take(Math.Clamp(filter.Take, 0, LedgerFilter.MaxRows))
            .Select(i => new LedgerRow(i.Id, i.PlanItemId, i.BackupItemId, i.Family, i.DisplayName, i.ODataType, i.PlannedAction, i.Result,
                i.TargetObjectId, i.AssignmentsWritten, i.ErrorCode, i.ErrorMessage, i.StartedAt, i.FinishedAt))
            .ToListAsync(cancellationToken);
        return new LedgerView(
            executeRunId,
            counts.ToDictionary(c => c.Result, c => c.Count),
            families.OrderBy(f => f.Family, StringComparer.Ordinal).ToDictionary(f => f.Family, f => f.Count, StringComparer.Ordinal),
            total,
            rows);
    }

    /// <summary>Counts per result of each of these execute runs (the tenant page's recent restores); a run without rows is absent.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<ItemResult, int>>> CountsAsync(IReadOnlyCollection<long> executeRunIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executeRunIds);
        if (executeRunIds.Count == 0)
        {
            return new Dictionary<long, IReadOnlyDictionary<ItemResult, int>>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = executeRunIds.ToArray();
        var counts = await db.ItemResults.AsNoTracking().Where(i => ids.Contains(i.OperationRunId))
            .GroupBy(i => new { i.OperationRunId, i.Result }).Select(g => new { g.Key.OperationRunId, g.Key.Result, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return counts.GroupBy(c => c.OperationRunId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<ItemResult, int>)g.ToDictionary(c => c.Result, c => c.Count));
    }

    /// <summary>
    /// Whether any execute of the request may have changed the target — what a rollback takes back. Not only the latest
    /// run: a stopped request executed again can have written in its first run and nothing in its second.
    /// </summary>
    public async Task<bool> MayHaveWrittenAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ItemResults.AsNoTracking().Where(i => i.RequestId == requestId).AnyAsync(RestoreRollbacks.MayHaveWritten, cancellationToken);
    }

    /// <summary>The rollback of a request, when one was created (at most one: a unique index).</summary>
    public async Task<Guid?> FindRollbackAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Where(r => r.RollbackOfRequestId == requestId).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// When a request into <paramref name="targetTenantId"/> was created, for a link that names it (a rollback's "rollback
    /// of …"). The caller has decided access on that tenant; a rollback restores into the tenant of the request it takes back.
    /// </summary>
    public async Task<DateTimeOffset?> CreatedAtAsync(Guid requestId, Guid targetTenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Where(r => r.Id == requestId && r.TargetTenantId == targetTenantId)
            .Select(r => (DateTimeOffset?)r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }
}
