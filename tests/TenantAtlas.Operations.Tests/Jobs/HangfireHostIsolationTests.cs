using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>
/// Spec 001-operation-runs, "Dispatch": each host's Hangfire runs its own jobs against its own database. Hangfire keeps
/// storage, job activator and log provider in process-globals; two hosts in one process (tests, benchmarks) must still
/// never run each other's jobs.
/// </summary>
public sealed class HangfireHostIsolationTests
{
    private static TenantAtlasApp Host(string connectionString) => new TenantAtlasApp(connectionString)
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100")
        .WithServices(s => s.AddTestOperations());

    private static async Task<OperationRunView> CompletedAsync(TenantAtlasApp app, long runId)
    {
        var runs = app.Services.GetRequiredService<IOperationRuns>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = (await runs.FindAsync(runId))!;
            if (run.Status == OperationRunStatus.Completed || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Two_hosts_in_one_process_each_run_their_own_jobs_on_their_own_database()
    {
        await using var firstDb = await TenantAtlasApp.CreateDatabaseAsync();
        await using var secondDb = await TenantAtlasApp.CreateDatabaseAsync();
        await using var first = Host(firstDb.ConnectionString);
        await using var second = Host(secondDb.ConnectionString);
        // Both start at once, as parallel test fixtures do: each configures Hangfire's process-globals while the other may
        // be between configuring and resolving them (the CI failure: a run stayed queued while "its" job had succeeded).
        var demos = await Task.WhenAll(first.SeedDemoAsync(), second.SeedDemoAsync());
        var (firstDemo, secondDemo) = (demos[0], demos[1]);

        var a = await first.Services.GetRequiredService<IOperationRuns>().StartAsync(Actor.User(firstDemo.Owner), new StartRequest(TestOperations.Click, firstDemo.ContosoEu));
        var b = await second.Services.GetRequiredService<IOperationRuns>().StartAsync(Actor.User(secondDemo.Owner), new StartRequest(TestOperations.Click, secondDemo.ContosoEu));

        (await CompletedAsync(first, a.Run!.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded, "the first host's worker ran its run in its database");
        (await CompletedAsync(second, b.Run!.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        first.Services.GetRequiredService<TestJobControl>().ExecutionsOf(a.Run.Id).Should().Be(1, "the first host's own job ran it");
        (await firstDb.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE '%' || $1 || '%'", a.Run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Should().BeGreaterThan(0);
    }
}
