using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using TenantAtlas.Benchmarks;

// The operations benchmark: see docs/performance.md and scripts/bench-operations.sh, which prepares the app and its data.
// Usage: TenantAtlas.Benchmarks --base-url http://127.0.0.1:PORT --db "Host=…" --token tat_… [--iterations 1000]
//        [--warmup 200] [--concurrency 200] [--dedupe-rounds 5] [--dedupe-warmup 40] [--phase-seconds 120] [--markdown FILE] [--explain FILE]
//        [--command "…"] [--probe PATH]…   (--probe: only time the given paths as owner@demo.test, for diagnosis;
//        burst:PATH = simultaneous GETs, starts:N = N rounds of simultaneous API starts on fresh identities)
if (args is ["restore", ..])
{
    // The restore benchmark (scripts/bench-restore.sh).
    return await RestoreBench.RunAsync(args[1..]);
}

if (args is ["msp-night", ..])
{
    // The MSP-night benchmark (scripts/bench-msp-night.sh).
    return await MspNightBench.RunAsync(args[1..]);
}

if (args is ["inventory", ..])
{
    // The inventory sync benchmark (scripts/bench-inventory.sh).
    return await InventoryBench.RunAsync(args[1..]);
}

var options = Options.Parse(args);
ThreadPool.SetMinThreads(Math.Max(64, options.Concurrency / 2), 64);
var baseUrl = new Uri(options.BaseUrl);
var connection = new NpgsqlConnectionStringBuilder(options.Db) { MaxPoolSize = options.Concurrency + 50, ApplicationName = "tenantatlas-bench" };
await using var db = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
var total = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(options.TotalSeconds);

Console.WriteLine("== Operations benchmark");
var machine = await Machine.DescribeAsync(db);
foreach (var (key, value) in machine)
{
    Console.WriteLine($"  {key}: {value}");
}

if (options.Probe.Length > 0)
{
    // Diagnosis: time arbitrary paths as owner@demo.test (cookie; paths under /api with the token), then exit.
    using var probeBrowser = await AppClient.SignedInAsync(baseUrl, "owner@demo.test", options.Password);
    using var probeApi = AppClient.Create(baseUrl, options.Token);
    foreach (var path in options.Probe.Where(p => p.StartsWith("burst:", StringComparison.Ordinal)))
    {
        // burst:PATH — Concurrency simultaneous GETs with the token, released at once.
        var target = path["burst:".Length..];
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ => { using var r = await probeApi.GetAsync(new Uri("/healthz", UriKind.Relative)); }));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long released = 0;
        var burst = Enumerable.Range(0, options.Concurrency).Select(n => Task.Run(async () =>
        {
            await gate.Task;
            using var r = await probeApi.GetAsync(new Uri(target, UriKind.Relative));
            await r.Content.ReadAsByteArrayAsync();
            return (Stopwatch.GetElapsedTime(released).TotalMilliseconds, (int)r.StatusCode);
        })).ToList();
        await Task.Delay(200);
        released = Stopwatch.GetTimestamp();
        gate.SetResult();
        var done = await Task.WhenAll(burst);
        var st = Stats.Of(path, [.. done.Select(d => d.Item1)]);
        Console.WriteLine($"  {path} ×{options.Concurrency}: statuses {string.Join(",", done.GroupBy(d => d.Item2).Select(g => $"{g.Count()}×{g.Key}"))} min={Stats.Ms(done.Min(d => d.Item1))} p50={Stats.Ms(st.P50)} p95={Stats.Ms(st.P95)} max={Stats.Ms(st.Max)} ms");
    }

    foreach (var probe in options.Probe.Where(p => p.StartsWith("starts:", StringComparison.Ordinal)))
    {
        // starts:N — N rounds of Concurrency simultaneous API starts, each on a fresh dedupe identity of the owner's.
        var owner0 = await Scalar<Guid>("SELECT id FROM access.users WHERE normalized_email = 'OWNER@DEMO.TEST'");
        var fresh = new Queue<DedupeIdentity>(await Rows("""
            SELECT t.workspace_id, t.id, ty.type FROM access.memberships m JOIN tenants.tenants t ON t.workspace_id = m.workspace_id
             CROSS JOIN (VALUES ('inventory.sync'), ('directory_groups.sync'), ('directory_role_definitions.sync')) ty(type)
             WHERE m.user_id = @owner AND m.role IN ('Owner', 'Manager')
               AND NOT EXISTS (SELECT 1 FROM operations.operation_runs r
                                WHERE r.identity_key = ty.type || '|tenant:' || t.id AND r.status IN ('queued', 'running') AND r.identity_rule = 'dedupe')
            """, r => new DedupeIdentity(r.GetGuid(0), r.GetGuid(1), r.GetString(2)), ("owner", owner0)));
        for (var round = 0; round < int.Parse(probe["starts:".Length..], CultureInfo.InvariantCulture) && fresh.Count > 0; round++)
        {
            var b = await DedupeBench.ApiBurstAsync("probe", probeApi, fresh.Dequeue(), options.Concurrency, db);
            var st = Stats.Of("", b.Latencies);
            Console.WriteLine($"  starts round {round + 1}: created {b.Created}, deduplicated {b.Deduped}, errors {b.Errors}; min={Stats.Ms(b.Latencies.Min())} p50={Stats.Ms(st.P50)} p95={Stats.Ms(st.P95)} max={Stats.Ms(st.Max)} ms");
        }
    }

    foreach (var path in options.Probe.Where(p => !p.StartsWith("burst:", StringComparison.Ordinal) && !p.StartsWith("starts:", StringComparison.Ordinal)))
    {
        await Http($"probe {path}", path.StartsWith("/api", StringComparison.Ordinal) ? probeApi : probeBrowser, () => path);
    }

    return 0;
}

