using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Testing.Database;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Web.Demo;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>What a <see cref="GatedJob"/> does in one host: holds every run until the host stops, or runs it at once.</summary>
public sealed class ShutdownGate
{
    private readonly ConcurrentDictionary<long, int> executions = new();

    public bool Hold { get; init; }

    /// <summary>The first execution of each run fails as a write does when PostgreSQL restarts under it.</summary>
    public bool LoseDatabaseOnce { get; init; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ExecutionsOf(long runId) => executions.GetValueOrDefault(runId);

    internal void Executing(long runId)
    {
        executions.AddOrUpdate(runId, 1, (_, n) => n + 1);
        Started.TrySetResult();
    }
}

/// <summary>A job that reports counts and, in a holding host, waits on its token (the safe point) until the host stops.</summary>
internal sealed class GatedJob(ShutdownGate gate) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        gate.Executing(run.RunId);
        run.Set(OperationSummaryKeys.Total, 10);
        run.Increment(OperationSummaryKeys.Processed, 3);
        await run.ReportProgressAsync(cancellationToken);
        if (gate.LoseDatabaseOnce && gate.ExecutionsOf(run.RunId) == 1)
        {
            throw new Npgsql.NpgsqlException("Exception while writing to stream", new System.IO.IOException("Broken pipe"));
        }
        if (gate.Hold)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        run.Increment(OperationSummaryKeys.Processed, 7);
        run.Set(OperationSummaryKeys.Succeeded, 10);
        return OperationJobResult.Succeeded;
    }
}

