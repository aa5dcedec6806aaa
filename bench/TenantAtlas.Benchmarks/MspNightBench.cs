using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace TenantAtlas.Benchmarks;

/// <summary>
/// The MSP-night benchmark (docs/performance.md, "MSP night"; prepared by scripts/bench-msp-night.sh): every tenant of
/// workspace "MSP bench" backs up every policy family at once, as a nightly backup of an MSP's fleet would, against the
/// emulator with latency on each Graph round trip and Intune's documented limits per tenant. Starts one
/// <c>backup_schedule.run_now</c> per tenant's schedule through the runs API, waits until all completed (reading the runs'
/// rows), samples the RSS of the app and the emulator, then reads the emulator's request log for the calls each tenant
/// made and the 429s. Reports wall time against the throttle-limited optimum (<see cref="Optimum"/>; target ≥ 0.7).
/// Usage: TenantAtlas.Benchmarks msp-night --base-url URL --db CONN --token TOKEN --pid APP_PID --emulator-pid PID
///        --emulator URL --latency 80-200 --request-limit 1000 --window 20 --workers 10 --in-flight 4
///        [--markdown FILE] [--command "…"] [--settings "…"]
/// </summary>
internal static class MspNightBench
{
    private sealed record Tenant(Guid Id, string Name, string EntraId, Guid ScheduleId);