// --- The data the measurements use --------------------------------------------------------------------------------------
var owner = await Scalar<Guid>("SELECT id FROM access.users WHERE normalized_email = 'OWNER@DEMO.TEST'");
var runCount = await Scalar<long>("SELECT count(*) FROM operations.operation_runs");
var workspaceCount = await Scalar<long>("SELECT count(DISTINCT workspace_id) FROM operations.operation_runs");
var tenantCount = await Scalar<long>("SELECT count(DISTINCT tenant_id) FROM operations.operation_runs");
var visible = await Scalar<long>("""
    SELECT count(*) FROM operations.operation_runs r JOIN access.memberships m ON m.workspace_id = r.workspace_id AND m.user_id = @owner
     WHERE m.role IN ('Owner', 'Manager') OR (m.role = 'Operator' AND r.type <> 'restore.execute')
    """, ("owner", owner));
Console.WriteLine($"  data: {runCount:N0} runs in {workspaceCount} workspaces / {tenantCount} tenants; owner@demo.test may view {visible:N0}");

// Runs owner@demo.test may view (Owner/Manager: every type; Operator: not restores), picked at random.
var viewIds = await Column<long>("""
    SELECT r.id FROM operations.operation_runs r JOIN access.memberships m ON m.workspace_id = r.workspace_id AND m.user_id = @owner
     WHERE m.role IN ('Owner', 'Manager') OR (m.role = 'Operator' AND r.type <> 'restore.execute')
     ORDER BY random() LIMIT 200
    """, ("owner", owner));
var foreignId = await Scalar<long>("""
    SELECT r.id FROM operations.operation_runs r
     WHERE NOT EXISTS (SELECT 1 FROM access.memberships m WHERE m.workspace_id = r.workspace_id AND m.user_id = @owner)
     ORDER BY r.id DESC LIMIT 1
    """, ("owner", owner));