/// <summary>
/// Spec 001-operation-runs, "Graceful shutdown" (issue 15 item 2) and the <c>--role</c> flag, with real Hangfire servers in
/// hosts that are stopped as a deploy stops them: a running run is handed back and completed by the next worker, never
/// burnt; a type that may not repeat its work ends truthfully; a run handed back too often fails.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class GracefulShutdownTests
{
    private const string NoHandBack = "test.no_hand_back";

    private static TenantAtlasApp Host(string connectionString, bool hold, string role = "all", int maxHandBacks = 3, bool loseDatabaseOnce = false) =>
        Support.OperationsFixture.Configure(new TenantAtlasApp(connectionString))
            .WithSetting("role", role)
            .WithSetting("Hangfire:Server:Enabled", "true")
            .WithSetting("Hangfire:QueuePollMilliseconds", "100")
            .WithSetting("Hangfire:WorkerCount", "2")
            .WithSetting("Operations:MaxHandBacks", maxHandBacks.ToString(CultureInfo.InvariantCulture))
            .WithServices(s =>
            {
                s.AddSingleton(new ShutdownGate { Hold = hold, LoseDatabaseOnce = loseDatabaseOnce });
                s.AddOperationType(new OperationTypeDefinition(NoHandBack, "Test import", IdentityRule.UniquePerClick, Capability.TenantBackupsRun,
                    UserStartable: true, HandBackOnShutdown: false));
                s.AddOperationJob<GatedJob>(TestOperations.Click);
                s.AddOperationJob<GatedJob>(OperationTypes.BackupScheduled);
                s.AddOperationJob<GatedJob>(NoHandBack);
            });

    private static async Task<OperationRunView> WaitForAsync(TenantAtlasApp app, long runId, Func<OperationRunView, bool> done, string what)
    {
        var runs = app.Services.GetRequiredService<IOperationRuns>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = (await runs.FindAsync(runId))!;
            if (done(run))
            {
                return run;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"run {runId} should be {what} (it is {run.Status})");
            await Task.Delay(100);
        }
    }

    private static Task<OperationRunView> RunningAsync(TenantAtlasApp app, long runId) =>
        WaitForAsync(app, runId, r => r.Status == OperationRunStatus.Running && app.Services.GetRequiredService<ShutdownGate>().ExecutionsOf(runId) > 0, "running");

    private static Task<OperationRunView> CompletedAsync(TenantAtlasApp app, long runId) =>
        WaitForAsync(app, runId, r => r.Status == OperationRunStatus.Completed, "completed");

    private static async Task<OperationRunView> StartAsync(TenantAtlasApp app, DemoIds demo, string type)
    {
        var result = await app.Services.GetRequiredService<IOperationRuns>().StartAsync(Actor.User(demo.Owner), new StartRequest(type, demo.ContosoEu));
        result.Started.Should().BeTrue(result.Message);
        return result.Run!;
    }

    private static Task<string?> JobStateAsync(TestDatabase db, string jobId) =>
        db.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", long.Parse(jobId, CultureInfo.InvariantCulture));

    /// <summary>Jobs of the run that Hangfire would still hand to a worker (enqueued, or taken and not finished).</summary>
    private static Task<long> LiveJobsOfAsync(TestDatabase db, long runId) => db.ScalarAsync<long>("""
        SELECT count(*) FROM hangfire.job
         WHERE statename IN ('Enqueued', 'Processing') AND invocationdata ->> 'Type' LIKE '%OperationJobRunner%'
           AND arguments::jsonb ->> 0 = $1
        """, runId.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_run_interrupted_by_its_worker_stopping_is_handed_back_and_completed_by_the_next_worker()
    {
        await using var db = await TenantAtlasApp.CreateDatabaseAsync();
        var first = Host(db.ConnectionString, hold: true);
        OperationRunView run;
        string oldJob;
        try
        {
            var demo = await first.SeedDemoAsync();
            run = await StartAsync(first, demo, TestOperations.Click);
            oldJob = (await RunningAsync(first, run.Id)).HangfireJobId!;
            (await WaitForAsync(first, run.Id, r => r.Count(OperationSummaryKeys.Processed) == 3, "reporting")).Should().NotBeNull();
        }
        finally
        {
            await first.DisposeAsync(); // the host stops as on SIGTERM: Hangfire cancels the job's token
        }

        (await db.ScalarAsync<string>("SELECT status FROM operations.operation_runs WHERE id = $1", run.Id)).Should().Be("queued", "the stopping worker handed the run back");
        (await db.ScalarAsync<int>("SELECT hand_backs FROM operations.operation_runs WHERE id = $1", run.Id)).Should().Be(1);
        (await db.ScalarAsync<bool>("SELECT started_at IS NULL AND heartbeat_at IS NULL AND summary = '{}'::jsonb FROM operations.operation_runs WHERE id = $1", run.Id))
            .Should().BeTrue("the next attempt starts from the beginning and reports everything again");
        var newJob = await db.ScalarAsync<string>("SELECT hangfire_job_id FROM operations.operation_runs WHERE id = $1", run.Id);
        newJob.Should().NotBeNull().And.NotBe(oldJob, "the run was dispatched to a new job");
        (await JobStateAsync(db, oldJob)).Should().Be("Succeeded", "the interrupted job returned after handing the run back: Hangfire never delivers it again");
        (await JobStateAsync(db, newJob!)).Should().Be("Enqueued");
        (await LiveJobsOfAsync(db, run.Id)).Should().Be(1, "exactly one job is waiting to run the handed-back run");

        await using var second = Host(db.ConnectionString, hold: false);
        var done = await CompletedAsync(second, run.Id);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        done.Count(OperationSummaryKeys.Processed).Should().Be(10, "counted once, by the attempt that finished");
        done.Failures.Should().BeEmpty();
        second.Services.GetRequiredService<ShutdownGate>().ExecutionsOf(run.Id).Should().Be(1);
        (await LiveJobsOfAsync(db, run.Id)).Should().Be(0);
        (await db.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs")).Should().Be(1, "no run was added or lost");
    }

    [Fact]
    public async Task A_scheduled_slot_keeps_its_one_run_across_a_worker_restart()
    {
        await using var db = await TenantAtlasApp.CreateDatabaseAsync();
        var first = Host(db.ConnectionString, hold: true);
        var schedule = Guid.NewGuid();
        var slot = new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
        long runId;
        ScheduledSlot[] due;
        try
        {
            var demo = await first.SeedDemoAsync();
            due = [new ScheduledSlot(demo.Contoso, demo.ContosoEu, schedule, slot, Missed: false)];
            runId = (await first.Services.GetRequiredService<IOperationRuns>().StartScheduledAsync(due)).Created.Single();
            await RunningAsync(first, runId);
        }
        finally
        {
            await first.DisposeAsync();
        }

        (await db.ScalarAsync<string>("SELECT status FROM operations.operation_runs WHERE id = $1", runId)).Should().Be("queued");

        await using var second = Host(db.ConnectionString, hold: false);
        // A scheduler ticking the same slot after the restart finds the slot taken: the handed-back run is its run.
        (await second.Services.GetRequiredService<IOperationRuns>().StartScheduledAsync(due)).Created.Should().BeEmpty();
        var done = await CompletedAsync(second, runId);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded, "the slot's run was re-run, not failed");
        done.ScheduledFor.Should().Be(slot);
        (await db.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE schedule_id = $1", schedule)).Should().Be(1);
    }

    [Fact]
    public async Task A_type_that_may_not_repeat_its_work_is_completed_as_failed_with_the_reason_when_its_worker_stops()
    {
        await using var db = await TenantAtlasApp.CreateDatabaseAsync();
        var first = Host(db.ConnectionString, hold: true);
        OperationRunView run;
        try
        {
            run = await StartAsync(first, await first.SeedDemoAsync(), NoHandBack);
            await RunningAsync(first, run.Id);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var reader = new TenantAtlasApp(db.ConnectionString).WithServices(s => s.AddOperationType(
            new OperationTypeDefinition(NoHandBack, "Test import", IdentityRule.UniquePerClick, Capability.TenantBackupsRun, UserStartable: true, HandBackOnShutdown: false)));
        var done = (await reader.Services.GetRequiredService<IOperationRuns>().FindAsync(run.Id))!;
        done.Status.Should().Be(OperationRunStatus.Completed);
        done.Outcome.Should().Be(OperationRunOutcome.Failed);
        done.CompletionReason.Should().Be("worker_stopped");
        done.Failures.Should().ContainSingle().Which.Message.Should().Contain("shut down").And.Contain("not repeated automatically");
        (await db.ScalarAsync<int>("SELECT hand_backs FROM operations.operation_runs WHERE id = $1", run.Id)).Should().Be(0);
    }

    [Fact]
    public async Task A_run_interrupted_more_often_than_the_bound_is_failed_instead_of_handed_back_again()
    {
        await using var db = await TenantAtlasApp.CreateDatabaseAsync();
        var first = Host(db.ConnectionString, hold: true, maxHandBacks: 1);
        OperationRunView run;
        try
        {
            run = await StartAsync(first, await first.SeedDemoAsync(), TestOperations.Click);
            await RunningAsync(first, run.Id);
        }
        finally
        {
            await first.DisposeAsync();
        }

        (await db.ScalarAsync<string>("SELECT status FROM operations.operation_runs WHERE id = $1", run.Id)).Should().Be("queued", "the first interruption is handed back");

        var second = Host(db.ConnectionString, hold: true, maxHandBacks: 1);
        try
        {
            await RunningAsync(second, run.Id);
        }
        finally
        {
            await second.DisposeAsync();
        }

        await using var reader = Support.OperationsFixture.Configure(new TenantAtlasApp(db.ConnectionString));
        var done = (await reader.Services.GetRequiredService<IOperationRuns>().FindAsync(run.Id))!;
        done.Status.Should().Be(OperationRunStatus.Completed);
        done.Outcome.Should().Be(OperationRunOutcome.Failed);
        done.CompletionReason.Should().Be("handed_back_too_often");
        done.Failures.Should().ContainSingle().Which.Message.Should().Contain("2 times");
        (await LiveJobsOfAsync(db, run.Id)).Should().Be(0, "nothing is left to run it");
    }

    [Fact]
    public async Task A_run_whose_job_lost_the_database_mid_run_is_handed_back_and_run_again_not_failed()
    {
        await using var db = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = Host(db.ConnectionString, hold: false, loseDatabaseOnce: true);
        var run = await StartAsync(app, await app.SeedDemoAsync(), TestOperations.Click);

        var done = await CompletedAsync(app, run.Id);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded, "a database restart under a run's write is not the run's failure");
        done.Failures.Should().BeEmpty();
        done.Count(OperationSummaryKeys.Processed).Should().Be(10, "the repeated attempt counted everything once");
        app.Services.GetRequiredService<ShutdownGate>().ExecutionsOf(run.Id).Should().Be(2);
        (await db.ScalarAsync<int>("SELECT hand_backs FROM operations.operation_runs WHERE id = $1", run.Id)).Should().Be(1);
    }

    [Fact]
    public async Task A_web_only_host_enqueues_and_runs_nothing_and_a_worker_only_host_runs_the_run_and_serves_no_pages()
    {
        await using var db = await TenantAtlasApp.CreateDatabaseAsync();
        await using var web = Host(db.ConnectionString, hold: false, role: "web");
        var run = await StartAsync(web, await web.SeedDemoAsync(), TestOperations.Click);
        (await web.CreateBrowserLikeClient().GetAsync("/")).StatusCode.Should().NotBe(HttpStatusCode.NotFound, "the web role serves pages");

        await Task.Delay(TimeSpan.FromSeconds(3));
        var queued = (await web.Services.GetRequiredService<IOperationRuns>().FindAsync(run.Id))!;
        queued.Status.Should().Be(OperationRunStatus.Queued, "a web-only host has no job server");
        (await JobStateAsync(db, queued.HangfireJobId!)).Should().Be("Enqueued", "it enqueued the job");
        web.Services.GetRequiredService<ShutdownGate>().ExecutionsOf(run.Id).Should().Be(0);
        (await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.server")).Should().Be(0);

        await using var worker = Host(db.ConnectionString, hold: false, role: "worker");
        var done = await CompletedAsync(worker, run.Id);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        worker.Services.GetRequiredService<ShutdownGate>().ExecutionsOf(run.Id).Should().Be(1);
        var client = worker.CreateBrowserLikeClient();
        (await client.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a worker serves no pages");
        (await client.GetAsync("/admin/operations")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK, "but answers its health probes");
    }
}
