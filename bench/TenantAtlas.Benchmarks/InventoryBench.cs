using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace TenantAtlas.Benchmarks;

/// <summary>
/// The inventory sync benchmark (docs/performance.md, section "Inventory sync"; prepared by scripts/bench-inventory.sh):
/// starts <c>inventory.sync</c> for a tenant through the runs API of a running app whose Graph is the emulator (another
/// process), polls the run until it completes, and samples the app process's resident memory (/proc/PID/status) every
/// 10 ms meanwhile. Items/s = listed policies ÷ (completed_at − started_at) of the run; memory growth = peak RSS during
/// the run − RSS just before the start.
/// Usage: TenantAtlas.Benchmarks inventory --base-url URL --db CONN --token TOKEN --pid APP_PID [--tenant Contoso-EU]
///        [--warmup-tenant Contoso-US] [--rounds 2] [--markdown FILE] [--command "…"] [--settings "…"]
/// </summary>
internal static class InventoryBench
{
    private static int postmasterPid;

    private sealed record Round(string Name, long Items, long Created, long Updated, long Unchanged, long Deleted, long Failed, long Throttled,
        double Seconds, double WallSeconds, long RssBefore, long RssPeak, long RssAfter, string Outcome, long RunId, double CpuShare,
        double AppCpuSeconds, double EmulatorCpuSeconds, double PostgresCpuSeconds);

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }

        var baseUrl = new Uri(Arg("--base-url"));
        var pid = int.Parse(Arg("--pid"), CultureInfo.InvariantCulture);
        var emulatorPid = int.Parse(Arg("--emulator-pid", "0"), CultureInfo.InvariantCulture);
        postmasterPid = int.Parse(Arg("--postmaster-pid", "0"), CultureInfo.InvariantCulture);
        var tenantName = Arg("--tenant", "Contoso-EU");
        var warmupName = Arg("--warmup-tenant", "Contoso-US");
        var rounds = int.Parse(Arg("--rounds", "2"), CultureInfo.InvariantCulture);
        var markdown = Arg("--markdown", "");
        var command = Arg("--command", "scripts/bench-inventory.sh");
        var settings = Arg("--settings", "");
        await using var db = new NpgsqlDataSourceBuilder(Arg("--db")).Build();
        using var api = AppClient.Create(baseUrl, Arg("--token"));

        Console.WriteLine("== Inventory sync benchmark");
        var machine = await Machine.DescribeAsync(db);
        foreach (var (key, value) in machine)
        {
            Console.WriteLine($"  {key}: {value}");
        }

        var tenant = await TenantIdAsync(db, tenantName);
        var warmupTenant = await TenantIdAsync(db, warmupName);
        var loadBefore = Machine.Load();

        // Warm-up: the same code paths (JIT, pools, the tenant's Graph client and token) on a small tenant.
        var warm = await SyncAsync(api, pid, emulatorPid, warmupTenant, $"warm-up ({warmupName})");
        Print(warm);
        var results = new List<Round>();
        for (var i = 1; i <= rounds; i++)
        {
            var round = await SyncAsync(api, pid, emulatorPid, tenant, i == 1 ? $"sync {i} ({tenantName}, first: every item created)" : $"sync {i} ({tenantName}, again: every item unchanged)");
            Print(round);
            results.Add(round);
        }

        var loadAfter = Machine.Load();
        var text = Report(command, settings, machine, tenantName, warm, results, loadBefore, loadAfter);
        Console.WriteLine();
        Console.WriteLine(text);
        if (markdown.Length > 0)
        {
            await File.WriteAllTextAsync(markdown, text);
        }

        return results.All(r => r.Outcome == "succeeded") ? 0 : 1;
    }

    private static async Task<Guid> TenantIdAsync(NpgsqlDataSource db, string name)
    {
        await using var command = db.CreateCommand("SELECT id FROM tenants.tenants WHERE display_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (Guid)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No tenant named {name}."));
    }

    private static async Task<Round> SyncAsync(HttpClient api, int pid, int emulatorPid, Guid tenantId, string name)
    {
        var rssBefore = Rss(pid);
        var peak = rssBefore;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss(pid));
                try
                {
                    await Task.Delay(10, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
        var cpuBefore = Machine.CpuTicks();
        var appCpuBefore = CpuSeconds(pid);
        var emulatorCpuBefore = CpuSeconds(emulatorPid);
        var postgresCpuBefore = PostgresCpuSeconds();
        var wall = Stopwatch.StartNew();
        using var start = await api.PostAsync(new Uri("/api/operations", UriKind.Relative), new StringContent(
            $$"""{"type":"inventory.sync","tenantId":"{{tenantId}}"}""", Encoding.UTF8, "application/json"));
        var startBody = await start.Content.ReadAsStringAsync();
        if (start.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Starting the sync answered {(int)start.StatusCode}: {startBody}");
        }

        var runId = JsonDocument.Parse(startBody).RootElement.GetProperty("id").GetInt64();
        JsonElement run;
        while (true)
        {
            await Task.Delay(100);
            using var poll = await api.GetAsync(new Uri($"/api/operations/{runId}", UriKind.Relative));
            run = JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement.Clone();
            if (run.GetProperty("status").GetString() == "completed")
            {
                break;
            }

            if (wall.Elapsed > TimeSpan.FromMinutes(15))
            {
                throw new TimeoutException($"Run {runId} did not complete within 15 minutes.");
            }
        }

        wall.Stop();
        var cpuAfter = Machine.CpuTicks();
        var appCpu = CpuSeconds(pid) - appCpuBefore;
        var emulatorCpu = CpuSeconds(emulatorPid) - emulatorCpuBefore;
        var postgresCpu = PostgresCpuSeconds() - postgresCpuBefore;
        await stop.CancelAsync();
        await sampler;
        peak = Math.Max(peak, Rss(pid));
        var summary = run.GetProperty("summary");
        long Count(string key) => summary.TryGetProperty(key, out var v) ? v.GetInt64() : 0;
        var started = run.GetProperty("startedAt").GetDateTimeOffset();
        var completed = run.GetProperty("completedAt").GetDateTimeOffset();
        foreach (var failure in run.GetProperty("failures").EnumerateArray())
        {
            Console.WriteLine($"  failure: {failure.GetProperty("code").GetString()} {failure.GetProperty("item").GetString()}: {failure.GetProperty("message").GetString()}");
        }

        var cpuShare = cpuAfter.Total > cpuBefore.Total ? 100.0 * (cpuAfter.Busy - cpuBefore.Busy) / (cpuAfter.Total - cpuBefore.Total) : 0;
        return new Round(name, Count("total"), Count("created"), Count("updated"), Count("unchanged"), Count("deleted"), Count("failed"),
            Count("throttled_requests"), (completed - started).TotalSeconds, wall.Elapsed.TotalSeconds, rssBefore, peak, Rss(pid),
            run.GetProperty("outcome").GetString() ?? "?", runId, cpuShare, appCpu, emulatorCpu, postgresCpu);
    }

    /// <summary>Resident set size of a process in bytes (VmRSS).</summary>
    internal static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {pid}.");
    }

    /// <summary>User + system CPU time a process has used (/proc/PID/stat, clock ticks of 1/100 s); 0 without a pid.</summary>
    internal static double CpuSeconds(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>CPU time of the PostgreSQL server: the postmaster, its live children, and its exited children (cutime + cstime).</summary>
    private static double PostgresCpuSeconds()
    {
        if (postmasterPid <= 0)
        {
            return 0;
        }

        double total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                if (pid == postmasterPid)
                {
                    total += (ticks + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
                }
                else if (fields[1] == postmasterPid.ToString(CultureInfo.InvariantCulture))
                {
                    total += ticks / 100.0;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return total;
    }

    private static double Mb(long bytes) => bytes / 1024.0 / 1024.0;

    private static void Print(Round r) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {r.Name}: run #{r.RunId} {r.Outcome}, {r.Items:N0} items in {r.Seconds:0.00} s = {r.Items / r.Seconds:N0} items/s (start → completed seen: {r.WallSeconds:0.00} s); created {r.Created:N0}, updated {r.Updated:N0}, unchanged {r.Unchanged:N0}, deleted {r.Deleted:N0}, failed families {r.Failed}, throttled {r.Throttled}; RSS {Mb(r.RssBefore):0.0} → peak {Mb(r.RssPeak):0.0} MB (growth {Mb(r.RssPeak - r.RssBefore):0.0} MB), after {Mb(r.RssAfter):0.0} MB; all CPUs {r.CpuShare:0}% busy; CPU used by the app {r.AppCpuSeconds:0.0} s, by the emulator {r.EmulatorCpuSeconds:0.0} s, by PostgreSQL {r.PostgresCpuSeconds:0.0} s"));

    private static string Report(string command, string settings, List<(string Key, string Value)> machine, string tenantName, Round warm, List<Round> rounds, string loadBefore, string loadAfter)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `{command}`{(settings.Length > 0 ? $" ({settings})" : "")}.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        foreach (var (key, value) in machine)
        {
            text.AppendLine(inv, $"| {key} | {value} |");
        }

        text.AppendLine(inv, $"| load during the run | 1-min load average {loadBefore} at the start, {loadAfter} at the end |");
        text.AppendLine();
        text.AppendLine(inv, $"Warm-up first: {warm.Name}, {warm.Items:N0} items in {warm.Seconds:0.00} s. Then {tenantName}:");
        text.AppendLine();
        text.AppendLine("| sync | items | created | updated | unchanged | deleted | run time | items/s | RSS before | peak RSS | peak growth | all CPUs busy | app CPU | emulator CPU | PostgreSQL CPU | target | |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in rounds)
        {
            var rate = r.Items / r.Seconds;
            var growth = Mb(r.RssPeak - r.RssBefore);
            var verdict = r.Outcome != "succeeded" ? $"**{r.Outcome}**" : rate >= 2000 && growth <= 100 ? "met" : "**missed**";
            text.AppendLine(inv, $"| {r.Name} | {r.Items:N0} | {r.Created:N0} | {r.Updated:N0} | {r.Unchanged:N0} | {r.Deleted:N0} | {r.Seconds:0.00} s | {rate:N0} | {Mb(r.RssBefore):0.0} MB | {Mb(r.RssPeak):0.0} MB | {growth:0.0} MB | {r.CpuShare:0} % | {r.AppCpuSeconds:0.0} s | {r.EmulatorCpuSeconds:0.0} s | {r.PostgresCpuSeconds:0.0} s | ≥ 2,000 items/s, ≤ 100 MB | {verdict} |");
        }

        return text.ToString();
    }
}