// A comparable Hangfire job: a queued run left without a job (as after a crash between insert and enqueue); the product's
// reconciler (recurring operations-maintenance job, every minute) enqueues its OperationJobRunner job and records the id.
var stuckRunId = await Scalar<long>("""
    INSERT INTO operations.operation_runs
        (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
         initiator_kind, initiator_user_id, initiator_label, dispatch_claimed_at, created_at)
    SELECT m.workspace_id, t.id, 'backup_schedule.run_now', 'queued', 'pending', 'unique_per_click',
           'backup_schedule.run_now|click:' || gen_random_uuid(), '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, '[]'::jsonb,
           'user', @owner, 'owner@demo.test', now() - interval '10 minutes', now() - interval '10 minutes'
      FROM access.memberships m JOIN tenants.tenants t ON t.workspace_id = m.workspace_id
     WHERE m.user_id = @owner AND m.role = 'Owner' AND EXISTS (SELECT 1 FROM operations.operation_runs r WHERE r.workspace_id = m.workspace_id)
     ORDER BY t.display_name LIMIT 1
    RETURNING id
    """, ("owner", owner));

// Dedupe identities: sync types on tenants of the owner's own workspaces without an active run of that identity.
var identities = new Queue<DedupeIdentity>(await Rows("""
    SELECT t.workspace_id, t.id, ty.type
      FROM access.memberships m
      JOIN tenants.tenants t ON t.workspace_id = m.workspace_id
     CROSS JOIN (VALUES ('inventory.sync'), ('directory_groups.sync'), ('directory_role_definitions.sync')) ty(type)
     WHERE m.user_id = @owner AND m.role IN ('Owner', 'Manager')
       AND EXISTS (SELECT 1 FROM operations.operation_runs r WHERE r.workspace_id = m.workspace_id)
       AND NOT EXISTS (SELECT 1 FROM operations.operation_runs r
                        WHERE r.identity_key = ty.type || '|tenant:' || t.id AND r.status IN ('queued', 'running') AND r.identity_rule = 'dedupe')
     ORDER BY m.role DESC, t.display_name, ty.type
    """, r => new DedupeIdentity(r.GetGuid(0), r.GetGuid(1), r.GetString(2)), ("owner", owner)));

// --- Clients ---------------------------------------------------------------------------------------------------------
using var browser = await AppClient.SignedInAsync(baseUrl, "owner@demo.test", options.Password);
using var adminBrowser = await AppClient.SignedInAsync(baseUrl, "admin@demo.test", options.Password);
using var api = AppClient.Create(baseUrl, options.Token);
using var anonymous = AppClient.Create(baseUrl);

// --- Sanity: the measured requests answer what a user would get -----------------------------------------------------
await Expect(browser, $"/admin/operations/{viewIds[0]}", HttpStatusCode.OK, "id=\"run-title\"");
await Expect(browser, $"/admin/operations/{foreignId}", HttpStatusCode.NotFound, null);
await Expect(api, $"/api/operations/{viewIds[0]}", HttpStatusCode.OK, $"\"id\":{viewIds[0]}");
await Expect(api, $"/api/operations/{foreignId}", HttpStatusCode.NotFound, null);
await Expect(anonymous, $"/api/operations/{viewIds[0]}", HttpStatusCode.Unauthorized, null);
var firstPage = await Expect(api, "/api/operations?limit=50", HttpStatusCode.OK, "\"items\"");
long cursor;
using (var page = JsonDocument.Parse(firstPage))
{
    cursor = page.RootElement.GetProperty("nextCursor").GetInt64();
    Console.WriteLine($"  first page: {page.RootElement.GetProperty("items").GetArrayLength()} runs, next cursor {cursor}");
}

await Expect(browser, "/admin/operations", HttpStatusCode.OK, "runs-grid");
await Expect(browser, $"/admin/operations?before={cursor}", HttpStatusCode.OK, "runs-grid");
Console.WriteLine("  sanity: viewer 200 (own run) / 404 (other workspace), API 200/404/401, list pages render the grid");

