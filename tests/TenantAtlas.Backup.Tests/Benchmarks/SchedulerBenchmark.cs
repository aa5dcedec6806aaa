using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using TenantAtlas.Backup.Scheduler;
using TenantAtlas.Testing.Browser;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Benchmarks;

/// <summary>Runs only when <c>TENANTATLAS_BENCH_SCHEDULER=1</c> (scripts/bench-backup-scheduler.sh); skipped otherwise.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TENANTATLAS_BENCH_SCHEDULER") != "1")
        {
            Skip = "Benchmark: run scripts/bench-backup-scheduler.sh";
        }
    }
}

/// <summary>
/// Spec 004-backup, "Benchmark" (issue 7, item 7): N enabled schedules (10,000) all due on the same slot, three scheduler hosts ticking at once
/// (each its own app host, DI container and connection pool, released together). Measures each tick up to "runs
/// created" (read schedules + compute slots + the one insert statement with its audit entries) and, separately, the
/// enqueueing of the created runs; counts runs and duplicates in the database afterwards. Writes
/// <c>artifacts/bench/backup-scheduler.md</c>.
/// </summary>
public sealed class SchedulerBenchmark(BackupFixture fixture) : IClassFixture<BackupFixture>
{
    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [BenchFact]
    public async Task Ten_thousand_due_schedules_three_schedulers_at_once()
    {
        var schedules = Env("BENCH_SCHEDULES", 10_000);
        var rounds = Env("BENCH_ROUNDS", 3);
        var schedulers = Env("BENCH_SCHEDULERS", 3);
        var report = new StringBuilder();
        void Line(string text)
        {
            report.AppendLine(text);
            Console.WriteLine(text);
        }

        // Slots every 5 minutes; each round's clock is 10 s after the next boundary, so every schedule has exactly one
        // due slot, within the grace window.
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        await fixture.Database.ExecuteAsync(
            """
            INSERT INTO backup.backup_schedules (id, workspace_id, tenant_id, name, cron_expression, time_zone_id, families, keep_last, keep_days, enabled, watermark, created_at, updated_at)
            SELECT gen_random_uuid(), $1, (ARRAY[$2, $3]::uuid[])[1 + n % 2], 'Bench ' || n, '*/5 * * * *',
                   (ARRAY['Europe/Berlin','America/New_York','UTC','Asia/Tokyo'])[1 + n % 4], ARRAY['deviceConfigurations','configurationPolicies'], 10, NULL, true, $4, $4, $4
              FROM generate_series(1, $5) AS n
            """,
            fixture.Demo.Contoso, fixture.Demo.ContosoEu, fixture.Demo.ContosoUs, start.AddMinutes(-1), schedules);
        await fixture.Database.ExecuteAsync("ANALYZE backup.backup_schedules");

        var hosts = new List<TenantAtlasApp> { fixture.App };
        for (var i = 1; i < schedulers; i++)
        {
            var extra = BackupFixture.Configure(new TenantAtlasApp(fixture.Database.ConnectionString), new Dictionary<string, string?>());
            _ = extra.Services; // start the host
            hosts.Add(extra);
        }

        try
        {
            // Warm up every host (EF model, connection pool, JIT) with a tick that finds nothing.
            foreach (var host in hosts)
            {
                await ActivatorUtilities.CreateInstance<BackupScheduler>(host.Services, new FakeTimeProvider(start.AddMinutes(-1)))
                    .TickAsync([Guid.NewGuid()], CancellationToken.None);
            }

            Line($"| round | scheduler | schedules read | due slots | runs created | tick to runs created (ms) | insert + audit (ms) | enqueue (ms) |");
            Line("|---:|---:|---:|---:|---:|---:|---:|---:|");
            var toCreated = new List<double>();
            var enqueues = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var now = start.AddMinutes(5 * (round - 1)).AddSeconds(10);
                var instances = hosts.Select(h => ActivatorUtilities.CreateInstance<BackupScheduler>(h.Services, new FakeTimeProvider(now))).ToList();
                var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var ticks = instances.Select(s => Task.Run(async () =>
                {
                    await gate.Task;
                    var watch = Stopwatch.StartNew();
                    var tick = await s.TickAsync(null, CancellationToken.None);
                    return (Tick: tick, Wall: watch.Elapsed);
                })).ToList();
                await Task.Delay(200);
                gate.SetResult();
                var results = await Task.WhenAll(ticks);

                for (var i = 0; i < results.Length; i++)
                {
                    var (tick, wall) = results[i];
                    var created = (wall - tick.EnqueueDuration).TotalMilliseconds;
                    toCreated.Add(created);
                    if (tick.Created.Count > 0)
                    {
                        enqueues.Add(tick.EnqueueDuration.TotalMilliseconds);
                    }

                    Line($"| {round} | {i + 1} | {tick.Schedules:N0} | {tick.DueSlots:N0} | {tick.Created.Count:N0} | {created:F0} | {tick.CreateDuration.TotalMilliseconds:F0} | {tick.EnqueueDuration.TotalMilliseconds:F0} |");
                }

                var slot = now.AddSeconds(-10);
                var runs = await fixture.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM operations.operation_runs WHERE type = 'backup_schedule.scheduled' AND scheduled_for = $1", slot);
                var duplicates = await fixture.Database.ScalarAsync<long>(
                    "SELECT count(*) - count(DISTINCT (schedule_id, scheduled_for)) FROM operations.operation_runs WHERE type = 'backup_schedule.scheduled'");
                var withJob = await fixture.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM operations.operation_runs WHERE type = 'backup_schedule.scheduled' AND scheduled_for = $1 AND hangfire_job_id IS NOT NULL", slot);
                Line($"|  | **round {round}** | | | **{results.Sum(r => r.Tick.Created.Count):N0} created in total** | runs in the database for the slot: **{runs:N0}**, duplicates: **{duplicates}**, with a Hangfire job: {withJob:N0} | | |");
                runs.Should().Be(schedules);
                duplicates.Should().Be(0);
                results.Sum(r => r.Tick.Created.Count).Should().Be(schedules);
            }

            Line("");
            Line($"Tick to runs created (every scheduler of every round, ms): p50 {Percentile(toCreated, 0.5):F0}, max {toCreated.Max():F0}. " +
                 $"Enqueueing {schedules:N0} jobs (the winning scheduler of each round, ms): {string.Join(", ", enqueues.Select(e => e.ToString("F0", CultureInfo.InvariantCulture)))}.");
        }
        finally
        {
            foreach (var host in hosts.Skip(1))
            {
                await host.DisposeAsync();
            }

            var path = Path.Combine(Artifacts.Directory("bench"), "backup-scheduler.md");
            await File.WriteAllTextAsync(path, report.ToString());
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
