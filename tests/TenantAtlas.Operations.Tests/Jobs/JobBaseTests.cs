using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;

namespace TenantAtlas.Operations.Tests.Jobs;

/// <summary>Spec 001-operation-runs, "Job base": jobs receive only a run id, never create runs, and never overwrite a final state.</summary>
public sealed class JobBaseTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private Task<long> RunCountAsync() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs");

    [Fact]
    public async Task A_job_given_an_unknown_id_fails_loudly_and_creates_no_row()
    {
        var before = await RunCountAsync();

        var act = () => fixture.RunJobAsync(987_654_321);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*987654321 does not exist*");
        (await RunCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_run_goes_queued_running_completed_with_counts_and_timestamps()
    {
        var run = await fixture.StartAsync(TestOperations.Click);
        run.Status.Should().Be(OperationRunStatus.Queued);
        run.Outcome.Should().Be(OperationRunOutcome.Pending);
        run.HangfireJobId.Should().NotBeNullOrEmpty("the start surface enqueued it");

        await fixture.RunJobAsync(run.Id);

        var done = (await fixture.Runs.FindAsync(run.Id))!;
        done.Status.Should().Be(OperationRunStatus.Completed);
        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        done.Count(OperationSummaryKeys.Processed).Should().Be(10);
        done.StartedAt.Should().NotBeNull().And.BeOnOrAfter(done.CreatedAt);
        done.CompletedAt.Should().NotBeNull().And.BeOnOrAfter(done.StartedAt!.Value);
    }

    [Fact]
    public async Task Duplicate_delivery_has_one_effect()
    {
        var run = await fixture.StartAsync(TestOperations.Click);

        await Task.WhenAll(fixture.RunJobAsync(run.Id), fixture.RunJobAsync(run.Id), fixture.RunJobAsync(run.Id));
        await fixture.RunJobAsync(run.Id);

        fixture.Jobs.ExecutionsOf(run.Id).Should().Be(1);
        (await fixture.Runs.FindAsync(run.Id))!.Outcome.Should().Be(OperationRunOutcome.Succeeded);
    }

    [Fact]
    public async Task An_exception_fails_the_run_with_a_sanitized_failure_entry()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "throws" });
        fixture.Jobs.Behaviour = r => r.Inputs["case"]?.GetValue<string>() == "throws"
            ? throw new InvalidOperationException("Graph said no. Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig123 client_secret=hunter2 " + new string('x', 3000))
            : Task.FromResult(OperationJobResult.Succeeded);
        try
        {
            await fixture.RunJobAsync(run.Id);
        }
        finally
        {
            fixture.Jobs.Behaviour = null;
        }

        var failed = (await fixture.Runs.FindAsync(run.Id))!;
        failed.Outcome.Should().Be(OperationRunOutcome.Failed);
        var failure = failed.Failures.Should().ContainSingle().Subject;
        failure.Code.Should().Be("internal_error", "a failure code is the product's vocabulary, never a .NET exception type");
        failure.Message.Should().Contain("Graph said no").And.NotContain("eyJhbGci").And.NotContain("hunter2");
        failure.Message.Length.Should().BeLessThanOrEqualTo(1000);
    }

    [Fact]
    public async Task Partial_success_and_recorded_failures_are_truthful()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "partial" });
        fixture.Jobs.Behaviour = async r =>
        {
            if (r.Inputs["case"]?.GetValue<string>() != "partial")
            {
                return OperationJobResult.Succeeded;
            }

            r.Set(OperationSummaryKeys.Processed, 10);
            r.Set(OperationSummaryKeys.Succeeded, 7);
            r.Set(OperationSummaryKeys.Failed, 3);
            for (var i = 0; i < 3; i++)
            {
                await r.AddFailureAsync("Request_ResourceNotFound", $"Policy {i} vanished", $"policy-{i}");
            }

            return OperationJobResult.PartiallySucceeded;
        };
        try
        {
            await fixture.RunJobAsync(run.Id);
        }
        finally
        {
            fixture.Jobs.Behaviour = null;
        }

        var done = (await fixture.Runs.FindAsync(run.Id))!;
        done.Outcome.Should().Be(OperationRunOutcome.PartiallySucceeded);
        done.Count(OperationSummaryKeys.Failed).Should().Be(3);
        done.Failures.Select(f => f.Item).Should().BeEquivalentTo("policy-0", "policy-1", "policy-2");
    }

    [Fact]
    public async Task Progress_flushed_side_by_side_leaves_the_latest_counts_in_the_row()
    {
        // Families of one run report progress in parallel. Each flush must write counts at least as new as every flush
        // that finished before it, or the viewer shows a run going backwards (and stays so until the next flush).
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "parallel-progress" });
        var seenInRow = new List<long>();
        fixture.Jobs.Behaviour = async r =>
        {
            if (r.Inputs["case"]?.GetValue<string>() != "parallel-progress")
            {
                return OperationJobResult.Succeeded;
            }

            for (var round = 0; round < 10; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
                {
                    r.Increment(OperationSummaryKeys.Processed);
                    await r.ReportProgressAsync();
                })));
                seenInRow.Add((await fixture.Runs.FindAsync(r.RunId))!.Count(OperationSummaryKeys.Processed));
            }

            return OperationJobResult.Succeeded;
        };
        try
        {
            await fixture.RunJobAsync(run.Id);
        }
        finally
        {
            fixture.Jobs.Behaviour = null;
        }

        seenInRow.Should().Equal(Enumerable.Range(1, 10).Select(round => round * 16L),
            "after every round of flushes the row holds the count of the last one, never an older snapshot");
    }

    [Fact]
    public async Task Unknown_summary_keys_are_a_programming_error()
    {
        var run = await fixture.StartAsync(TestOperations.Click, inputs: new() { ["case"] = "bad-key" });
        fixture.Jobs.Behaviour = r =>
        {
            if (r.Inputs["case"]?.GetValue<string>() == "bad-key")
            {
                r.Set("pruned", 1); // declared by backup types only
            }

            return Task.FromResult(OperationJobResult.Succeeded);
        };
        try
        {
            await fixture.RunJobAsync(run.Id);
        }
        finally
        {
            fixture.Jobs.Behaviour = null;
        }

        var done = (await fixture.Runs.FindAsync(run.Id))!;
        done.Outcome.Should().Be(OperationRunOutcome.Failed);
        done.Failures.Single().Message.Should().Contain("'pruned' is not a summary count");
    }

    [Fact]
    public async Task A_completed_run_is_a_no_op_for_a_late_delivery()
    {
        var run = await fixture.StartAsync(TestOperations.Click);
        await fixture.Runs.CancelAsync(Actor.User(fixture.Demo.Owner), run.Id);

        await fixture.RunJobAsync(run.Id);

        fixture.Jobs.ExecutionsOf(run.Id).Should().Be(0);
        (await fixture.Runs.FindAsync(run.Id))!.Outcome.Should().Be(OperationRunOutcome.Cancelled);
    }
}