// --- Sequential latency, one request in flight, after a warm-up --------------------------------------------------------
var results = new List<(Stats Stats, string Target)>();
var loadBefore = Machine.Load();
var cpuBefore = Machine.CpuTicks();
var i = 0;
string NextViewId() => viewIds[i++ % viewIds.Count].ToString(CultureInfo.InvariantCulture);

results.Add((await Http("Baseline `GET /healthz` (anonymous, no database)", anonymous, () => "/healthz"), "(floor)"));
results.Add((await Http("Viewer HTML `GET /admin/operations/{id}` (cookie)", browser, () => $"/admin/operations/{NextViewId()}"), "p95 ≤ 20 ms"));
results.Add((await Http("API `GET /api/operations/{id}` (token)", api, () => $"/api/operations/{NextViewId()}"), ""));
results.Add((await Http("List API first page `GET /api/operations?limit=50`", api, () => "/api/operations?limit=50"), "p95 ≤ 50 ms"));
results.Add((await Http("List API next page `…&cursor=…`", api, () => $"/api/operations?limit=50&cursor={cursor}"), "p95 ≤ 50 ms"));
results.Add((await Http("List page HTML first page `GET /admin/operations`", browser, () => "/admin/operations"), "p95 ≤ 50 ms"));
results.Add((await Http("List page HTML next page `?before=…`", browser, () => $"/admin/operations?before={cursor}"), "p95 ≤ 50 ms"));
results.Add((await PrimaryKeyAsync(), ""));

// --- 200 concurrent starts of one dedupe identity ------------------------------------------------------------------------
var bursts = new List<BurstResult>();
var dedupe = new DedupeBench(db, owner, "owner@demo.test");
// Warm-up bursts first, as for the sequential rows and the database path, and reported but not counted: the start path
// of a fresh process runs quickly-compiled code, and .NET's tiered JIT recompiles a method once it was called 30 times,
// on the same 2 cores that serve the bursts. Per-request code gets there in the first burst, but the per-batch code runs
// once or twice per burst (the first caller's batch, then everyone else's), so it is recompiled around bursts 15 and 30:
// 40 warm-up bursts measure the settled path. The first burst also tells whether the app accepts the start at all.
var apiBurst = await DedupeBench.ApiBurstAsync("API `POST /api/operations`", api, identities.Dequeue(), options.Concurrency, db);
var apiRefused = apiBurst.Statuses.Keys.All(k => k.StartsWith("400", StringComparison.Ordinal));
Console.WriteLine($"  API warm-up burst: {string.Join(", ", apiBurst.Statuses.Select(s => $"{s.Value}× {s.Key}"))}; runs created {apiBurst.RowsInDatabase}, p95 {Stats.Ms(Stats.Of("", apiBurst.Latencies).P95)} ms (not counted)");
var warmups = new List<BurstResult> { apiBurst };
// Warm-ups reuse an identity once the run they created has completed (here its job fails within milliseconds: Graph is
// a closed local port), so the fresh identities last for the measured rounds.
var used = new Queue<DedupeIdentity>([apiBurst.Identity]);
while (!apiRefused && warmups.Count < options.DedupeWarmup)
{
    var next = used.Count > 0 && await DedupeBench.IsIdleAsync(db, used.Peek()) ? used.Dequeue()
        : identities.Count > 3 * options.DedupeRounds + 8 ? identities.Dequeue()
        : null;
    if (next is null)
    {
        await Task.Delay(200);
        if (!await DedupeBench.IsIdleAsync(db, used.Peek()))
        {
            break;
        }

        next = used.Dequeue();
    }

    warmups.Add(await DedupeBench.ApiBurstAsync("warm-up", api, next, options.Concurrency, db));
    used.Enqueue(next);
}

