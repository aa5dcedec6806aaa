using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;

namespace TenantAtlas.Operations.Tests.Runs;

/// <summary>Spec 001-operation-runs, "Run identity" for the scheduler's set-based path: one run ever per slot.</summary>
public sealed class ScheduledRunsTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private IReadOnlyList<ScheduledSlot> Slots(Guid schedule, int count, DateTimeOffset first, bool missed = false) =>
        [.. Enumerable.Range(0, count).Select(i => new ScheduledSlot(fixture.Demo.Contoso, fixture.Demo.ContosoEu, schedule, first.AddMinutes(5 * i), missed))];

    private Task<long> RunsOfAsync(Guid schedule) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE schedule_id = $1", schedule);

    [Fact]
    public async Task Three_schedulers_ticking_the_same_slots_create_one_run_per_slot_and_repeats_add_nothing()
    {
        var schedules = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var slot = new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero);
        var due = schedules.SelectMany(s => Slots(s, 2, slot)).ToList();

        var ticks = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fixture.Runs.StartScheduledAsync(due)));

        ticks.Sum(t => t.Created.Count).Should().Be(40, "20 schedules × 2 slots, each won by exactly one scheduler");
        ticks.SelectMany(t => t.Created).Should().OnlyHaveUniqueItems();
        foreach (var schedule in schedules)
        {
            (await RunsOfAsync(schedule)).Should().Be(2);
        }

        // The first runs complete; ticking again (or a scheduler that looks late) still adds nothing.
        foreach (var id in ticks.SelectMany(t => t.Created).Take(5))
        {
            await fixture.RunJobAsync(id);
        }

        var again = await fixture.Runs.StartScheduledAsync(due);
        again.Created.Should().BeEmpty();
        again.Missed.Should().BeEmpty();
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE schedule_id = ANY($1)", schedules.ToArray())).Should().Be(40);
    }

    [Fact]
    public async Task A_tick_audits_every_run_it_created_and_records_every_job_id()
    {
        var schedules = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid()).ToArray();
        var now = DateTimeOffset.UtcNow;
        var due = schedules.Take(25).SelectMany(s => Slots(s, 1, now))
            .Concat(schedules.Skip(25).SelectMany(s => Slots(s, 1, now.AddHours(-2), missed: true))).ToList();

        var tick = await fixture.Runs.StartScheduledAsync(due);

        tick.Created.Should().HaveCount(25);
        tick.Missed.Should().HaveCount(5);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE operation_run_id = ANY($1) AND action = 'operation.started' AND actor_label = 'system: schedule' AND actor_user_id IS NULL",
            tick.Created.ToArray())).Should().Be(25);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE operation_run_id = ANY($1) AND action = 'operation.missed' AND workspace_id = $2 AND summary LIKE 'Scheduled backup slot % was missed%'",
            tick.Missed.ToArray(), fixture.Demo.Contoso)).Should().Be(5);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM operations.operation_runs WHERE id = ANY($1) AND hangfire_job_id IS NOT NULL", tick.Created.ToArray())).Should().Be(25);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT hangfire_job_id) FROM operations.operation_runs WHERE id = ANY($1)", tick.Created.ToArray())).Should().Be(25);
    }

    [Fact]
    public async Task Scheduled_runs_are_queued_enqueued_and_started_by_the_system()
    {
        var schedule = Guid.NewGuid();

        var result = await fixture.Runs.StartScheduledAsync(Slots(schedule, 1, DateTimeOffset.UtcNow));

        var run = (await fixture.Runs.FindAsync(result.Created.Single()))!;
        run.Status.Should().Be(OperationRunStatus.Queued);
        run.Type.Should().Be(OperationTypes.BackupScheduled);
        run.Initiator.IsSystem.Should().BeTrue();
        run.Initiator.SystemReason.Should().Be("schedule");
        run.HangfireJobId.Should().NotBeNullOrEmpty();
        run.IdentityRule.Should().Be(IdentityRule.StrictSchedule);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE operation_run_id = $1 AND action = 'operation.started'", run.Id)).Should().Be(1);
    }

    [Fact]
    public async Task A_missed_slot_is_recorded_once_as_failed_and_never_executed()
    {
        var schedule = Guid.NewGuid();
        var slot = DateTimeOffset.UtcNow.AddHours(-2);

        var first = await fixture.Runs.StartScheduledAsync(Slots(schedule, 1, slot, missed: true));
        var again = await fixture.Runs.StartScheduledAsync(Slots(schedule, 1, slot, missed: false));

        var run = (await fixture.Runs.FindAsync(first.Missed.Single()))!;
        run.Status.Should().Be(OperationRunStatus.Completed);
        run.Outcome.Should().Be(OperationRunOutcome.Failed);
        run.CompletionReason.Should().Be("missed");
        run.Failures.Single().Code.Should().Be("missed");
        run.StartedAt.Should().BeNull();
        run.HangfireJobId.Should().BeNull("a missed slot is never executed");
        again.Created.Should().BeEmpty("the slot stays taken");
        (await RunsOfAsync(schedule)).Should().Be(1);
    }

    [Fact]
    public async Task The_same_instant_in_another_offset_is_the_same_slot()
    {
        var schedule = Guid.NewGuid();
        var utc = new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);

        await fixture.Runs.StartScheduledAsync(Slots(schedule, 1, utc));
        var berlin = await fixture.Runs.StartScheduledAsync([new ScheduledSlot(fixture.Demo.Contoso, fixture.Demo.ContosoEu, schedule, utc.ToOffset(TimeSpan.FromHours(2)), false)]);

        berlin.Created.Should().BeEmpty();
        (await RunsOfAsync(schedule)).Should().Be(1);
    }
}
