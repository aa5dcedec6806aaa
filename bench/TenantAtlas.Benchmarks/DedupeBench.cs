using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace TenantAtlas.Benchmarks;

/// <summary>One dedupe identity a user may start: a sync type on a tenant that has no active run of that type.</summary>
internal sealed record DedupeIdentity(Guid WorkspaceId, Guid TenantId, string Type)
{
    public string Key => $"{Type}|tenant:{TenantId}";
}

internal sealed record BurstResult(string Name, DedupeIdentity Identity, List<double> Latencies, int Created, int Deduped, int Errors, long RowsInDatabase, Dictionary<string, int> Statuses);

/// <summary>
/// N concurrent starts of ONE dedupe identity, released at once; each latency is from the common release to that start's
/// answer (so queueing behind the other starts counts). Created = starts whose insert returned a row; RowsInDatabase =
/// runs of the identity created since the burst began (ids above the newest before it), counted afterwards.
/// </summary>
internal sealed class DedupeBench(NpgsqlDataSource db, Guid userId, string userEmail)
{
    // The starter's statement (src/TenantAtlas.Operations/Runs/RunStore.cs, InsertAsync with IdentityRule.Dedupe), with the
    // columns a new run sets (the store also names the ones left at their defaults).
    private const string InsertSql = """
        INSERT INTO operations.operation_runs
            (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
             initiator_kind, initiator_user_id, initiator_label, initiator_reason, retry_of_run_id, schedule_id, scheduled_for,
             restore_request_id, dispatch_claimed_at, created_at)
        VALUES (@workspace, @tenant, @type, 'queued', 'pending', @rule, @key, @source::jsonb, @context::jsonb, @emptySummary::jsonb, '[]'::jsonb,
                @kind, @user, @label, @reason, @retryOf, @schedule, @scheduledFor, @restore, @now, @now)
        ON CONFLICT (identity_key) WHERE status IN ('queued','running') AND identity_rule = 'dedupe' DO NOTHING
        RETURNING id AS "Value"
        """;

    // What EF sends for the starter's follow-up reads: the new row by id, or the existing active row of the identity.
    private const string SelectByIdSql = "SELECT * FROM operations.operation_runs AS o WHERE o.id = @id LIMIT 1";

    private const string SelectExistingSql = """
        SELECT * FROM operations.operation_runs AS o
         WHERE o.identity_key = @key AND o.identity_rule = 'dedupe' AND o.status IN ('queued', 'running')
         LIMIT 1
        """;

    // The audit entry every start writes (created or deduplicated): the actor's email, then one insert.
    private const string AuditUserSql = "SELECT u.email FROM access.users AS u WHERE u.id = @id LIMIT 1";

    private const string AuditInsertSql = """
        INSERT INTO access.audit_entries (at, actor_user_id, actor_label, workspace_id, tenant_id, action, summary, operation_run_id)
        VALUES (@at, @user, @label, @workspace, @tenant, @action, @summary, @run)
        """;