Console.WriteLine($"  API warm-up bursts (not counted), p95 ms: {string.Join(", ", warmups.Select(w => Stats.Ms(Stats.Of("", w.Latencies).P95)))}");
if (apiRefused)
{
    bursts.Add(apiBurst);
}
else
{
    for (var round = 0; round < options.DedupeRounds && total.Elapsed < deadline; round++)
    {
        bursts.Add(await DedupeBench.ApiBurstAsync("API `POST /api/operations`", api, identities.Dequeue(), options.Concurrency, db));
    }
}

// The database path always runs: the starter's statement without the HTTP and access-check around it.
await dedupe.DatabaseBurstAsync("warm-up", identities.Dequeue(), options.Concurrency, withAudit: false);
for (var round = 0; round < options.DedupeRounds && total.Elapsed < deadline; round++)
{
    bursts.Add(await dedupe.DatabaseBurstAsync("DB: insert … on conflict + select", identities.Dequeue(), options.Concurrency, withAudit: false));
}

for (var round = 0; round < options.DedupeRounds && total.Elapsed < deadline; round++)
{
    bursts.Add(await dedupe.DatabaseBurstAsync("DB: + audit entry", identities.Dequeue(), options.Concurrency, withAudit: true));
}

// How the database path scales with the number of simultaneous starts (one round each, fresh identity).
var sweep = new List<BurstResult>();
foreach (var level in new[] { 1, 10, 50, 100 })
{
    if (level < options.Concurrency && identities.Count > 0 && total.Elapsed < deadline)
    {
        sweep.Add(await dedupe.DatabaseBurstAsync($"DB ×{level}", identities.Dequeue(), level, withAudit: false));
    }
}

foreach (var burst in bursts.Concat(sweep))
{
    Console.WriteLine($"  {burst.Name} on {burst.Identity.Key}: created {burst.Created}, deduplicated {burst.Deduped}, errors {burst.Errors}, rows in database {burst.RowsInDatabase}, p95 {Stats.Ms(Stats.Of("", burst.Latencies).P95)} ms");
}

// --- Hangfire's job details page for the stuck run's job ----------------------------------------------------------------
var jobId = await WaitForJobAsync(stuckRunId, TimeSpan.FromSeconds(90));
if (jobId is not null)
{
    await Expect(adminBrowser, $"/admin/hangfire/jobs/details/{jobId}", HttpStatusCode.OK, "OperationJobRunner");
    results.Add((await Http($"Hangfire dashboard job details `/admin/hangfire/jobs/details/{{id}}` (platform admin)", adminBrowser, () => $"/admin/hangfire/jobs/details/{jobId}"), "(ratio)"));
}
else
{
    Console.Error.WriteLine("  no Hangfire job appeared for the stuck run within 90 s: Hangfire page not measured");
}

var cpuAfter = Machine.CpuTicks();
machine.Add(("load during the run", $"1-min load average {loadBefore} at the start, {Machine.Load()} at the end; all CPUs {100.0 * (cpuAfter.Busy - cpuBefore.Busy) / Math.Max(1, cpuAfter.Total - cpuBefore.Total):0}% busy over the measurement (app, PostgreSQL, this client and anything else on the machine)"));

// --- Report ------------------------------------------------------------------------------------------------------------
var report = Report.Build(options, machine, runCount, workspaceCount, tenantCount, visible, results, bursts, sweep, apiRefused, warmups);
Console.WriteLine();
Console.WriteLine(report);
if (options.Markdown is { } markdownPath)
{
    await File.WriteAllTextAsync(markdownPath, report);
}

if (options.Explain is { } explainPath)
{
    await File.WriteAllTextAsync(explainPath, await Explain.PlansAsync(db, owner, viewIds[0], cursor));
    Console.WriteLine($"Query plans: {explainPath}");
}

var failed = results.Any(r => r.Stats.Errors > 0 || r.Stats.Count == 0) || bursts.Any(b => b.Errors > 0 && b.Name.StartsWith("DB", StringComparison.Ordinal));
return failed ? 1 : 0;

