using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace TenantAtlas.Benchmarks;

/// <summary>
/// The restore benchmark (docs/modules/restore.md, "Benchmark"; prepared by scripts/bench-restore.sh): through the
/// product's own APIs only — groups sync of both tenants, a backup of the source (<c>backup_schedule.run_now</c> of its
/// schedule), <c>POST /api/restores</c> into the target, <c>restore.plan</c>, then <c>restore.execute</c> — while the
/// emulator enforces Intune's documented write limit on the target. The figure: writes per second the execute achieved
/// (writes = what the emulator admitted, from its request log) against the most the app's write budget allows
/// (<c>Graph:Budget:Writes</c> per <c>Graph:Budget:Window</c>); target ≥ 0.8. Also items/s, 429s, peak RSS of the app.
/// Usage: TenantAtlas.Benchmarks restore --base-url URL --db CONN --token TOKEN --pid APP_PID --emulator URL
///        --source Contoso-EU --target Contoso-US --target-emulator-tenant GUID --budget-writes 90 --budget-window 20
///        [--markdown FILE] [--command "…"] [--settings "…"]
/// </summary>
internal static class RestoreBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }

        var inv = CultureInfo.InvariantCulture;
        var pid = int.Parse(Arg("--pid"), inv);
        var emulator = new Uri(Arg("--emulator"));
        var targetEmulatorTenant = Arg("--target-emulator-tenant");
        var budgetWrites = int.Parse(Arg("--budget-writes", "90"), inv);
        var budgetWindow = double.Parse(Arg("--budget-window", "20"), inv);
        var markdown = Arg("--markdown", "");
        await using var db = new NpgsqlDataSourceBuilder(Arg("--db")).Build();
        using var api = AppClient.Create(new Uri(Arg("--base-url")), Arg("--token"));
        api.Timeout = TimeSpan.FromMinutes(2);
        using var control = new HttpClient { BaseAddress = emulator, Timeout = TimeSpan.FromMinutes(2) };

        Console.WriteLine("== Restore benchmark");
        var machine = await Machine.DescribeAsync(db);
        var source = await ScalarAsync<Guid>(db, "SELECT id FROM tenants.tenants WHERE display_name = $1", Arg("--source", "Contoso-EU"));
        var target = await ScalarAsync<Guid>(db, "SELECT id FROM tenants.tenants WHERE display_name = $1", Arg("--target", "Contoso-US"));

        Console.WriteLine("  groups sync of both tenants (the dependency map reads the directory cache)");
        await RunAsync(api, $$"""{"type":"directory_groups.sync","tenantId":"{{source}}"}""");
        await RunAsync(api, $$"""{"type":"directory_groups.sync","tenantId":"{{target}}"}""");
        var schedule = await ScalarAsync<Guid>(db, "SELECT id FROM backup.backup_schedules WHERE tenant_id = $1 ORDER BY name LIMIT 1", source);
        Console.WriteLine("  backup of the source");
        var backup = await RunAsync(api, $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{source}}}","inputs":{"scheduleId":"{{{schedule}}}"}}""");
        var set = await ScalarAsync<Guid>(db, "SELECT id FROM backup.backup_sets WHERE operation_run_id = $1", backup.GetProperty("id").GetInt64());
        var families = await ScalarAsync<string[]>(db, "SELECT array_agg(DISTINCT family) FROM backup.backup_items WHERE backup_set_id = $1", set);

        var created = await PostAsync(api, "/api/restores", new JsonObject
        {
            ["sourceBackupSetId"] = set.ToString(), ["targetTenantId"] = target.ToString(), ["families"] = new JsonArray([.. families.Select(f => (JsonNode)f)]),
        }.ToJsonString());
        var requestId = created.GetProperty("id").GetString()!;
        Console.WriteLine($"  restore request {requestId}: plan");
        await RunAsync(api, $$"""{"type":"restore.plan","tenantId":"{{target}}","restoreRequestId":"{{requestId}}"}""");
        var plan = (await GetAsync(api, $"/api/restores/{requestId}")).GetProperty("plan");
        int Plan(string key) => plan.GetProperty(key).GetInt32();
        Console.WriteLine($"  plan: {Plan("creates")} create, {Plan("updates")} update, {Plan("identical")} identical, {Plan("conflicts")} conflict, {Plan("blocked")} blocked");

        // Only what the execute sends counts: the target's log from here on.
        var logAfter = (await GetJsonAsync(control, $"/_emulator/requests?tenantId={targetEmulatorTenant}")).EnumerateArray()
            .Select(e => e.GetProperty("sequence").GetInt64()).DefaultIfEmpty(0).Max();
        var rssBefore = InventoryBench.Rss(pid);
        var peak = rssBefore;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, InventoryBench.Rss(pid));
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
        var appCpuBefore = InventoryBench.CpuSeconds(pid);
        Console.WriteLine("  execute");
        var run = await RunAsync(api, $$$"""{"type":"restore.execute","tenantId":"{{{target}}}","inputs":{"restoreRequestId":"{{{requestId}}}"}}""", TimeSpan.FromMinutes(60));
        var appCpu = InventoryBench.CpuSeconds(pid) - appCpuBefore;
        await stop.CancelAsync();
        await sampler;
        var rate = await GetJsonAsync(control, $"/_emulator/requests/rate?tenantId={targetEmulatorTenant}&windowMs={(int)(budgetWindow * 1000)}&after={logAfter}");

        var summary = run.GetProperty("summary");
        long Count(string key) => summary.TryGetProperty(key, out var v) ? v.GetInt64() : 0;
        var seconds = (run.GetProperty("completedAt").GetDateTimeOffset() - run.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        var items = Count("total");
        var writes = rate.GetProperty("writes").GetInt32();
        var throttled = rate.GetProperty("throttled").GetInt32();
        var maxWritesInWindow = rate.GetProperty("maxWritesInWindow").GetInt32();
        var writesPerSecond = writes / seconds;
        var budgetPerSecond = budgetWrites / budgetWindow;
        var ratio = writesPerSecond / budgetPerSecond;
        var outcome = run.GetProperty("outcome").GetString();

        var text = new StringBuilder();
        text.AppendLine(inv, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `{Arg("--command", "scripts/bench-restore.sh")}`{(Arg("--settings", "") is { Length: > 0 } s ? $" ({s})" : "")}.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        foreach (var (key, value) in machine)
        {
            text.AppendLine(inv, $"| {key} | {value} |");
        }

        text.AppendLine();
        text.AppendLine("| figure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(inv, $"| execute run | #{run.GetProperty("id").GetInt64()} {outcome}: {items:N0} items — created {Count("created"):N0}, updated {Count("updated"):N0}, skipped {Count("skipped"):N0}, failed {Count("failed"):N0}, conflicts {Count("conflicts"):N0}, blocked {Count("blocked"):N0} |");
        text.AppendLine(inv, $"| wall time (started → completed) | {seconds:0.0} s = {items / seconds:0.00} items/s |");
        text.AppendLine(inv, $"| writes admitted by the emulator (target tenant) | {writes:N0} = {writesPerSecond:0.00} writes/s; most in any {budgetWindow:0} s window: {maxWritesInWindow} |");
        text.AppendLine(inv, $"| the app's write budget | {budgetWrites} per {budgetWindow:0} s = {budgetPerSecond:0.00} writes/s (Intune's documented limit: 100 per 20 s) |");
        text.AppendLine(inv, $"| **ratio to the budget's maximum** | **{ratio:0.00}** (target ≥ 0.80) |");
        text.AppendLine(inv, $"| 429s answered by the emulator / counted by the run | {throttled} / {Count("throttled_requests")} (throttle wait {Count("throttle_wait_seconds")} s) |");
        text.AppendLine(inv, $"| app memory (RSS) | {rssBefore / 1048576.0:0} MB before → peak {peak / 1048576.0:0} MB (growth {(peak - rssBefore) / 1048576.0:0} MB); app CPU {appCpu:0.0} s |");
        Console.WriteLine();
        Console.WriteLine(text);
        if (markdown.Length > 0)
        {
            await File.WriteAllTextAsync(markdown, text.ToString());
        }

        return outcome is "succeeded" ? 0 : 1;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, object parameter)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (T)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No row for {sql} ({parameter})."));
    }

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, string body)
    {
        using var response = await api.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, string path) => await GetJsonAsync(api, path);

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Starts a run through the runs API and polls it until completed; throws unless it succeeded (or partially).</summary>
    private static async Task<JsonElement> RunAsync(HttpClient api, string body, TimeSpan? limit = null)
    {
        var started = await PostAsync(api, "/api/operations", body);
        var id = started.GetProperty("id").GetInt64();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(250);
            var run = await GetAsync(api, $"/api/operations/{id}");
            if (run.GetProperty("status").GetString() == "completed")
            {
                var outcome = run.GetProperty("outcome").GetString();
                if (outcome is not ("succeeded" or "partially_succeeded"))
                {
                    throw new InvalidOperationException($"Run {id} ({body}) ended {outcome}: {run.GetProperty("failures")}");
                }

                return run;
            }

            if (watch.Elapsed > (limit ?? TimeSpan.FromMinutes(15)))
            {
                throw new TimeoutException($"Run {id} did not complete in time.");
            }
        }
    }
}
