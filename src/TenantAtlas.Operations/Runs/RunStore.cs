using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;

namespace TenantAtlas.Operations.Runs;

/// <summary>
/// The one home of every write to <c>operations.operation_runs</c>. Each method is a named transition of a run's life and
/// is conditional on the state it leaves (a status, a job id, a claim), so two processes racing for the same run never
/// both win and nothing overwrites a final state. Inserts share one column list; identities come from
/// <see cref="RunIdentity"/>. Status, outcome and identity rule are enums here and everywhere else; their wire
/// spellings appear only in this file's SQL and in the table's definition.
/// </summary>
internal sealed class RunStore(IDbContextFactory<OperationsDbContext> dbFactory, TimeProvider clock)
{
    // ---- Reads the lifecycle needs ----

    public async Task<OperationRun?> FindAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
    }

    public async Task<IReadOnlyList<OperationRun>> FindManyAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var ids = runIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
    }

    /// <summary>The queued or running run holding a dedupe identity, if any.</summary>
    public async Task<OperationRun?> FindActiveAsync(string identityKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking()
            .Where(r => r.IdentityKey == identityKey && r.IdentityRule == IdentityRule.Dedupe
                        && (r.Status == OperationRunStatus.Queued || r.Status == OperationRunStatus.Running))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The run holding an identity after an insert lost to it: the active dedupe run or the slot's run.</summary>
    public async Task<OperationRun?> FindHolderAsync(RunIdentity identity, CancellationToken cancellationToken) => identity.Rule switch
    {
        IdentityRule.Dedupe => await FindActiveAsync(identity.Key, cancellationToken),
        IdentityRule.StrictSchedule => await FindByKeyAsync(identity, cancellationToken),
        _ => null,
    };

    private async Task<OperationRun?> FindByKeyAsync(RunIdentity identity, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.IdentityKey == identity.Key && r.IdentityRule == identity.Rule).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<OperationRun?> FindLatestAsync(string type, Guid tenantId, bool completedOnly, bool successfulOnly, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking().Where(r => r.TenantId == tenantId && r.Type == type);
        if (completedOnly || successfulOnly)
        {
            query = query.Where(r => r.Status == OperationRunStatus.Completed);
        }

        if (successfulOnly)
        {
            query = query.Where(r => r.Outcome == OperationRunOutcome.Succeeded || r.Outcome == OperationRunOutcome.PartiallySucceeded);
        }

        return await query.OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    // ---- Inserts: one column list for a start, a scheduler tick and a backfill ----

    /// <summary>
    /// Inserts one run. Returns it as stored, or null when the database refused it because a run already holds its
    /// identity (an active dedupe run, the slot's run) — the caller then looks that run up.
    /// </summary>
    public async Task<OperationRun?> InsertAsync(OperationRun run, CancellationToken cancellationToken)
    {
        var sql = $"""
            INSERT INTO operations.operation_runs ({ColumnList})
            VALUES ({string.Join(", ", Columns.Select((_, i) => $"@c{i}"))})
            {OnIdentityConflict(run.IdentityRule)}
            RETURNING *
            """;
        var parameters = Columns.Select((c, i) => c.Single($"c{i}", run)).ToArray<object>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Not composable (an INSERT): read as it comes, in the same round trip.
        OperationRun? created = null;
        await foreach (var row in db.Runs.FromSqlRaw(sql, parameters).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            created = row;
        }

        return created;
    }

    /// <summary>
    /// Inserts the runs of many schedule slots in ONE statement; a slot that already has a run (another scheduler, an
    /// earlier tick) is skipped by the slot index. Returns the runs this call created.
    /// </summary>
    public async Task<IReadOnlyList<OperationRun>> InsertSlotsAsync(IReadOnlyList<OperationRun> runs, CancellationToken cancellationToken)
    {
        if (runs.Any(r => r.IdentityRule != IdentityRule.StrictSchedule))
        {
            throw new ArgumentException("Only runs of schedule slots are inserted in bulk.", nameof(runs));
        }

        var created = new List<OperationRun>(runs.Count);
        var sql = $"{BulkInsertSql(OnIdentityConflict(IdentityRule.StrictSchedule))} RETURNING *";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in db.Runs.FromSqlRaw(sql, BulkParameters(runs))
                           .AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            created.Add(row);
        }

        return created;
    }

    /// <summary>
    /// Records runs that ended elsewhere (the demo history, an import of legacy history), exactly as given and finished.
    /// A run whose identity is already taken is skipped, so a repeated backfill adds nothing. Returns the runs added.
    /// </summary>
    public async Task<int> BackfillAsync(IReadOnlyList<OperationRun> runs, CancellationToken cancellationToken)
    {
        if (runs.Any(r => r.Status != OperationRunStatus.Completed || r.CompletedAt is null))
        {
            throw new ArgumentException("Only finished runs are backfilled: an active one would need a worker.", nameof(runs));
        }

        if (runs.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlRawAsync(BulkInsertSql("ON CONFLICT DO NOTHING"), BulkParameters(runs), cancellationToken);
    }

    /// <summary>
    /// Records finished runs that stand for rows of the old system's run tables, in ONE insert per call. A row that already
    /// has its run (an earlier or concurrent backfill) is skipped by the legacy reference index. A run that would take a
    /// schedule slot already held — by an earlier row of the same slot, in the database or earlier in this batch — is
    /// recorded as <paramref name="withoutSlot"/> makes it instead, so the strict slot index never rejects history and
    /// never admits a second run. Batches are serialized by a transaction-scoped advisory lock: a racing backfill sees the
    /// other's committed runs, which the arbiter skips before any other index is touched. Returns the runs added.
    /// </summary>
    public async Task<int> BackfillLegacyAsync(IReadOnlyList<OperationRun> runs, Func<OperationRun, OperationRun> withoutSlot, CancellationToken cancellationToken)
    {
        if (runs.Any(r => r.Status != OperationRunStatus.Completed || r.CompletedAt is null || r.LegacyTable is null || r.LegacyId is null))
        {
            throw new ArgumentException("Only finished runs with their legacy reference are backfilled from the old system.", nameof(runs));
        }

        if (runs.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LegacyBackfillLock})", cancellationToken);

        var slotRuns = runs.Where(r => r.IdentityRule == IdentityRule.StrictSchedule).ToList();
        var held = new HashSet<(Guid, DateTimeOffset)>();
        if (slotRuns.Count > 0)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = """
                SELECT r.schedule_id, r.scheduled_for FROM operations.operation_runs r
                  JOIN unnest(@s, @f) AS u(s, f) ON r.schedule_id = u.s AND r.scheduled_for = u.f
                 WHERE r.identity_rule = 'strict_schedule'
                """;
            command.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = slotRuns.Select(r => r.ScheduleId!.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = slotRuns.Select(r => r.ScheduledFor!.Value.ToUniversalTime()).ToArray(),
            });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add((reader.GetGuid(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero)));
            }
        }

        var rows = runs.Select(r =>
            r.IdentityRule != IdentityRule.StrictSchedule || held.Add((r.ScheduleId!.Value, r.ScheduledFor!.Value.ToUniversalTime())) ? r : withoutSlot(r)).ToList();
        var added = await db.Database.ExecuteSqlRawAsync(
            BulkInsertSql("ON CONFLICT (legacy_table, legacy_id) WHERE legacy_table IS NOT NULL DO NOTHING"), BulkParameters(rows), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>The advisory lock key of legacy backfill batches ("TALEGACY" in ASCII).</summary>
    private const long LegacyBackfillLock = 0x54414C4547414359;


    private static string OnIdentityConflict(IdentityRule rule) => rule switch
    {
        // The arbiters are the partial unique indexes of rule 3 (OperationsDbContext).
        IdentityRule.Dedupe => "ON CONFLICT (identity_key) WHERE status IN ('queued','running') AND identity_rule = 'dedupe' DO NOTHING",
        IdentityRule.StrictSchedule => "ON CONFLICT (schedule_id, scheduled_for) WHERE identity_rule = 'strict_schedule' DO NOTHING",
        _ => "",
    };

    private static string BulkInsertSql(string onConflict) => $"""
        INSERT INTO operations.operation_runs ({ColumnList})
        SELECT * FROM unnest({string.Join(", ", Columns.Select((_, i) => $"@c{i}"))})
        {onConflict}
        """;

    private static object[] BulkParameters(IReadOnlyList<OperationRun> runs) => [.. Columns.Select((c, i) => c.Array($"c{i}", runs))];

    private static readonly Column[] Columns =
    [
        Column.Of("workspace_id", NpgsqlDbType.Uuid, r => r.WorkspaceId),
        Column.Of("tenant_id", NpgsqlDbType.Uuid, r => r.TenantId),
        Column.Of("type", NpgsqlDbType.Varchar, r => r.Type),
        Column.Of("status", NpgsqlDbType.Varchar, r => r.Status.ToWire()),
        Column.Of("outcome", NpgsqlDbType.Varchar, r => r.Outcome.ToWire()),
        Column.Of("identity_rule", NpgsqlDbType.Varchar, r => r.IdentityRule.ToWire()),
        Column.Of("identity_key", NpgsqlDbType.Varchar, r => r.IdentityKey),
        Column.Of("identity_source", NpgsqlDbType.Jsonb, r => r.IdentitySource),
        Column.Of("context", NpgsqlDbType.Jsonb, r => r.Context),
        Column.Of("summary", NpgsqlDbType.Jsonb, r => r.Summary),
        Column.Of("failures", NpgsqlDbType.Jsonb, r => r.Failures),
        Column.Of("initiator_kind", NpgsqlDbType.Varchar, r => r.InitiatorKind),
        Column.Of("initiator_user_id", NpgsqlDbType.Uuid, r => r.InitiatorUserId),
        Column.Of("initiator_label", NpgsqlDbType.Varchar, r => r.InitiatorLabel),
        Column.Of("initiator_reason", NpgsqlDbType.Varchar, r => r.InitiatorReason),
        Column.Of("retry_of_run_id", NpgsqlDbType.Bigint, r => r.RetryOfRunId),
        Column.Of("schedule_id", NpgsqlDbType.Uuid, r => r.ScheduleId),
        Column.Of("scheduled_for", NpgsqlDbType.TimestampTz, r => r.ScheduledFor?.ToUniversalTime()),
        Column.Of("restore_request_id", NpgsqlDbType.Uuid, r => r.RestoreRequestId),
        Column.Of("hangfire_job_id", NpgsqlDbType.Varchar, r => r.HangfireJobId),
        Column.Of("dispatch_claimed_at", NpgsqlDbType.TimestampTz, r => r.DispatchClaimedAt?.ToUniversalTime()),
        Column.Of("job_redispatches", NpgsqlDbType.Integer, r => r.JobRedispatches),
        Column.Of("hand_backs", NpgsqlDbType.Integer, r => r.HandBacks),
        Column.Of("heartbeat_at", NpgsqlDbType.TimestampTz, r => r.HeartbeatAt?.ToUniversalTime()),
        Column.Of("cancellation_requested_at", NpgsqlDbType.TimestampTz, r => r.CancellationRequestedAt?.ToUniversalTime()),
        Column.Of("created_at", NpgsqlDbType.TimestampTz, r => r.CreatedAt.ToUniversalTime()),
        Column.Of("started_at", NpgsqlDbType.TimestampTz, r => r.StartedAt?.ToUniversalTime()),
        Column.Of("completed_at", NpgsqlDbType.TimestampTz, r => r.CompletedAt?.ToUniversalTime()),
        Column.Of("completion_reason", NpgsqlDbType.Varchar, r => r.CompletionReason),
        Column.Of("legacy_table", NpgsqlDbType.Varchar, r => r.LegacyTable),
        Column.Of("legacy_id", NpgsqlDbType.Bigint, r => r.LegacyId),
    ];

    private static readonly string ColumnList = string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>A column of the insert: its value for one row, or the array of its values for <c>unnest</c>.</summary>
    private abstract record Column(string Name, NpgsqlDbType Type)
    {
        public static Column Of<T>(string name, NpgsqlDbType type, Func<OperationRun, T> value) => new Typed<T>(name, type, value);

        public abstract NpgsqlParameter Single(string parameter, OperationRun run);

        public abstract NpgsqlParameter Array(string parameter, IReadOnlyList<OperationRun> runs);

        private sealed record Typed<T>(string Name, NpgsqlDbType Type, Func<OperationRun, T> Value) : Column(Name, Type)
        {
            public override NpgsqlParameter Single(string parameter, OperationRun run) =>
                new(parameter, Type) { Value = (object?)Value(run) ?? DBNull.Value };

            public override NpgsqlParameter Array(string parameter, IReadOnlyList<OperationRun> runs) =>
                new(parameter, NpgsqlDbType.Array | Type) { Value = runs.Select(Value).ToArray() };
        }
    }

    // ---- Dispatch (the run row is the outbox, see OperationDispatcher) ----

    public async Task RecordJobIdAsync(long runId, string jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.Id == runId && r.HangfireJobId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HangfireJobId, jobId), cancellationToken);
    }

    public async Task RecordJobIdsAsync(IReadOnlyCollection<(long RunId, string JobId)> jobs, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE operations.operation_runs AS r SET hangfire_job_id = j.job_id
              FROM unnest(@ids, @jobs) AS j(id, job_id)
             WHERE r.id = j.id AND r.hangfire_job_id IS NULL
            """,
            [new NpgsqlParameter("ids", jobs.Select(e => e.RunId).ToArray()), new NpgsqlParameter("jobs", jobs.Select(e => e.JobId).ToArray())],
            cancellationToken);
    }

    /// <summary>Queued runs without a job whose dispatch claim is missing or older than <paramref name="claimedBefore"/>.</summary>
    public async Task<IReadOnlyList<(long Id, DateTimeOffset? ClaimedAt)>> FindUndispatchedAsync(DateTimeOffset claimedBefore, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.Status == OperationRunStatus.Queued && r.HangfireJobId == null && (r.DispatchClaimedAt == null || r.DispatchClaimedAt < claimedBefore))
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.DispatchClaimedAt }).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.DispatchClaimedAt))];
    }

    /// <summary>Claims a queued run's dispatch; only the process whose update still sees <paramref name="previousClaim"/> wins.</summary>
    public async Task<bool> ClaimForDispatchAsync(long runId, DateTimeOffset? previousClaim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs
            .Where(r => r.Id == runId && r.Status == OperationRunStatus.Queued && r.HangfireJobId == null && r.DispatchClaimedAt == previousClaim)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DispatchClaimedAt, now), cancellationToken) == 1;
    }

    /// <summary>Queued runs with a job id, enqueued (or created) before <paramref name="queuedBefore"/>, after id <paramref name="afterId"/>.</summary>
    public async Task<IReadOnlyList<(long Id, string JobId, int Redispatches)>> FindQueuedWithJobAsync(long afterId, DateTimeOffset queuedBefore, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.Status == OperationRunStatus.Queued && r.HangfireJobId != null && r.Id > afterId && (r.DispatchClaimedAt ?? r.CreatedAt) < queuedBefore)
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.HangfireJobId, r.JobRedispatches }).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.HangfireJobId!, r.JobRedispatches))];
    }

    /// <summary>
    /// Takes a lost job away from a queued run, under a fresh dispatch claim, counting the redispatch: if the enqueue that
    /// follows fails, the reconciler enqueues the run when the claim expires, as for any run left without a job.
    /// </summary>
    public async Task<bool> ReleaseLostJobAsync(long runId, string jobId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs
            .Where(r => r.Id == runId && r.Status == OperationRunStatus.Queued && r.HangfireJobId == jobId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.HangfireJobId, (string?)null)
                .SetProperty(r => r.DispatchClaimedAt, now)
                .SetProperty(r => r.JobRedispatches, r => r.JobRedispatches + 1), cancellationToken) == 1;
    }

    // ---- The worker's transitions ----

    /// <summary>
    /// queued → running: the job that wins this owns the run; a second delivery loses and exits. Returns the claim (the
    /// start time written, to the microsecond PostgreSQL keeps), or null when the run was not queued.
    /// </summary>
    public async Task<DateTimeOffset?> ClaimAsync(long runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Runs.Where(r => r.Id == runId && r.Status == OperationRunStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, OperationRunStatus.Running)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now), cancellationToken) == 1;
        return claimed ? now : null;
    }

    /// <summary>
    /// running → queued: the worker holding the run (the claim <paramref name="claimedAt"/>) is shutting down and gives the
    /// run back to be run again from the start. Conditional on the run still running under that claim and on no cancel
    /// having been asked for (a run the user wants stopped is cancelled, not repeated). The run becomes what a fresh start
    /// is: queued, claimed for dispatch now without a job (the caller enqueues one; if that fails the reconciler does when
    /// the claim expires), no start, no heartbeat — and no counts or failure entries: the next attempt repeats the work
    /// from the beginning and reports all of it again, so keeping the interrupted attempt's figures would count them twice.
    /// <c>hand_backs</c> keeps the trace.
    /// </summary>
    public async Task<bool> HandBackAsync(long runId, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs
            .Where(r => r.Id == runId && r.Status == OperationRunStatus.Running && r.StartedAt == claimedAt && r.CancellationRequestedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, OperationRunStatus.Queued)
                .SetProperty(r => r.StartedAt, (DateTimeOffset?)null)
                .SetProperty(r => r.HeartbeatAt, (DateTimeOffset?)null)
                .SetProperty(r => r.HangfireJobId, (string?)null)
                .SetProperty(r => r.DispatchClaimedAt, now)
                .SetProperty(r => r.Summary, "{}")
                .SetProperty(r => r.Failures, "[]")
                .SetProperty(r => r.HandBacks, r => r.HandBacks + 1), cancellationToken) == 1;
    }

    /// <summary>The worker is alive: records the beat and answers whether the run still runs and whether a cancel was asked for.</summary>
    public async Task<(bool Running, bool CancelRequested)> HeartbeatAsync(long runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Database.SqlQuery<DateTimeOffset?>(
                $"UPDATE operations.operation_runs SET heartbeat_at = {now} WHERE id = {runId} AND status = 'running' RETURNING cancellation_requested_at AS \"Value\"")
            .ToListAsync(cancellationToken);
        return rows.Count == 0 ? (false, false) : (true, rows[0] is not null);
    }

    /// <summary>Appends failure entries (a jsonb array) while the run runs; false when it no longer does.</summary>
    public async Task<bool> AppendFailuresAsync(long runId, string entries, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlAsync(
            $"UPDATE operations.operation_runs SET failures = failures || {entries}::jsonb WHERE id = {runId} AND status = 'running'", cancellationToken) == 1;
    }

    /// <summary>Replaces the summary counts (a jsonb object) while the run runs; false when it no longer does.</summary>
    public async Task<bool> FlushSummaryAsync(long runId, string summary, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlAsync(
            $"UPDATE operations.operation_runs SET summary = {summary}::jsonb WHERE id = {runId} AND status = 'running'", cancellationToken) == 1;
    }

    /// <summary>
    /// Completes a run that is still in one of <paramref name="from"/> (and, with <paramref name="whileJobId"/>, still
    /// waiting for that job): a final state is never overwritten. False when the run had already moved on.
    /// </summary>
    public async Task<bool> CompleteAsync(long runId, IReadOnlyCollection<OperationRunStatus> from, RunCompletion completion, CancellationToken cancellationToken, string? whileJobId = null)
    {
        var now = clock.GetUtcNow();
        var statuses = from.Select(s => s.ToWire()).ToArray();
        var failures = completion.FailuresJson(now);
        var beat = completion.ByWorker;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE operations.operation_runs
               SET status = 'completed', outcome = {completion.Outcome.ToWire()}, completed_at = {now}, completion_reason = {completion.Reason},
                   failures = failures || {failures}::jsonb, heartbeat_at = CASE WHEN {beat} THEN {now} ELSE heartbeat_at END
             WHERE id = {runId} AND status = ANY({statuses}) AND ({whileJobId}::text IS NULL OR hangfire_job_id = {whileJobId})
            """, cancellationToken) == 1;
    }

    /// <summary>
    /// Completes every running run whose last heartbeat is older than <paramref name="heartbeatBefore"/>, except
    /// <paramref name="aliveHere"/> (runs whose worker, in this process, is still trying to beat). Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<long>> CompleteStaleAsync(DateTimeOffset heartbeatBefore, long[] aliveHere, RunCompletion completion, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var failures = completion.FailuresJson(now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.SqlQuery<long>($"""
            UPDATE operations.operation_runs
               SET status = 'completed', outcome = {completion.Outcome.ToWire()}, completed_at = {now}, completion_reason = {completion.Reason},
                   failures = failures || {failures}::jsonb
             WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < {heartbeatBefore}) AND NOT (id = ANY({aliveHere}))
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A user's cancel: a queued run is completed as cancelled at once; a running one is asked to stop (its worker sees the
    /// request at its next heartbeat). Nothing when the run has finished or was already asked.
    /// </summary>
    public async Task<CancelTransition> RequestCancelAsync(long runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cancelledQueued = await db.Runs.Where(r => r.Id == runId && r.Status == OperationRunStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, OperationRunStatus.Completed)
                .SetProperty(r => r.Outcome, OperationRunOutcome.Cancelled)
                .SetProperty(r => r.CompletedAt, now)
                .SetProperty(r => r.CancellationRequestedAt, now)
                .SetProperty(r => r.CompletionReason, RunCompletion.CancelledReason), cancellationToken);
        if (cancelledQueued == 1)
        {
            return CancelTransition.CancelledQueued;
        }

        var requested = await db.Runs
            .Where(r => r.Id == runId && r.Status == OperationRunStatus.Running && r.CancellationRequestedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancellationRequestedAt, now), cancellationToken) == 1;
        return requested ? CancelTransition.StopRequested : CancelTransition.None;
    }
}

internal enum CancelTransition
{
    None,
    CancelledQueued,
    StopRequested,
}

/// <summary>How a run ends: its outcome, the reason (a code such as <c>worker_lost</c>) and the failure entry that explains it.</summary>
internal sealed record RunCompletion(OperationRunOutcome Outcome, string? Reason, (string Code, string Message)? Failure = null, bool ByWorker = false)
{
    public const string CancelledReason = "cancelled";

    /// <summary>The job ended and said how (written by the worker, which counts as its last heartbeat).</summary>
    public static RunCompletion Finished(OperationRunOutcome outcome) => new(outcome, null, ByWorker: true);

    /// <summary>A cancel request reached the job and it stopped.</summary>
    public static RunCompletion Cancelled() => new(OperationRunOutcome.Cancelled, CancelledReason, ByWorker: true);

    /// <summary>Failed for <paramref name="reason"/>, explained by one failure entry.</summary>
    public static RunCompletion Failed(string reason, string code, string message, bool byWorker = false) =>
        new(OperationRunOutcome.Failed, reason, (code, message), byWorker);

    public string FailuresJson(DateTimeOffset at) =>
        Failure is { } f ? RunMapping.FailureEntry.ArrayOf(f.Code, f.Message, null, at) : "[]";
}