// ========================================================================================================================

async Task<Stats> Http(string name, HttpClient client, Func<string> path)
{
    var phase = Stopwatch.StartNew();
    for (var w = 0; w < options.Warmup; w++)
    {
        using var _ = await client.GetAsync(new Uri(path(), UriKind.Relative));
    }

    var samples = new List<double>(options.Iterations);
    var errors = 0;
    var statuses = new Dictionary<int, int>();
    for (var n = 0; n < options.Iterations && phase.Elapsed.TotalSeconds < options.PhaseSeconds; n++)
    {
        var uri = new Uri(path(), UriKind.Relative);
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(uri);
        _ = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Timing.ElapsedMs(start);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            samples.Add(elapsed);
        }
        else
        {
            errors++;
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
        }
    }

    var stats = Stats.Of(name, samples, errors);
    Console.WriteLine($"  {name}: n={stats.Count} p50={Stats.Ms(stats.P50)} p95={Stats.Ms(stats.P95)} p99={Stats.Ms(stats.P99)} ms{(errors > 0 ? $" ERRORS {string.Join(",", statuses)}" : "")}");
    return stats;
}

async Task<Stats> PrimaryKeyAsync()
{
    // Like the app: a pooled connection per query, all columns read.
    var samples = new List<double>(options.Iterations);
    var phase = Stopwatch.StartNew();
    for (var n = -options.Warmup; n < options.Iterations && phase.Elapsed.TotalSeconds < options.PhaseSeconds; n++)
    {
        var id = viewIds[(n + options.Warmup) % viewIds.Count];
        var start = Stopwatch.GetTimestamp();
        await using (var conn = await db.OpenConnectionAsync())
        {
            await using var command = new NpgsqlCommand("SELECT * FROM operations.operation_runs WHERE id = $1", conn);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
            }
        }

        if (n >= 0)
        {
            samples.Add(Timing.ElapsedMs(start));
        }
    }

    var stats = Stats.Of("Bare primary-key `SELECT * … WHERE id = $1` (Npgsql, pooled)", samples);
    Console.WriteLine($"  {stats.Name}: n={stats.Count} p50={Stats.Ms(stats.P50)} p95={Stats.Ms(stats.P95)} ms");
    return stats;
}

async Task<string> Expect(HttpClient client, string path, HttpStatusCode status, string? contains)
{
    using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != status || (contains is not null && !body.Contains(contains, StringComparison.Ordinal)))
    {
        throw new InvalidOperationException($"GET {path}: expected {(int)status}{(contains is null ? "" : $" containing '{contains}'")}, got {(int)response.StatusCode} ({body.Length} bytes).");
    }

    return body;
}

async Task<string?> WaitForJobAsync(long runId, TimeSpan timeout)
{
    var wait = Stopwatch.StartNew();
    while (wait.Elapsed < timeout)
    {
        await using var command = db.CreateCommand("SELECT hangfire_job_id FROM operations.operation_runs WHERE id = @id");
        command.Parameters.Add(new NpgsqlParameter("id", runId));
        if (await command.ExecuteScalarAsync() is string id)
        {
            Console.WriteLine($"  run #{runId}'s Hangfire job: {id} (after {wait.Elapsed.TotalSeconds:0} s of waiting)");
            return id;
        }

        await Task.Delay(1000);
    }

    return null;
}

async Task<T> Scalar<T>(string sql, params (string Name, object Value)[] parameters)
{
    await using var command = db.CreateCommand(sql);
    foreach (var (name, value) in parameters)
    {
        command.Parameters.Add(new NpgsqlParameter(name, value));
    }

    return (T)(await command.ExecuteScalarAsync())!;
}

async Task<List<T>> Column<T>(string sql, params (string Name, object Value)[] parameters) =>
    await Rows(sql, r => r.GetFieldValue<T>(0), parameters);