    public async Task WarmPoolAsync(int connections)
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ => await db.OpenConnectionAsync()));
        await Task.WhenAll(opened.Select(async c =>
        {
            await using var ping = new NpgsqlCommand("SELECT 1", c);
            await ping.ExecuteScalarAsync();
        }));
        foreach (var connection in opened)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>The database path: the starter's insert + select-existing (optionally + its audit entry), N at once.</summary>
    public async Task<BurstResult> DatabaseBurstAsync(string name, DedupeIdentity identity, int concurrency, bool withAudit)
    {
        await WarmPoolAsync(concurrency);
        var since = await LastRunIdAsync(db);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long released = 0;
        var tasks = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            var created = await StartOnDatabaseAsync(identity, withAudit);
            return (Latency: Stopwatch.GetElapsedTime(released).TotalMilliseconds, Created: created);
        })).ToList();
        await Task.Delay(200);
        released = Stopwatch.GetTimestamp();
        gate.SetResult();
        var results = new List<(double Latency, bool? Created)>();
        var errors = 0;
        foreach (var task in tasks)
        {
            try
            {
                results.Add(await task);
            }
            catch (Exception e)
            {
                errors++;
                Console.Error.WriteLine($"  {name}: start failed: {e.Message}");
            }
        }

        var rows = await CountRunsAsync(identity, since);
        await MarkDispatchedAsync(identity, since);
        return new BurstResult(name, identity, [.. results.Select(r => r.Latency)], results.Count(r => r.Created == true),
            results.Count(r => r.Created == false), errors + results.Count(r => r.Created is null), rows, []);
    }

    /// <returns>true: created; false: deduplicated onto the existing run; null: neither (the active run completed meanwhile).</returns>
    private async Task<bool?> StartOnDatabaseAsync(DedupeIdentity identity, bool withAudit)
    {
        var now = DateTimeOffset.UtcNow;
        long runId;
        bool created;
        await using (var connection = await db.OpenConnectionAsync())
        {
            await using var insert = new NpgsqlCommand(InsertSql, connection);
            insert.Parameters.Add(new NpgsqlParameter("workspace", identity.WorkspaceId));
            insert.Parameters.Add(new NpgsqlParameter("tenant", identity.TenantId));
            insert.Parameters.Add(new NpgsqlParameter("type", identity.Type));
            insert.Parameters.Add(new NpgsqlParameter("rule", "dedupe"));
            insert.Parameters.Add(new NpgsqlParameter("key", identity.Key));
            insert.Parameters.Add(new NpgsqlParameter("source", JsonSerializer.Serialize(new Dictionary<string, string> { ["type"] = identity.Type, ["tenant_id"] = identity.TenantId.ToString() })));
            insert.Parameters.Add(new NpgsqlParameter("context", "{}"));
            insert.Parameters.Add(new NpgsqlParameter("kind", "user"));
            insert.Parameters.Add(new NpgsqlParameter("user", userId) { NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new NpgsqlParameter("label", userEmail));
            insert.Parameters.Add(new NpgsqlParameter("reason", DBNull.Value) { NpgsqlDbType = NpgsqlDbType.Varchar });
            insert.Parameters.Add(new NpgsqlParameter("retryOf", DBNull.Value) { NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter("schedule", DBNull.Value) { NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new NpgsqlParameter("scheduledFor", DBNull.Value) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter("restore", DBNull.Value) { NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new NpgsqlParameter("now", now));
            insert.Parameters.Add(new NpgsqlParameter("emptySummary", "{}"));
            var inserted = await insert.ExecuteScalarAsync();
            created = inserted is long;
            await using var select = new NpgsqlCommand(created ? SelectByIdSql : SelectExistingSql, connection);
            if (created)
            {
                select.Parameters.Add(new NpgsqlParameter("id", (long)inserted!));
            }
            else
            {
                select.Parameters.Add(new NpgsqlParameter("key", identity.Key));
            }

            await using var reader = await select.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return null;
            }

            runId = reader.GetInt64(reader.GetOrdinal("id"));
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
        }

        if (withAudit)
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var user = new NpgsqlCommand(AuditUserSql, connection);
            user.Parameters.Add(new NpgsqlParameter("id", userId));
            var label = (string?)await user.ExecuteScalarAsync() ?? userId.ToString();
            await using var audit = new NpgsqlCommand(AuditInsertSql, connection);
            audit.Parameters.Add(new NpgsqlParameter("at", DateTimeOffset.UtcNow));
            audit.Parameters.Add(new NpgsqlParameter("user", userId));
            audit.Parameters.Add(new NpgsqlParameter("label", label));
            audit.Parameters.Add(new NpgsqlParameter("workspace", identity.WorkspaceId));
            audit.Parameters.Add(new NpgsqlParameter("tenant", identity.TenantId));
            audit.Parameters.Add(new NpgsqlParameter("action", created ? "operation.started" : "operation.deduplicated"));
            audit.Parameters.Add(new NpgsqlParameter("summary", $"Benchmark start of {identity.Type} (run #{runId})."));
            audit.Parameters.Add(new NpgsqlParameter("run", runId));
            await audit.ExecuteNonQueryAsync();
        }

        return created;
    }

    /// <summary>The API path: N concurrent <c>POST /api/operations</c> with a personal access token.</summary>
    public static async Task<BurstResult> ApiBurstAsync(string name, HttpClient api, DedupeIdentity identity, int concurrency, NpgsqlDataSource db)
    {
        // Open the connections first, as a client that keeps them alive would have them.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            using var r = await api.GetAsync(new Uri("/healthz", UriKind.Relative));
        }));
        var since = await LastRunIdAsync(db);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long released = 0;
        var body = new { type = identity.Type, tenantId = identity.TenantId };
        var tasks = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            using var response = await api.PostAsJsonAsync(new Uri("/api/operations", UriKind.Relative), body);
            var text = await response.Content.ReadAsStringAsync();
            var latency = Stopwatch.GetElapsedTime(released).TotalMilliseconds;
            string? title = null;
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                try
                {
                    using var problem = JsonDocument.Parse(text);
                    title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
                }
                catch (JsonException)
                {
                }
            }

            return (Latency: latency, Status: (int)response.StatusCode, Title: title);
        })).ToList();
        await Task.Delay(200);
        released = Stopwatch.GetTimestamp();
        gate.SetResult();
        var results = new List<(double Latency, int Status, string? Title)>();
        var errors = 0;
        foreach (var task in tasks)
        {
            try
            {
                results.Add(await task);
            }
            catch (Exception e)
            {
                errors++;
                Console.Error.WriteLine($"  {name}: request failed: {e.Message}");
            }
        }

        var statuses = results.GroupBy(r => r.Title is null ? r.Status.ToString() : $"{r.Status} {r.Title}")
            .ToDictionary(g => g.Key, g => g.Count());
        var rows = await CountRunsAsync(db, identity, since);
        return new BurstResult(name, identity, [.. results.Select(r => r.Latency)], results.Count(r => r.Status == 201),
            results.Count(r => r.Status == 200), errors + results.Count(r => r.Status is not (200 or 201)), rows, statuses);
    }

    /// <summary>True when the identity has no active run, so a start of it creates one again.</summary>
    public static async Task<bool> IsIdleAsync(NpgsqlDataSource db, DedupeIdentity identity)
    {
        await using var active = db.CreateCommand(
            "SELECT NOT EXISTS (SELECT 1 FROM operations.operation_runs WHERE identity_key = @key AND identity_rule = 'dedupe' AND status IN ('queued', 'running'))");
        active.Parameters.Add(new NpgsqlParameter("key", identity.Key));
        return (bool)(await active.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The newest run id before a burst: its runs are the ones above it. A range on the primary key, so counting them
    /// afterwards reads a few rows instead of scanning a million between the rounds.
    /// </summary>
    private static async Task<long> LastRunIdAsync(NpgsqlDataSource db)
    {
        await using var last = db.CreateCommand("SELECT COALESCE(max(id), 0) FROM operations.operation_runs");
        return (long)(await last.ExecuteScalarAsync())!;
    }

    private Task<long> CountRunsAsync(DedupeIdentity identity, long since) => CountRunsAsync(db, identity, since);

    private static async Task<long> CountRunsAsync(NpgsqlDataSource db, DedupeIdentity identity, long since)
    {
        await using var count = db.CreateCommand("SELECT count(*) FROM operations.operation_runs WHERE id > @since AND identity_key = @key");
        count.Parameters.Add(new NpgsqlParameter("key", identity.Key));
        count.Parameters.Add(new NpgsqlParameter("since", since));
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The starter's next step would enqueue the Hangfire job and record its id; the benchmark records a placeholder
    /// instead, so the reconciler does not enqueue its runs during the rest of the measurement.
    /// </summary>
    private async Task MarkDispatchedAsync(DedupeIdentity identity, long since)
    {
        await using var mark = db.CreateCommand(
            "UPDATE operations.operation_runs SET hangfire_job_id = 'bench-dedupe' WHERE id > @since AND identity_key = @key AND hangfire_job_id IS NULL");
        mark.Parameters.Add(new NpgsqlParameter("key", identity.Key));
        mark.Parameters.Add(new NpgsqlParameter("since", since));
        await mark.ExecuteNonQueryAsync();
    }
}
