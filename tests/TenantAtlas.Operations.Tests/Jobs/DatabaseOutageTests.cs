using Npgsql;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Jobs;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Database;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Web.Demo;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>
/// Issue 19, item 8: a short PostgreSQL outage does not end a run whose worker never stopped. The database is a server of
/// its own, stopped with <c>pg_ctl stop -m immediate</c> (open connections break, new ones are refused) and started again.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.OutageFixture fixture) : IClassFixture<DatabaseOutageTests.OutageFixture>
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15); // roomy: the machine may be busy
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(2); // several heartbeat intervals, well inside StaleAfter

    [Fact]
    public async Task Heartbeats_resume_after_a_database_restart_and_the_run_ends_succeeded_not_worker_lost()
    {
        var control = fixture.App.Services.GetRequiredService<TestJobControl>();
        control.Hold = true;
        var run = await fixture.StartAsync(TestOperations.Click);
        var job = fixture.App.Services.GetRequiredService<OperationJobRunner>().RunAsync(run.Id, CancellationToken.None);
        using var upkeepStop = new CancellationTokenSource();
        var upkeep = KeepDoingUpkeepAsync(upkeepStop.Token);
        try
        {
            await EventuallyAsync(async () => await HeartbeatAsync(run.Id) is not null, TimeSpan.FromSeconds(15), "the job runs and beats");

            var down = DateTimeOffset.UtcNow;
            await fixture.Server.StopImmediatelyAsync();
            await Task.Delay(Outage);
            await fixture.Server.StartAgainAsync();
            var back = DateTimeOffset.UtcNow;

            await EventuallyAsync(async () => await HeartbeatAsync(run.Id) > back, TimeSpan.FromSeconds(10), "the heartbeat resumes once the database is back");
            // Past the moment the last beat before the outage went stale, with this process's and another process's upkeep
            // running all along: nobody calls the run lost.
            var staleMoment = down + StaleAfter + TimeSpan.FromSeconds(1);
            await Task.Delay(staleMoment - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
            (await fixture.Runs.FindAsync(run.Id))!.Status.Should().Be(OperationRunStatus.Running, "its worker is alive and beating");
            (await HeartbeatAsync(run.Id)).Should().BeAfter(DateTimeOffset.UtcNow - StaleAfter / 2, "heartbeats keep coming");
        }
        finally
        {
            control.Release(run.Id);
            control.Hold = false;
            await job.WaitAsync(TimeSpan.FromSeconds(30));
            await upkeepStop.CancelAsync();
            await upkeep;
        }

        var after = (await fixture.Runs.FindAsync(run.Id))!;
        after.Outcome.Should().Be(OperationRunOutcome.Succeeded, $"the job succeeded (completion reason: {after.CompletionReason})");
        after.CompletionReason.Should().BeNull();
        after.Count(OperationSummaryKeys.Succeeded).Should().Be(10);
    }

    [Fact]
    public async Task A_job_that_finishes_while_the_database_is_down_completes_its_run_once_it_is_back()
    {
        var control = fixture.App.Services.GetRequiredService<TestJobControl>();
        control.Hold = true;
        var run = await fixture.StartAsync(TestOperations.Click);
        var job = fixture.App.Services.GetRequiredService<OperationJobRunner>().RunAsync(run.Id, CancellationToken.None);
        try
        {
            await EventuallyAsync(async () => await HeartbeatAsync(run.Id) is not null, TimeSpan.FromSeconds(15), "the job runs and beats");

            await fixture.Server.StopImmediatelyAsync();
            control.Release(run.Id); // the job finishes while its completion cannot be written
            await Task.Delay(Outage);
        }
        finally
        {
            control.Hold = false;
            await fixture.Server.StartAgainAsync();
        }

        var ended = await Task.WhenAny(job, Task.Delay(TimeSpan.FromSeconds(30)));
        ended.Should().BeSameAs(job, "the job ends once its completion is written");
        await job;
        var after = (await fixture.Runs.FindAsync(run.Id))!;
        after.Status.Should().Be(OperationRunStatus.Completed, "a finished job does not leave its run running");
        after.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        after.Count(OperationSummaryKeys.Succeeded).Should().Be(10, "the counts written at the end survive the outage too");
    }

    /// <summary>The recurring upkeep, as this process and as another process (which knows only the heartbeat's age) run it.</summary>
    private async Task KeepDoingUpkeepAsync(CancellationToken stop)
    {
        var here = fixture.App.Services.GetRequiredService<OperationsMaintenance>();
        var elsewhere = ActivatorUtilities.CreateInstance<OperationsMaintenance>(fixture.App.Services, new RunsInThisProcess(TimeProvider.System));
        while (!stop.IsCancellationRequested)
        {
            foreach (var maintenance in new[] { here, elsewhere })
            {
                try
                {
                    await maintenance.CompleteStaleRunsAsync(CancellationToken.None);
                }
                catch (Exception e) when (DatabaseFailures.IsTransient(e))
                {
                    // The database is away; so is the upkeep.
                }
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    private async Task<DateTimeOffset?> HeartbeatAsync(long runId)
    {
        try
        {
            await using var connection = new NpgsqlConnection(fixture.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT heartbeat_at FROM operations.operation_runs WHERE id = $1", connection) { Parameters = { new() { Value = runId } } };
            return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
        }
        catch (Exception e) when (DatabaseFailures.IsTransient(e))
        {
            return null; // still starting up
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string because)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + because);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A PostgreSQL server of this class's own, a migrated database with demo data on it, and the app.</summary>
    public sealed class OutageFixture : IAsyncLifetime
    {
        public LocalPostgres Server { get; private set; } = default!;

        public string ConnectionString { get; private set; } = "";

        public TenantAtlasApp App { get; private set; } = default!;

        public DemoIds Demo { get; private set; } = default!;

        public IOperationRuns Runs => App.Services.GetRequiredService<IOperationRuns>();

        public async Task InitializeAsync()
        {
            Server = await LocalPostgres.StartAsync(crashSafe: true);
            ConnectionString = await TenantAtlasApp.CreateMigratedDatabaseAsync(Server, "ta_outage");
            App = OperationsFixture.Configure(new TenantAtlasApp(ConnectionString))
                .WithSetting("Operations:HeartbeatInterval", HeartbeatInterval.ToString())
                .WithSetting("Operations:StaleAfter", StaleAfter.ToString());
            Demo = await App.SeedDemoAsync();
        }

        public async Task<OperationRunView> StartAsync(string type)
        {
            var result = await Runs.StartAsync(TenantAtlas.Access.Contracts.Actor.User(Demo.Owner), new StartRequest(type, Demo.ContosoEu));
            result.Started.Should().BeTrue(result.Message);
            return result.Run!;
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
            await Server.DisposeAsync();
        }
    }
}