async Task<List<T>> Rows<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
{
    await using var command = db.CreateCommand(sql);
    foreach (var (name, value) in parameters)
    {
        command.Parameters.Add(new NpgsqlParameter(name, value));
    }

    await using var reader = await command.ExecuteReaderAsync();
    var rows = new List<T>();
    while (await reader.ReadAsync())
    {
        rows.Add(read(reader));
    }

    return rows;
}

internal sealed record Options(
    string BaseUrl, string Db, string Token, string Password, int Iterations, int Warmup, int Concurrency, int DedupeRounds,
    int DedupeWarmup, int PhaseSeconds, int TotalSeconds, string? Markdown, string? Explain, string Command, string Settings, string[] Probe)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string Required(string name) => Get(name) ?? throw new ArgumentException($"{name} is required.");
        return new Options(
            Required("--base-url"), Required("--db"), Required("--token"), Get("--password") ?? "Demo!2345",
            Int("--iterations", 1000), Int("--warmup", 200), Int("--concurrency", 200), Int("--dedupe-rounds", 5),
            Int("--dedupe-warmup", 40), Int("--phase-seconds", 120), Int("--total-seconds", 1200), Get("--markdown"), Get("--explain"),
            Get("--command") ?? "scripts/bench-operations.sh", Get("--settings") ?? "",
            args.Select((a, i) => (a, i)).Where(x => x.a == "--probe" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToArray());
    }
}

