using Microsoft.Extensions.Time.Testing;

namespace TenantAtlas.Backup.Tests.Scheduler;

/// <summary>
/// Issue 7, item 2: the scheduler fires exactly once per intended time — racing processes, repeated ticks, DST in
/// Europe/Berlin, disabled schedules, missed slots. Each scheduler has its own fake clock; ticks are limited to the
/// test's schedule so tests sharing the database do not tick each other's schedules.
/// </summary>
public sealed class SchedulerTests(BackupFixture fixture) : IClassFixture<BackupFixture>
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>Ticks every <paramref name="step"/> from the clock's time until <paramref name="until"/>, as a live scheduler would.</summary>
    private async Task TickThroughAsync(FakeTimeProvider clock, Guid schedule, DateTimeOffset until, TimeSpan step)
    {
        var scheduler = fixture.SchedulerAt(clock);
        while (clock.GetUtcNow() < until)
        {
            clock.Advance(step);
            await scheduler.TickAsync([schedule], CancellationToken.None);
        }
    }

    [Fact]
    public async Task Three_schedulers_ticking_concurrently_on_the_same_due_slot_create_one_run_and_ticking_again_after_it_completed_adds_none()
    {
        var created = Utc(2026, 6, 1, 23, 50);
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "0 2 * * *"), fixture.SchedulesAt(new FakeTimeProvider(created)));
        var dueAt = Utc(2026, 6, 2, 0, 0).AddSeconds(5); // 02:00 Europe/Berlin (CEST) = 00:00 UTC
        var clocks = Enumerable.Range(0, 3).Select(_ => new FakeTimeProvider(dueAt)).ToList();

        var ticks = await Task.WhenAll(clocks.Select(c => Task.Run(() => fixture.SchedulerAt(c).TickAsync([schedule], CancellationToken.None))));

        ticks.Sum(t => t.Created.Count).Should().Be(1);
        ticks.Sum(t => t.DueSlots).Should().BeGreaterThanOrEqualTo(1);
        (await fixture.SlotsOfAsync(schedule)).Should().Equal(Utc(2026, 6, 2, 0, 0));
        var runId = ticks.SelectMany(t => t.Created).Single();
        var run = (await fixture.Runs.FindAsync(runId))!;
        run.Type.Should().Be(OperationTypes.BackupScheduled);
        run.Status.Should().Be(OperationRunStatus.Queued);
        run.Inputs["scheduleId"]!.GetValue<string>().Should().Be(schedule.ToString());

        // The run completes (cancelled here: no worker in this fixture); every scheduler ticks again, even with a clock
        // set back before the slot — still one run.
        (await fixture.Runs.CancelAsync(Actor.User(fixture.Demo.Owner), runId)).Done.Should().BeTrue();
        (await fixture.Runs.FindAsync(runId))!.Status.Should().Be(OperationRunStatus.Completed);
        foreach (var clock in clocks)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            (await fixture.SchedulerAt(clock).TickAsync([schedule], CancellationToken.None)).Created.Should().BeEmpty();
        }

        await fixture.Database.ExecuteAsync("UPDATE backup.backup_schedules SET watermark = $1 WHERE id = $2", created, schedule);
        (await fixture.SchedulerAt(new FakeTimeProvider(dueAt)).TickAsync([schedule], CancellationToken.None)).Created.Should().BeEmpty();
        (await fixture.RunsOfScheduleAsync(schedule)).Should().Be(1);
    }

    [Fact]
    public async Task Spring_forward_in_Berlin_fires_a_skipped_fixed_time_once_at_the_next_valid_time()
    {
        var clock = new FakeTimeProvider(Utc(2026, 3, 27, 12, 0));
        // 02:30 does not exist on 2026-03-29 (02:00 CET → 03:00 CEST): Cronos fires once, at 03:00 CEST.
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "30 2 * * *"), fixture.SchedulesAt(clock));

        await TickThroughAsync(clock, schedule, Utc(2026, 3, 30, 12, 0), TimeSpan.FromMinutes(10));

        (await fixture.SlotsOfAsync(schedule)).Should().Equal(
            Utc(2026, 3, 28, 1, 30),  // 02:30 CET
            Utc(2026, 3, 29, 1, 0),   // 03:00 CEST, the next valid time
            Utc(2026, 3, 30, 0, 30)); // 02:30 CEST
    }

    [Fact]
    public async Task Fall_back_in_Berlin_fires_a_repeated_fixed_time_once()
    {
        var clock = new FakeTimeProvider(Utc(2026, 10, 23, 12, 0));
        // 02:30 happens twice on 2026-10-25 (03:00 CEST → 02:00 CET): it fires once, at the first.
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "30 2 * * *"), fixture.SchedulesAt(clock));

        await TickThroughAsync(clock, schedule, Utc(2026, 10, 26, 12, 0), TimeSpan.FromMinutes(10));

        (await fixture.SlotsOfAsync(schedule)).Should().Equal(
            Utc(2026, 10, 24, 0, 30), // 02:30 CEST
            Utc(2026, 10, 25, 0, 30), // 02:30 CEST, once
            Utc(2026, 10, 26, 1, 30)); // 02:30 CET
    }

    [Fact]
    public async Task Interval_expressions_follow_elapsed_time_through_both_clock_changes()
    {
        var fall = new FakeTimeProvider(Utc(2026, 10, 24, 23, 50));
        var fallSchedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "*/30 * * * *"), fixture.SchedulesAt(fall));
        var spring = new FakeTimeProvider(Utc(2026, 3, 28, 23, 50));
        var springSchedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "0 * * * *"), fixture.SchedulesAt(spring));

        await TickThroughAsync(fall, fallSchedule, Utc(2026, 10, 25, 2, 10), TimeSpan.FromMinutes(5));
        await TickThroughAsync(spring, springSchedule, Utc(2026, 3, 29, 2, 10), TimeSpan.FromMinutes(5));

        // 02:00 and 02:30 local happen twice on fall-back: both, 30 minutes of elapsed time apart.
        (await fixture.SlotsOfAsync(fallSchedule)).Should().Equal(
            Utc(2026, 10, 25, 0, 0), Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 25, 1, 0), Utc(2026, 10, 25, 1, 30), Utc(2026, 10, 25, 2, 0));
        // The skipped hour (02:00 CET) simply does not exist: one run per elapsed hour.
        (await fixture.SlotsOfAsync(springSchedule)).Should().Equal(
            Utc(2026, 3, 29, 0, 0), Utc(2026, 3, 29, 1, 0), Utc(2026, 3, 29, 2, 0));
    }

    [Fact]
    public async Task A_disabled_schedule_gets_no_runs_and_re_enabling_does_not_back_fill()
    {
        var clock = new FakeTimeProvider(Utc(2026, 5, 1, 0, 0));
        var schedules = fixture.SchedulesAt(clock);
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "*/5 * * * *"), schedules);
        (await schedules.SetEnabledAsync(fixture.Demo.Owner, schedule, false)).Saved.Should().BeTrue();

        await TickThroughAsync(clock, schedule, Utc(2026, 5, 1, 1, 0), TimeSpan.FromMinutes(1));
        (await fixture.RunsOfScheduleAsync(schedule)).Should().Be(0);

        (await schedules.SetEnabledAsync(fixture.Demo.Owner, schedule, true)).Saved.Should().BeTrue();
        await TickThroughAsync(clock, schedule, Utc(2026, 5, 1, 1, 10), TimeSpan.FromMinutes(1));
        (await fixture.SlotsOfAsync(schedule)).Should().Equal(Utc(2026, 5, 1, 1, 5), Utc(2026, 5, 1, 1, 10));
    }

    [Fact]
    public async Task A_slot_first_seen_after_the_grace_window_is_recorded_missed_once_and_never_executed()
    {
        var clock = new FakeTimeProvider(Utc(2026, 7, 1, 10, 5));
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "0 * * * *"), fixture.SchedulesAt(clock));
        // The scheduler was down from 10:05 to 12:10: 11:00 is 70 min late (missed), 12:00 is 10 min late (runs).
        clock.Advance(TimeSpan.FromMinutes(125));

        var scheduler = fixture.SchedulerAt(clock);
        var tick = await scheduler.TickAsync([schedule], CancellationToken.None);
        var again = await scheduler.TickAsync([schedule], CancellationToken.None);
        await fixture.Database.ExecuteAsync("UPDATE backup.backup_schedules SET watermark = $1 WHERE id = $2", Utc(2026, 7, 1, 10, 5), schedule);
        var fromScratch = await fixture.SchedulerAt(clock).TickAsync([schedule], CancellationToken.None);

        tick.Missed.Should().HaveCount(1);
        tick.Created.Should().HaveCount(1);
        again.Created.Should().BeEmpty();
        fromScratch.Created.Should().BeEmpty();
        fromScratch.Missed.Should().BeEmpty();
        var missed = (await fixture.Runs.FindAsync(tick.Missed.Single()))!;
        missed.ScheduledFor.Should().Be(Utc(2026, 7, 1, 11, 0));
        missed.Status.Should().Be(OperationRunStatus.Completed);
        missed.Outcome.Should().Be(OperationRunOutcome.Failed);
        missed.CompletionReason.Should().Be("missed");
        missed.StartedAt.Should().BeNull();
        missed.HangfireJobId.Should().BeNull("a missed slot is never executed");
        (await fixture.Runs.FindAsync(tick.Created.Single()))!.ScheduledFor.Should().Be(Utc(2026, 7, 1, 12, 0));
        (await fixture.RunsOfScheduleAsync(schedule)).Should().Be(2);
    }

    [Fact]
    public async Task One_tick_creates_the_due_slots_of_many_schedules_together()
    {
        var clock = new FakeTimeProvider(Utc(2026, 8, 1, 9, 59));
        var schedules = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            schedules.Add(await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "0 * * * *"), fixture.SchedulesAt(clock)));
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        var tick = await fixture.SchedulerAt(clock).TickAsync(schedules, CancellationToken.None);

        tick.Schedules.Should().Be(5);
        tick.Created.Should().HaveCount(5);
        foreach (var s in schedules)
        {
            (await fixture.SlotsOfAsync(s)).Should().Equal(Utc(2026, 8, 1, 10, 0));
        }
    }
}
