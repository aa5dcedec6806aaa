using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>The app with a real Hangfire server: runs it created are picked up and completed by workers.</summary>
public sealed class HangfireFixture : OperationsFixture
{
    protected override TenantAtlasApp CreateApp(string connectionString) =>
        Configure(new TenantAtlasApp(connectionString))
            .WithSetting("Hangfire:Server:Enabled", "true")
            .WithSetting("Hangfire:QueuePollMilliseconds", "100")
            .WithSetting("Hangfire:WorkerCount", "4");
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireCollection
{
    public const string Name = "hangfire";
}

/// <summary>Spec 001-operation-runs, "Dispatch-time creation" end to end with Hangfire on PostgreSQL.</summary>
[Collection(HangfireCollection.Name)]
public sealed class HangfireIntegrationTests(HangfireFixture fixture) : IClassFixture<HangfireFixture>
{
    private async Task<OperationRunView> WaitForCompletionAsync(long runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = (await fixture.Runs.FindAsync(runId))!;
            if (run.Status == OperationRunStatus.Completed)
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} is still {run.Status}.");
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_started_run_is_picked_up_by_a_hangfire_worker_and_completed()
    {
        var run = await fixture.StartAsync(TestOperations.Click);

        var done = await WaitForCompletionAsync(run.Id);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        done.Count(OperationSummaryKeys.Processed).Should().Be(10);
        fixture.Jobs.ExecutionsOf(run.Id).Should().Be(1);
        // Hangfire records its own state after the job method returned, i.e. a moment after the run's completion.
        var jobId = long.Parse(done.HangfireJobId!, System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? state;
        while ((state = await fixture.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", jobId)) == "Processing" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        state.Should().Be("Succeeded");
    }

    [Fact]
    public async Task An_orphaned_queued_run_is_recovered_by_the_reconciler_and_runs_once()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "orphan" });
        await WaitForCompletionAsync(run.Id);
        // Simulate a crash after the insert and before the enqueue: a fresh queued row without a job.
        var orphanId = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO operations.operation_runs (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source,
                context, summary, failures, initiator_kind, initiator_label, initiator_reason, dispatch_claimed_at, created_at)
            VALUES ($1, $2, 'test.click', 'queued', 'pending', 'unique_per_click', 'test.click|click:orphan', '{}', '{}', '{}', '[]',
                'system', 'system', 'test', now() - interval '1 hour', now())
            RETURNING id
            """, fixture.Demo.Contoso, fixture.Demo.ContosoEu);

        await fixture.App.Services.GetRequiredService<TenantAtlas.Operations.Runs.OperationDispatcher>().ReconcileAsync();
        var done = await WaitForCompletionAsync(orphanId);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        fixture.Jobs.ExecutionsOf(orphanId).Should().Be(1);
    }

    [Fact]
    public async Task A_queued_run_whose_job_was_deleted_from_the_dashboard_is_enqueued_again_by_the_upkeep_and_runs()
    {
        // A queued run whose job an operator deleted before a worker took it (the job was scheduled for later so no worker
        // races the deletion; Delete is what the dashboard does).
        var jobs = fixture.App.Services.GetRequiredService<Hangfire.IBackgroundJobClient>();
        var runId = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO operations.operation_runs (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source,
                context, summary, failures, initiator_kind, initiator_label, initiator_reason, dispatch_claimed_at, created_at)
            VALUES ($1, $2, 'test.click', 'queued', 'pending', 'unique_per_click', 'test.click|click:deleted-job', '{}', '{}', '{}', '[]',
                'system', 'system', 'test', now() - interval '1 hour', now() - interval '1 hour')
            RETURNING id
            """, fixture.Demo.Contoso, fixture.Demo.ContosoEu);
        var deletedJob = Hangfire.BackgroundJobClientExtensions.Schedule<TenantAtlas.Operations.Jobs.OperationJobRunner>(
            jobs, r => r.RunAsync(runId, CancellationToken.None), TimeSpan.FromHours(1));
        await fixture.Database.ExecuteAsync("UPDATE operations.operation_runs SET hangfire_job_id = $2 WHERE id = $1", runId, deletedJob);
        Hangfire.BackgroundJobClientExtensions.Delete(jobs, deletedJob).Should().BeTrue();

        await fixture.App.Services.GetRequiredService<TenantAtlas.Operations.Jobs.OperationsMaintenance>().RunAsync(CancellationToken.None);
        var done = await WaitForCompletionAsync(runId);

        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        done.HangfireJobId.Should().NotBe(deletedJob);
        fixture.Jobs.ExecutionsOf(runId).Should().Be(1);
    }

    [Fact]
    public async Task Hangfire_does_not_retry_a_failed_operation_job()
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'");

        // A job for a run id that does not exist fails loudly once, and is not retried.
        var jobs = fixture.App.Services.GetRequiredService<Hangfire.IBackgroundJobClient>();
        var jobId = Hangfire.BackgroundJobClientExtensions.Enqueue<TenantAtlas.Operations.Jobs.OperationJobRunner>(jobs, r => r.RunAsync(99_999_999, CancellationToken.None));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? state = null;
        while (DateTime.UtcNow < deadline && state != "Failed")
        {
            state = await fixture.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture));
            await Task.Delay(100);
        }

        state.Should().Be("Failed");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'")).Should().Be(before + 1);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE id = 99999999")).Should().Be(0);
    }
}
