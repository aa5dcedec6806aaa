using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Jobs;
using TenantAtlas.Operations.Tests.Support;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>
/// Spec 001-operation-runs, "Nothing stays queued": a queued run whose Hangfire job is gone (deleted, failed, finished
/// without claiming the run, or taken by a worker that died before claiming) is re-enqueued once by the upkeep, then
/// completed as failed (job_lost) — never left queued, where dedupe would answer "already running" for good. The fixture
/// has no Hangfire server: jobs stay in real Hangfire storage on PostgreSQL, in whatever state the test puts them.
/// </summary>
public sealed class LostJobTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private OperationsMaintenance Maintenance => fixture.App.Services.GetRequiredService<OperationsMaintenance>();

    private IBackgroundJobClient HangfireJobs => fixture.App.Services.GetRequiredService<IBackgroundJobClient>();

    /// <summary>The run has waited in the queue for an hour: long past the bound after which the upkeep looks at its job.</summary>
    private Task<int> QueuedLongAgoAsync(long runId) => fixture.Database.ExecuteAsync(
        "UPDATE operations.operation_runs SET created_at = now() - interval '1 hour', dispatch_claimed_at = now() - interval '1 hour' WHERE id = $1", runId);

    private async Task<OperationRunView> RunAsync(long runId) => (await fixture.Runs.FindAsync(runId))!;

    [Fact]
    public async Task A_queued_run_whose_job_was_deleted_is_enqueued_again_and_then_runs()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "deleted-job" });
        HangfireJobs.Delete(run.HangfireJobId!).Should().BeTrue();
        await QueuedLongAgoAsync(run.Id);

        await Maintenance.RunAsync(CancellationToken.None);

        var repaired = await RunAsync(run.Id);
        repaired.Status.Should().Be(OperationRunStatus.Queued);
        repaired.HangfireJobId.Should().NotBeNull().And.NotBe(run.HangfireJobId, "the upkeep enqueued a new job for the run whose job was deleted");
        (await fixture.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", long.Parse(repaired.HangfireJobId!, System.Globalization.CultureInfo.InvariantCulture)))
            .Should().Be("Enqueued");

        await fixture.RunJobAsync(run.Id);
        (await RunAsync(run.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        fixture.Jobs.ExecutionsOf(run.Id).Should().Be(1);
    }

    [Fact]
    public async Task A_run_whose_job_is_lost_twice_fails_as_job_lost_and_sync_now_starts_a_new_run()
    {
        var run = await fixture.StartAsync(TestOperations.Sync);
        HangfireJobs.Delete(run.HangfireJobId!).Should().BeTrue();
        await QueuedLongAgoAsync(run.Id);
        await Maintenance.RunAsync(CancellationToken.None);

        var second = await RunAsync(run.Id);
        second.Status.Should().Be(OperationRunStatus.Queued, "the first lost job is replaced once");
        second.HangfireJobId.Should().NotBe(run.HangfireJobId);
        // The replacement fails in the queue too (say, the database blinked during its first read).
        HangfireJobs.ChangeState(second.HangfireJobId!, new FailedState(new InvalidOperationException("blip"))).Should().BeTrue();
        await QueuedLongAgoAsync(run.Id);
        await Maintenance.RunAsync(CancellationToken.None);

        var lost = await RunAsync(run.Id);
        lost.Status.Should().Be(OperationRunStatus.Completed);
        lost.Outcome.Should().Be(OperationRunOutcome.Failed);
        lost.CompletionReason.Should().Be("job_lost");
        lost.Failures.Should().ContainSingle(f => f.Code == "job_lost")
            .Which.Message.Should().Contain("start it again", "the reason is in the product's words and says what to do");

        var again = await fixture.Runs.StartAsync(TenantAtlas.Access.Contracts.Actor.User(fixture.Demo.Owner), new StartRequest(TestOperations.Sync, fixture.Demo.ContosoEu));
        again.Started.Should().BeTrue(again.Message);
        again.Created.Should().BeTrue("a lost run no longer holds the tenant's Sync now as 'already running'");
        again.Run!.Id.Should().NotBe(run.Id);
    }

    [Fact]
    public async Task A_queued_run_whose_job_succeeded_without_claiming_it_is_repaired()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "succeeded-unclaimed" });
        HangfireJobs.ChangeState(run.HangfireJobId!, new SucceededState(null, 0, 0)).Should().BeTrue();
        await QueuedLongAgoAsync(run.Id);

        await Maintenance.RunAsync(CancellationToken.None);

        var repaired = await RunAsync(run.Id);
        repaired.Status.Should().Be(OperationRunStatus.Queued);
        repaired.HangfireJobId.Should().NotBe(run.HangfireJobId, "a job that finished without claiming its run will never run it");
        await fixture.RunJobAsync(run.Id);
        (await RunAsync(run.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
    }

    [Fact]
    public async Task A_job_taken_by_a_worker_that_died_before_claiming_is_repaired_after_the_stale_window()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "processing-unclaimed" });
        // A worker took the job (Processing) and died before claiming the run; Hangfire would hand it out again only after
        // its 30-minute invisibility timeout.
        HangfireJobs.ChangeState(run.HangfireJobId!, new TakenByAWorker()).Should().BeTrue();
        await QueuedLongAgoAsync(run.Id);

        await Maintenance.RunAsync(CancellationToken.None);
        (await RunAsync(run.Id)).HangfireJobId.Should().Be(run.HangfireJobId, "a worker that took the job just now may still claim the run");

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // longer than StaleAfter (2 s)
        await Maintenance.RunAsync(CancellationToken.None);

        var repaired = await RunAsync(run.Id);
        repaired.Status.Should().Be(OperationRunStatus.Queued);
        repaired.HangfireJobId.Should().NotBe(run.HangfireJobId, "the worker did not claim the run within the stale window");
        await fixture.RunJobAsync(run.Id);
        (await RunAsync(run.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
    }

    [Fact]
    public async Task A_job_id_that_no_job_has_counts_as_lost_and_does_not_stop_the_upkeep()
    {
        var odd = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "odd-job-id" });
        await fixture.Database.ExecuteAsync("UPDATE operations.operation_runs SET hangfire_job_id = 'not-a-job' WHERE id = $1", odd.Id);
        await QueuedLongAgoAsync(odd.Id);
        var deleted = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "after-odd-job-id" });
        HangfireJobs.Delete(deleted.HangfireJobId!).Should().BeTrue();
        await QueuedLongAgoAsync(deleted.Id);

        await Maintenance.RunAsync(CancellationToken.None);

        (await RunAsync(odd.Id)).HangfireJobId.Should().NotBe("not-a-job");
        (await RunAsync(deleted.Id)).HangfireJobId.Should().NotBe(deleted.HangfireJobId, "one odd row must not stop the upkeep for the others");
    }

    [Fact]
    public async Task A_queued_run_whose_job_is_still_waiting_in_the_queue_is_left_alone()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "waiting" });
        await QueuedLongAgoAsync(run.Id);

        await Maintenance.RunAsync(CancellationToken.None);

        var waiting = await RunAsync(run.Id);
        waiting.Status.Should().Be(OperationRunStatus.Queued);
        waiting.HangfireJobId.Should().Be(run.HangfireJobId, "an enqueued job is a backlog, not a lost job");
    }

    [Fact]
    public async Task A_late_delivery_of_a_replaced_or_lost_job_changes_nothing()
    {
        // Replaced: the new job ran the run; the old one is delivered afterwards.
        var replaced = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "late-replaced" });
        HangfireJobs.Delete(replaced.HangfireJobId!).Should().BeTrue();
        await QueuedLongAgoAsync(replaced.Id);
        await Maintenance.RunAsync(CancellationToken.None);
        (await RunAsync(replaced.Id)).HangfireJobId.Should().NotBe(replaced.HangfireJobId);
        await fixture.RunJobAsync(replaced.Id);
        var done = await RunAsync(replaced.Id);

        await fixture.RunJobAsync(replaced.Id);

        var after = await RunAsync(replaced.Id);
        after.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        after.CompletedAt.Should().Be(done.CompletedAt);
        fixture.Jobs.ExecutionsOf(replaced.Id).Should().Be(1, "the late delivery must not run the operation a second time");

        // Lost: the run was completed as job_lost; its old job turns up after all.
        var lost = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "late-lost" });
        HangfireJobs.Delete(lost.HangfireJobId!).Should().BeTrue();
        await QueuedLongAgoAsync(lost.Id);
        await Maintenance.RunAsync(CancellationToken.None);
        HangfireJobs.Delete((await RunAsync(lost.Id)).HangfireJobId!).Should().BeTrue();
        await QueuedLongAgoAsync(lost.Id);
        await Maintenance.RunAsync(CancellationToken.None);
        (await RunAsync(lost.Id)).CompletionReason.Should().Be("job_lost");

        await fixture.RunJobAsync(lost.Id);

        var stillLost = await RunAsync(lost.Id);
        stillLost.Outcome.Should().Be(OperationRunOutcome.Failed);
        stillLost.CompletionReason.Should().Be("job_lost");
        fixture.Jobs.ExecutionsOf(lost.Id).Should().Be(0);
    }

    /// <summary>Hangfire's Processing state as a worker writes it on taking a job (Hangfire's own constructor is internal).</summary>
    private sealed class TakenByAWorker : IState
    {
        public string Name => ProcessingState.StateName;

        public string? Reason => null;

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = "dead-server",
            ["WorkerId"] = "worker-1",
        };
    }
}