internal static class Machine
{
    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Busy and total jiffies of all CPUs (/proc/stat), for the share of the machine the run had.</summary>
    public static (long Busy, long Total) CpuTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }

    public static async Task<List<(string Key, string Value)>> DescribeAsync(NpgsqlDataSource db)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = memKb is null ? "unknown" : $"{long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "Linux"
            : "Linux";
        await using var command = db.CreateCommand("""
            SELECT version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'),
                   current_setting('shared_buffers'), current_setting('max_connections')
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var version = reader.GetString(0);
        version = version[..(version.IndexOf(" on ", StringComparison.Ordinal) is var cut and > 0 ? cut : version.Length)];
        return
        [
            ("CPU", $"{cpu} × {Environment.ProcessorCount} (nproc)"),
            ("memory", memory),
            ("OS", os),
            (".NET", Environment.Version.ToString()),
            ("PostgreSQL", $"{version}; fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, full_page_writes={reader.GetString(3)}, shared_buffers={reader.GetString(4)}, max_connections={reader.GetString(5)}"),
        ];
    }
}

internal static class Report
{
    public static string Build(
        Options options, List<(string Key, string Value)> machine, long runs, long workspaces, long tenants, long visible,
        List<(Stats Stats, string Target)> results, List<BurstResult> bursts, List<BurstResult> sweep, bool apiRefused, List<BurstResult> warmups)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `{options.Command}`{(options.Settings.Length > 0 ? $" ({options.Settings})" : "")}.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        foreach (var (key, value) in machine)
        {
            text.AppendLine(inv, $"| {key} | {value} |");
        }

        text.AppendLine();
        text.AppendLine(inv, $"Data: {runs:N0} runs in {workspaces} workspaces / {tenants} tenants; owner@demo.test may view {visible:N0} of them (4 memberships with runs + Contoso).");
        text.AppendLine(inv, $"Sequential requests on loopback, one in flight, {options.Warmup} warm-up requests then up to {options.Iterations} measured per row (times in ms, to the last byte of the body).");
        text.AppendLine();
        text.AppendLine("| measured | n | mean | p50 | p95 | p99 | max | target | |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var (s, target) in results)
        {
            var verdict = target.StartsWith("p95 ≤ ", StringComparison.Ordinal)
                ? (s.P95 <= double.Parse(target[6..].Replace(" ms", "", StringComparison.Ordinal), inv) ? "met" : "**missed**")
                : "";
            text.AppendLine(inv, $"| {s.Name} | {s.Count} | {Stats.Ms(s.Mean)} | {Stats.Ms(s.P50)} | {Stats.Ms(s.P95)} | {Stats.Ms(s.P99)} | {Stats.Ms(s.Max)} | {target} | {verdict}{(s.Errors > 0 ? $" {s.Errors} errors" : "")} |");
        }

        text.AppendLine();
        text.AppendLine(inv, $"Dedupe: {options.Concurrency} concurrent starts of one identity per round, released at once; latency from the release to each answer. The API rows follow {warmups.Count} warm-up bursts that are not counted (the database rows follow one); their p95 in ms, from the first POST after the app started: {string.Join(", ", warmups.Select(w => Stats.Ms(Stats.Of("", w.Latencies).P95)))}.");
        text.AppendLine();
        text.AppendLine("| path | rounds | starts | runs created per round | deduplicated | errors | mean | p50 | p95 | p99 | max | target | |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var group in bursts.GroupBy(b => b.Name))
        {
            var s = Stats.Of(group.Key, [.. group.SelectMany(b => b.Latencies)]);
            var created = string.Join(", ", group.Select(b => b.RowsInDatabase));
            var refused = group.Key.StartsWith("API", StringComparison.Ordinal) && apiRefused;
            var exact = group.All(b => b.RowsInDatabase == 1);
            var verdict = refused ? "refused: " + string.Join(", ", group.SelectMany(b => b.Statuses).Select(kv => $"{kv.Value}× {kv.Key}"))
                : exact && s.P95 <= 50 ? "met" : "**missed**";
            text.AppendLine(inv, $"| {group.Key} | {group.Count()} | {s.Count} | {created} | {group.Sum(b => b.Deduped)} | {group.Sum(b => b.Errors)} | {Stats.Ms(s.Mean)} | {Stats.Ms(s.P50)} | {Stats.Ms(s.P95)} | {Stats.Ms(s.P99)} | {Stats.Ms(s.Max)} | {(refused ? "" : "1 run, p95 ≤ 50 ms")} | {verdict} |");
        }

        if (sweep.Count > 0)
        {
            text.AppendLine();
            text.Append("Database path by number of simultaneous starts (one round each; runs created / p50 / p95 ms): ");
            text.AppendJoin("; ", sweep.Select(b => Stats.Of(b.Name, b.Latencies) is var s
                ? string.Create(inv, $"{b.Latencies.Count} → {b.RowsInDatabase} / {Stats.Ms(s.P50)} / {Stats.Ms(s.P95)}")
                : ""));
            text.Append(inv, $"; {options.Concurrency} → see the table.");
            text.AppendLine();
        }

        var viewer = results.FirstOrDefault(r => r.Stats.Name.StartsWith("Viewer", StringComparison.Ordinal)).Stats;
        var hangfire = results.FirstOrDefault(r => r.Stats.Name.StartsWith("Hangfire", StringComparison.Ordinal)).Stats;
        var pk = results.FirstOrDefault(r => r.Stats.Name.StartsWith("Bare", StringComparison.Ordinal)).Stats;
        text.AppendLine();
        if (viewer is not null && pk is not null)
        {
            text.Append(inv, $"Ratios (p50 / p95): viewer ÷ bare primary-key SELECT = {viewer.P50 / pk.P50:0.0} / {viewer.P95 / pk.P95:0.0}");
            if (hangfire is not null)
            {
                text.Append(inv, $"; viewer ÷ Hangfire job details = {viewer.P50 / hangfire.P50:0.00} / {viewer.P95 / hangfire.P95:0.00}; Hangfire job details ÷ bare SELECT = {hangfire.P50 / pk.P50:0.0} / {hangfire.P95 / pk.P95:0.0}");
            }

            text.AppendLine(".");
        }

        return text.ToString();
    }
}
