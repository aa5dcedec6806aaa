using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Jobs;
using TenantAtlas.Operations.Runs;
using TenantAtlas.Operations.Tests.Support;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>Spec 001-operation-runs, "Nothing stays running" and "Cancel".</summary>
public sealed class StaleAndCancelTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private OperationsMaintenance Maintenance => fixture.App.Services.GetRequiredService<OperationsMaintenance>();

    /// <summary>The upkeep as another process runs it: it knows only the heartbeat's age, not which runs this process holds.</summary>
    private OperationsMaintenance MaintenanceElsewhere =>
        ActivatorUtilities.CreateInstance<OperationsMaintenance>(fixture.App.Services, new RunsInThisProcess(TimeProvider.System));

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + because);
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_run_without_heartbeat_is_completed_as_worker_lost_and_a_late_job_write_cannot_overwrite_it()
    {
        // A run whose worker died: running, heartbeat long ago.
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "stale" });
        await fixture.Database.ExecuteAsync(
            "UPDATE operations.operation_runs SET status = 'running', started_at = now() - interval '10 minutes', heartbeat_at = now() - interval '10 minutes' WHERE id = $1", run.Id);

        var stale = await Maintenance.CompleteStaleRunsAsync();

        stale.Should().Contain(run.Id);
        var lost = (await fixture.Runs.FindAsync(run.Id))!;
        lost.Status.Should().Be(OperationRunStatus.Completed);
        lost.Outcome.Should().Be(OperationRunOutcome.Failed);
        lost.CompletionReason.Should().Be("worker_lost");
        lost.Failures.Should().ContainSingle(f => f.Code == "worker_lost");

        // The job of that run wakes up late and tries to finish: conditional updates change nothing.
        var runner = fixture.App.Services.GetRequiredService<OperationJobRunner>();
        (await runner.CompleteAsync(run.Id, [OperationRunStatus.Running], TenantAtlas.Operations.Runs.RunCompletion.Finished(OperationRunOutcome.Succeeded), CancellationToken.None)).Should().BeFalse();
        await fixture.RunJobAsync(run.Id);
        var after = (await fixture.Runs.FindAsync(run.Id))!;
        after.Outcome.Should().Be(OperationRunOutcome.Failed);
        after.CompletionReason.Should().Be("worker_lost");
    }

    [Fact]
    public async Task A_live_job_keeps_its_heartbeat_and_is_not_declared_stale()
    {
        fixture.Jobs.Hold = true;
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "heartbeat" });
        var job = fixture.RunJobAsync(run.Id);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // longer than StaleAfter (2 s); heartbeats every 200 ms

            (await MaintenanceElsewhere.CompleteStaleRunsAsync()).Should().NotContain(run.Id, "its heartbeat is fresh");
            (await Maintenance.CompleteStaleRunsAsync()).Should().NotContain(run.Id);
            (await fixture.Runs.FindAsync(run.Id))!.Status.Should().Be(OperationRunStatus.Running);
        }
        finally
        {
            fixture.Jobs.Release(run.Id);
            fixture.Jobs.Hold = false;
            await job;
        }

        (await fixture.Runs.FindAsync(run.Id))!.Outcome.Should().Be(OperationRunOutcome.Succeeded);
    }

    [Fact]
    public async Task A_job_whose_run_was_declared_lost_stops_and_writes_nothing_more()
    {
        fixture.Jobs.Hold = true;
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "lost-while-running" });
        var job = fixture.RunJobAsync(run.Id);
        try
        {
            await EventuallyAsync(async () => (await fixture.Runs.FindAsync(run.Id))!.Status == OperationRunStatus.Running, "the job runs");
            // Simulate a hung worker: its heartbeat looks old when another process's detector looks (the live heartbeat may
            // race, so retry). This process's own detector knows the worker is alive and would not.
            await EventuallyAsync(async () =>
            {
                await fixture.Database.ExecuteAsync("UPDATE operations.operation_runs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1", run.Id);
                return (await MaintenanceElsewhere.CompleteStaleRunsAsync()).Contains(run.Id);
            }, "the detector declares the run lost");

            await job.WaitAsync(TimeSpan.FromSeconds(10)); // the next heartbeat sees the run is gone and cancels the job
        }
        finally
        {
            fixture.Jobs.Hold = false;
            fixture.Jobs.Release(run.Id);
        }

        var after = (await fixture.Runs.FindAsync(run.Id))!;
        after.CompletionReason.Should().Be("worker_lost");
        after.Outcome.Should().Be(OperationRunOutcome.Failed);
    }

    [Fact]
    public async Task Cancelling_a_queued_run_cancels_it_at_once_and_is_audited()
    {
        var run = await fixture.StartAsync(TestOperations.Click);

        var result = await fixture.Runs.CancelAsync(Actor.User(fixture.Demo.Operator), run.Id);

        result.Done.Should().BeTrue();
        var cancelled = (await fixture.Runs.FindAsync(run.Id))!;
        cancelled.Status.Should().Be(OperationRunStatus.Completed);
        cancelled.Outcome.Should().Be(OperationRunOutcome.Cancelled);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE operation_run_id = $1 AND action = 'operation.cancel_requested'", run.Id)).Should().Be(1);
    }

    [Fact]
    public async Task Cancelling_a_running_run_stops_it_at_its_next_heartbeat()
    {
        fixture.Jobs.Hold = true;
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "cancel-running" });
        var job = fixture.RunJobAsync(run.Id);
        try
        {
            await EventuallyAsync(async () => (await fixture.Runs.FindAsync(run.Id))!.Status == OperationRunStatus.Running, "the job runs");

            var result = await fixture.Runs.CancelAsync(Actor.User(fixture.Demo.Owner), run.Id);

            result.Done.Should().BeTrue();
            await job.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            fixture.Jobs.Hold = false;
            fixture.Jobs.Release(run.Id);
        }

        var cancelled = (await fixture.Runs.FindAsync(run.Id))!;
        cancelled.Outcome.Should().Be(OperationRunOutcome.Cancelled);
        cancelled.CancellationRequestedAt.Should().NotBeNull();
        cancelled.Count(OperationSummaryKeys.Total).Should().Be(10, "what the job reported before stopping stays");
    }

    [Theory]
    [InlineData("readonly", AccessDecision.Forbidden)]
    [InlineData("outsider", AccessDecision.NotFound)]
    public async Task Only_users_who_may_start_the_type_may_cancel(string who, AccessDecision expected)
    {
        var run = await fixture.StartAsync(TestOperations.Click);

        var result = await fixture.Runs.CancelAsync(Actor.User(who == "readonly" ? fixture.Demo.Readonly : fixture.Demo.Outsider), run.Id);

        result.Decision.Should().Be(expected);
        (await fixture.Runs.FindAsync(run.Id))!.Status.Should().Be(OperationRunStatus.Queued);
    }

    [Fact]
    public async Task The_reconciler_enqueues_an_orphaned_queued_run_exactly_once()
    {
        var run = await fixture.StartAsync(TestOperations.Click);
        // A crash between creating the row and enqueueing: no job id, an old claim.
        await fixture.Database.ExecuteAsync(
            "UPDATE operations.operation_runs SET hangfire_job_id = NULL, dispatch_claimed_at = now() - interval '1 hour' WHERE id = $1", run.Id);
        var dispatcher = fixture.App.Services.GetRequiredService<OperationDispatcher>();

        // Three processes' reconcilers race.
        var claimed = (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => dispatcher.ReconcileAsync()))).SelectMany(x => x).ToList();

        claimed.Count(id => id == run.Id).Should().Be(1);
        var jobId = (await fixture.Runs.FindAsync(run.Id))!.HangfireJobId;
        jobId.Should().NotBeNullOrEmpty();
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE $1 AND invocationdata::text LIKE '%OperationJobRunner%'", $"%\"{run.Id}\"%"))
            .Should().Be(2, "one job from the original start, one from exactly one reconciler");
        (await dispatcher.ReconcileAsync()).Should().NotContain(run.Id, "it has a job now");
    }
}
