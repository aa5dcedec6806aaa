using Microsoft.Extensions.Time.Testing;

namespace TenantAtlas.Backup.Tests.ScheduleAdmin;

/// <summary>Issue 7, item 3: Run now (unique per click) and Retry (linked to its original), gated by tenant.backups.run.</summary>
public sealed class RunNowAndRetryTests(BackupFixture fixture) : IClassFixture<BackupFixture>
{
    [Fact]
    public async Task Run_now_twice_gives_two_runs_started_by_the_user()
    {
        var schedule = await fixture.CreateScheduleAsync();

        var first = await fixture.BackupRuns.RunNowAsync(fixture.Demo.Owner, schedule);
        var second = await fixture.BackupRuns.RunNowAsync(fixture.Demo.Owner, schedule);

        first.Started.Should().BeTrue(first.Message);
        second.Started.Should().BeTrue(second.Message);
        second.Run!.Id.Should().NotBe(first.Run!.Id);
        foreach (var run in new[] { first.Run, second.Run })
        {
            run.Type.Should().Be(OperationTypes.BackupRunNow);
            run.TenantId.Should().Be(fixture.Demo.ContosoEu);
            run.Initiator.UserId.Should().Be(fixture.Demo.Owner);
            run.Inputs["scheduleId"]!.GetValue<string>().Should().Be(schedule.ToString());
        }
    }

    [Fact]
    public async Task Retry_of_a_failed_scheduled_run_is_a_new_run_linked_to_its_original()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "30 * * * *"), fixture.SchedulesAt(clock));
        clock.Advance(TimeSpan.FromHours(1)); // 08:30 is 30 minutes late: missed, i.e. failed
        var failed = (await fixture.SchedulerAt(clock).TickAsync([schedule], CancellationToken.None)).Missed.Single();

        var first = await fixture.BackupRuns.RetryAsync(fixture.Demo.Operator, failed);
        var second = await fixture.BackupRuns.RetryAsync(fixture.Demo.Operator, failed);

        first.Started.Should().BeTrue(first.Message);
        second.Started.Should().BeTrue(second.Message);
        second.Run!.Id.Should().NotBe(first.Run!.Id, "retry is unique per click");
        first.Run.Type.Should().Be(OperationTypes.BackupRetry);
        first.Run.RetryOfRunId.Should().Be(failed);
        first.Run.Inputs["scheduleId"]!.GetValue<string>().Should().Be(schedule.ToString());
        first.Run.ScheduleId.Should().BeNull("only the scheduled run holds the slot");
    }

    [Fact]
    public async Task Readonly_cannot_retry_and_nothing_is_created()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 2, 8, 0, 0, TimeSpan.Zero));
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "30 * * * *"), fixture.SchedulesAt(clock));
        clock.Advance(TimeSpan.FromHours(1));
        var failed = (await fixture.SchedulerAt(clock).TickAsync([schedule], CancellationToken.None)).Missed.Single();

        (await fixture.BackupRuns.RetryAsync(fixture.Demo.Readonly, failed)).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.BackupRuns.RetryAsync(fixture.Demo.Outsider, failed)).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE retry_of_run_id = $1", failed)).Should().Be(0);
    }

    [Fact]
    public async Task A_succeeded_or_unfinished_run_is_not_retried()
    {
        var schedule = await fixture.CreateScheduleAsync();
        var queued = (await fixture.BackupRuns.RunNowAsync(fixture.Demo.Owner, schedule)).Run!;

        var retry = await fixture.BackupRuns.RetryAsync(fixture.Demo.Owner, queued.Id);

        retry.Started.Should().BeFalse();
        retry.Refusal.Should().Be(StartRefusal.InvalidInput);
    }
}