    private sealed record Run(long Id, string Status, string? Outcome, DateTime CreatedAt, DateTime? StartedAt, DateTime? CompletedAt, long Total, long Succeeded, long Failed, long Throttled);

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }

        var inv = CultureInfo.InvariantCulture;
        var pid = int.Parse(Arg("--pid"), inv);
        var emulatorPid = int.Parse(Arg("--emulator-pid"), inv);
        var latency = Arg("--latency", "none");
        var (latencyMin, latencyMax) = ParseLatency(latency);
        var limits = new Optimum.Limits(
            RequestLimit: int.Parse(Arg("--request-limit", "1000"), inv),
            WindowSeconds: double.Parse(Arg("--window", "20"), inv),
            MeanLatencySeconds: (latencyMin + latencyMax) / 2.0 / 1000,
            InFlightPerTenant: int.Parse(Arg("--in-flight", "4"), inv),
            ConcurrentJobs: int.Parse(Arg("--workers", "10"), inv));
        var markdown = Arg("--markdown", "");
        await using var db = new NpgsqlDataSourceBuilder(Arg("--db")).Build();
        using var api = AppClient.Create(new Uri(Arg("--base-url")), Arg("--token"));
        api.Timeout = TimeSpan.FromMinutes(2);
        using var control = new HttpClient { BaseAddress = new Uri(Arg("--emulator")), Timeout = TimeSpan.FromMinutes(5) };

        Console.WriteLine("== MSP-night benchmark");
        var machine = await Machine.DescribeAsync(db);
        var tenants = await TenantsAsync(db);
        if (tenants.Count == 0)
        {
            throw new InvalidOperationException("No tenants in workspace 'MSP bench' (seed-bench-tenants --count N).");
        }

        Console.WriteLine($"  {tenants.Count} tenants; latency {latency}; limits {limits.RequestLimit} calls per {limits.WindowSeconds:0} s; {limits.ConcurrentJobs} workers, {limits.InFlightPerTenant} requests in flight per tenant");
        var logBefore = await LastSequenceAsync(control);
        var loadBefore = Machine.Load();
        var cpuBefore = Machine.CpuTicks();
        var appCpuBefore = InventoryBench.CpuSeconds(pid);
        var emulatorCpuBefore = InventoryBench.CpuSeconds(emulatorPid);
        long appRssBefore = InventoryBench.Rss(pid), emulatorRssBefore = InventoryBench.Rss(emulatorPid);
        long appPeak = appRssBefore, emulatorPeak = emulatorRssBefore;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                appPeak = Math.Max(appPeak, InventoryBench.Rss(pid));
                emulatorPeak = Math.Max(emulatorPeak, InventoryBench.Rss(emulatorPid));
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // The night: every schedule started at once, as the scheduler's tick creates a slot's runs together (started one
        // after the other, the starts alone took half a minute for 20 tenants on a busy machine and counted as wall time).
        var clock = Stopwatch.StartNew();
        var runIds = (await Task.WhenAll(tenants.Select(async tenant =>
        {
            using var response = await api.PostAsync(new Uri("/api/operations", UriKind.Relative), new StringContent(
                $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{tenant.Id}}}","inputs":{"scheduleId":"{{{tenant.ScheduleId}}}"}}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
                ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64()
                : throw new InvalidOperationException($"Starting the backup of {tenant.Name} answered {(int)response.StatusCode}: {body}");
        }))).ToList();

        Console.WriteLine($"  {runIds.Count} runs started in {clock.Elapsed.TotalSeconds:0.0} s");
        List<Run> runs;
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(1000);
            runs = await RunsAsync(db, runIds);
            var done = runs.Count(r => r.Status == "completed");
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(30))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: {done} completed, {runs.Count(r => r.Status == "running")} running, {runs.Count(r => r.Status == "queued")} queued");
            }

            if (done == runs.Count)
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(double.Parse(Arg("--timeout-minutes", "120"), inv)))
            {
                throw new TimeoutException($"{runs.Count - done} runs did not complete in time.");
            }
        }

        var cpuAfter = Machine.CpuTicks();
        var appCpu = InventoryBench.CpuSeconds(pid) - appCpuBefore;
        var emulatorCpu = InventoryBench.CpuSeconds(emulatorPid) - emulatorCpuBefore;
        await stop.CancelAsync();
        await sampler;
        var loadAfter = Machine.Load();

        // What each tenant asked Graph for: the emulator's log of this night (Graph calls; a $batch's items count, its envelope not).
        var calls = await CallsAsync(control, logBefore);
        var byTenant = tenants.ToDictionary(t => t.EntraId, _ => (Admitted: 0, Throttled: 0), StringComparer.OrdinalIgnoreCase);
        foreach (var (tenantId, status) in calls)
        {
            if (tenantId is not null && byTenant.TryGetValue(tenantId, out var c))
            {
                byTenant[tenantId] = status == 429 ? (c.Admitted, c.Throttled + 1) : (c.Admitted + 1, c.Throttled);
            }
        }

        var optimum = Optimum.Compute([.. byTenant.Values.Select(v => v.Admitted)], limits);
        var wall = (runs.Max(r => r.CompletedAt!.Value) - runs.Min(r => r.CreatedAt)).TotalSeconds;
        var startSpread = (runs.Max(r => r.CreatedAt) - runs.Min(r => r.CreatedAt)).TotalSeconds;
        var ratio = optimum.Seconds / wall;
        var succeeded = runs.Count(r => r.Outcome == "succeeded");
        var failed = runs.Count - succeeded;
        var throttled = byTenant.Values.Sum(v => v.Throttled);
        var cpuShare = cpuAfter.Total > cpuBefore.Total ? 100.0 * (cpuAfter.Busy - cpuBefore.Busy) / (cpuAfter.Total - cpuBefore.Total) : 0;
        var runSeconds = runs.Where(r => r.StartedAt is not null).Select(r => (r.CompletedAt!.Value - r.StartedAt!.Value).TotalSeconds).Order().ToList();
        var queueSeconds = runs.Where(r => r.StartedAt is not null).Select(r => (r.StartedAt!.Value - r.CreatedAt).TotalSeconds).ToList();

        var text = new StringBuilder();
        text.AppendLine(inv, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `{Arg("--command", "scripts/bench-msp-night.sh")}`{(Arg("--settings", "") is { Length: > 0 } s ? $" ({s})" : "")}.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        foreach (var (key, value) in machine)
        {
            text.AppendLine(inv, $"| {key} | {value} |");
        }

        text.AppendLine(inv, $"| load during the run | 1-min load average {loadBefore} at the start, {loadAfter} at the end; all CPUs {cpuShare:0} % busy (app, emulator, PostgreSQL and anything else on the machine) |");
        text.AppendLine();
        text.AppendLine("| figure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(inv, $"| tenants × policies | {tenants.Count} tenants, {runs.Sum(r => r.Total):N0} policies listed, {runs.Sum(r => r.Succeeded):N0} backed up, {runs.Sum(r => r.Failed):N0} failed |");
        text.AppendLine(inv, $"| runs | {succeeded} succeeded, {failed} not{(failed == 0 ? "" : $" ({string.Join(", ", runs.Where(r => r.Outcome != "succeeded").GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key}"))})")} |");
        text.AppendLine(inv, $"| **wall time** (first run created → last run completed) | **{wall:0.0} s** |");
        text.AppendLine(inv, $"| Graph calls admitted by the emulator | {optimum.TotalRequests:N0} ({optimum.TotalRequests / (double)tenants.Count:0} per tenant: {byTenant.Values.Min(v => v.Admitted)}–{byTenant.Values.Max(v => v.Admitted)}) = {optimum.TotalRequests / wall:0} calls/s |");
        text.AppendLine(inv, $"| 429s answered by the emulator / counted by the runs | {throttled} / {runs.Sum(r => r.Throttled)} |");
        text.AppendLine(inv, $"| per tenant, the fastest Graph allows | {optimum.PerTenantSeconds.Max():0.0} s for the largest tenant: {optimum.PerTenantBound} |");
        text.AppendLine(inv, $"| **throttle-limited optimum** | **{optimum.Seconds:0.0} s** — {optimum.FleetBound} |");
        text.AppendLine(inv, $"| **ratio optimum ÷ wall time** | **{ratio:0.00}** (target ≥ 0.70: {(ratio >= 0.7 ? "met" : "**missed**")}) |");
        text.AppendLine(inv, $"| one run (started → completed) | min {runSeconds.FirstOrDefault():0.0} s, median {(runSeconds.Count > 0 ? runSeconds[runSeconds.Count / 2] : 0):0.0} s, max {runSeconds.LastOrDefault():0.0} s; waited in the queue up to {queueSeconds.DefaultIfEmpty(0).Max():0.0} s; all runs created within {startSpread:0.0} s |");
        text.AppendLine(inv, $"| peak memory (RSS) | app {Mb(appRssBefore):0} MB before → peak {Mb(appPeak):0} MB; emulator {Mb(emulatorRssBefore):0} → {Mb(emulatorPeak):0} MB |");
        text.AppendLine(inv, $"| CPU used | app {appCpu:0.0} s, emulator {emulatorCpu:0.0} s ({appCpu / Math.Max(1, optimum.TotalRequests) * 1000:0.00} ms of app CPU per Graph call) |");
        Console.WriteLine();
        Console.WriteLine(text);
        if (markdown.Length > 0)
        {
            await File.WriteAllTextAsync(markdown, text.ToString());
        }

        return failed == 0 ? 0 : 1;
    }

    private static double Mb(long bytes) => bytes / 1048576.0;

    private static (int Min, int Max) ParseLatency(string text)
    {
        if (text is "none" or "")
        {
            return (0, 0);
        }

        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[^1], CultureInfo.InvariantCulture));
    }

    private static async Task<List<Tenant>> TenantsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT t.id, t.display_name, t.entra_tenant_id::text, s.id
              FROM tenants.tenants t
              JOIN access.workspaces w ON w.id = t.workspace_id
              JOIN backup.backup_schedules s ON s.tenant_id = t.id
             WHERE w.name = 'MSP bench'
             ORDER BY t.display_name
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<Tenant>();
        while (await reader.ReadAsync())
        {
            result.Add(new Tenant(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3)));
        }

        return result;
    }

    private static async Task<List<Run>> RunsAsync(NpgsqlDataSource db, List<long> ids)
    {
        await using var command = db.CreateCommand("""
            SELECT id, status, outcome, created_at, started_at, completed_at,
                   coalesce((summary->>'total')::bigint, 0), coalesce((summary->>'succeeded')::bigint, 0),
                   coalesce((summary->>'failed')::bigint, 0), coalesce((summary->>'throttled_requests')::bigint, 0)
              FROM operations.operation_runs WHERE id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<Run>();
        while (await reader.ReadAsync())
        {
            result.Add(new Run(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetDateTime(3),
                reader.IsDBNull(4) ? null : reader.GetDateTime(4), reader.IsDBNull(5) ? null : reader.GetDateTime(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9)));
        }

        return result;
    }

    private static async Task<long> LastSequenceAsync(HttpClient control)
    {
        using var response = await control.GetAsync(new Uri("/_emulator/requests", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var log = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return log.RootElement.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).DefaultIfEmpty(0).Max();
    }

    /// <summary>The Graph calls logged after a sequence number: tenant and status; a $batch envelope is not a call.</summary>
    private static async Task<List<(string? TenantId, int Status)>> CallsAsync(HttpClient control, long after)
    {
        using var response = await control.GetAsync(new Uri($"/_emulator/requests?kind=graph&after={after}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var log = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return [.. log.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("isBatchItem").GetBoolean() || !e.GetProperty("pathAndQuery").GetString()!.Contains("/$batch", StringComparison.Ordinal))
            .Select(e => (e.GetProperty("tenantId").ValueKind == JsonValueKind.String ? e.GetProperty("tenantId").GetString() : null, e.GetProperty("status").GetInt32()))];
    }
}

/// <summary>
/// The fastest a night could be (docs/performance.md, "MSP night"), from the Graph calls each tenant's backup made (the ones
/// the emulator admitted; 429s are not work) and the limits the app must live with:
/// <list type="bullet">
/// <item>per tenant, the larger of (a) Intune's limit: R calls at most <c>RequestLimit</c> per <c>WindowSeconds</c>, so the last
/// of them cannot go before ⌈R / limit⌉ − 1 windows have passed; and (b) the round trips: R calls of the mean latency with
/// at most <c>InFlightPerTenant</c> in flight (the app's <c>Graph:MaxConcurrentRequestsPerTenant</c>) take R × latency ÷ in-flight;</item>
/// <item>across tenants, at most <c>ConcurrentJobs</c> backups at once (the app's Hangfire workers): the night takes at least the
/// longest tenant, and at least the sum over tenants ÷ the workers (work that cannot be spread more thinly).</item>
/// </list>
/// CPU is not a bound here: the optimum is what Graph and the configured concurrency allow, the ratio says how much of it the
/// app (and this machine) achieved.
/// </summary>
internal static class Optimum
{
    public sealed record Limits(int RequestLimit, double WindowSeconds, double MeanLatencySeconds, int InFlightPerTenant, int ConcurrentJobs);

    public sealed record Result(double Seconds, IReadOnlyList<double> PerTenantSeconds, long TotalRequests, string PerTenantBound, string FleetBound);

    public static Result Compute(IReadOnlyList<int> requestsPerTenant, Limits limits)
    {
        var inv = CultureInfo.InvariantCulture;
        double Throttle(int r) => limits.RequestLimit > 0 && r > 0 ? Math.Ceiling(r / (double)limits.RequestLimit - 1e-9) - 1 : 0;
        double Latency(int r) => r * limits.MeanLatencySeconds / Math.Max(1, limits.InFlightPerTenant);
        var perTenant = requestsPerTenant.Select(r => Math.Max(Throttle(r) * limits.WindowSeconds, Latency(r))).ToList();
        var largest = requestsPerTenant.DefaultIfEmpty(0).Max();
        var perTenantBound = Throttle(largest) * limits.WindowSeconds >= Latency(largest)
            ? string.Create(inv, $"Intune's limit ({largest} calls at {limits.RequestLimit} per {limits.WindowSeconds:0} s)")
            : string.Create(inv, $"round trips ({largest} calls × {limits.MeanLatencySeconds * 1000:0} ms mean latency ÷ {limits.InFlightPerTenant} in flight; Intune's limit would allow them {(Throttle(largest) == 0 ? "all in one window" : "in " + (Throttle(largest) * limits.WindowSeconds).ToString("0", inv) + " s")})");
        var workers = Math.Max(1, Math.Min(limits.ConcurrentJobs, requestsPerTenant.Count));
        var longest = perTenant.DefaultIfEmpty(0).Max();
        var spread = perTenant.Sum() / workers;
        var fleetBound = spread >= longest
            ? string.Create(inv, $"bound by the workers: Σ per-tenant times {perTenant.Sum():0.0} s ÷ {workers} backups at once (Hangfire workers; {requestsPerTenant.Count} tenants)")
            : string.Create(inv, $"bound by the longest tenant ({longest:0.0} s; {workers} workers for {requestsPerTenant.Count} tenants)");
        return new Result(Math.Max(longest, spread), perTenant, requestsPerTenant.Sum(r => (long)r), perTenantBound, fleetBound);
    }
}
