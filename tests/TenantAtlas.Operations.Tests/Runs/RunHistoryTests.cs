using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;

namespace TenantAtlas.Operations.Tests.Runs;

/// <summary>Backfilled history (the demo, imports) goes through the run store: finished only, identities kept, repeatable.</summary>
public sealed class RunHistoryTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private IOperationHistory History => fixture.App.Services.GetRequiredService<IOperationHistory>();

    [Fact]
    public async Task Recorded_runs_are_finished_visible_and_a_schedule_slot_is_recorded_once()
    {
        var at = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);
        var schedule = Guid.NewGuid();
        FinishedRun[] runs =
        [
            new(fixture.Demo.Contoso, fixture.Demo.ContosoUs, OperationTypes.BackupScheduled, OperationRunOutcome.Succeeded, at, at.AddMinutes(3), "history test")
            {
                StartedAt = at.AddSeconds(2), ScheduleId = schedule, ScheduledFor = at, Summary = new Dictionary<string, long> { ["total"] = 4 },
            },
            new(fixture.Demo.Contoso, fixture.Demo.ContosoUs, OperationTypes.InventorySync, OperationRunOutcome.Failed, at, at.AddMinutes(1), "history test")
            {
                InitiatorUserId = fixture.Demo.Owner, InitiatorLabel = "owner@demo.test",
                Failures = [new OperationFailure("InvalidAuthenticationToken", "Expired.", null, at.AddMinutes(1))], CompletionReason = "exception",
            },
        ];

        (await History.RecordAsync(runs)).Should().Be(2);
        (await History.RecordAsync(runs[..1])).Should().Be(0, "the slot already has its run");
        (await History.HasRecordedAsync(fixture.Demo.ContosoUs, "history test")).Should().BeTrue();
        (await History.HasRecordedAsync(fixture.Demo.ContosoEu, "history test")).Should().BeFalse();

        var sync = (await fixture.Runs.FindLatestAsync(OperationTypes.InventorySync, fixture.Demo.ContosoUs, completedOnly: true))!;
        sync.Status.Should().Be(OperationRunStatus.Completed);
        sync.Outcome.Should().Be(OperationRunOutcome.Failed);
        sync.Initiator.UserId.Should().Be(fixture.Demo.Owner);
        sync.Failures.Should().ContainSingle(f => f.Code == "InvalidAuthenticationToken");
        var backup = (await fixture.Runs.FindLatestSuccessfulAsync(OperationTypes.BackupScheduled, fixture.Demo.ContosoUs))!;
        backup.ScheduledFor.Should().Be(at);
        backup.Summary["total"].Should().Be(4);
        backup.IdentityRule.Should().Be(IdentityRule.StrictSchedule);
    }

    [Fact]
    public async Task A_run_without_an_outcome_or_of_an_unknown_type_is_refused_and_nothing_is_written()
    {
        var at = DateTimeOffset.UtcNow;
        var pending = new FinishedRun(fixture.Demo.Contoso, fixture.Demo.ContosoEu, OperationTypes.InventorySync, OperationRunOutcome.Pending, at, at, "refused test");
        var unknown = new FinishedRun(fixture.Demo.Contoso, fixture.Demo.ContosoEu, "no.such.type", OperationRunOutcome.Succeeded, at, at, "refused test");

        await FluentActions.Awaiting(() => History.RecordAsync([pending])).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => History.RecordAsync([unknown])).Should().ThrowAsync<ArgumentException>();
        (await History.HasRecordedAsync(fixture.Demo.ContosoEu, "refused test")).Should().BeFalse();
    }
}
