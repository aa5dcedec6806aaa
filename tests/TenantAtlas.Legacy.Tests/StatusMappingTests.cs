using TenantAtlas.Legacy.Backfill;
using TenantAtlas.Legacy.Data;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Status mapping": every value the old status column holds has a written rule.</summary>
public sealed class StatusMappingTests
{
    [Theory]
    [InlineData("completed", OperationRunOutcome.Succeeded, null)]
    [InlineData("success", OperationRunOutcome.Succeeded, null)]
    [InlineData("succeeded", OperationRunOutcome.Succeeded, null)]
    [InlineData(" Completed ", OperationRunOutcome.Succeeded, null)]
    [InlineData("SUCCESS", OperationRunOutcome.Succeeded, null)]
    [InlineData("partial", OperationRunOutcome.PartiallySucceeded, null)]
    [InlineData("partially_succeeded", OperationRunOutcome.PartiallySucceeded, null)]
    [InlineData("failed", OperationRunOutcome.Failed, null)]
    [InlineData("error", OperationRunOutcome.Failed, null)]
    [InlineData("cancelled", OperationRunOutcome.Cancelled, "cancelled")]
    [InlineData("canceled", OperationRunOutcome.Cancelled, "cancelled")]
    [InlineData("running", OperationRunOutcome.Failed, "legacy_unfinished")]
    [InlineData("pending", OperationRunOutcome.Failed, "legacy_unfinished")]
    [InlineData("queued", OperationRunOutcome.Failed, "legacy_unfinished")]
    [InlineData(null, OperationRunOutcome.Failed, "legacy_status_missing")]
    [InlineData("", OperationRunOutcome.Failed, "legacy_status_missing")]
    [InlineData("   ", OperationRunOutcome.Failed, "legacy_status_missing")]
    [InlineData("exploded", OperationRunOutcome.Failed, "legacy_status_unknown")]
    public void Every_old_status_has_a_rule(string? status, OperationRunOutcome outcome, string? reason)
    {
        var rule = LegacyRunMapping.RuleFor(status);

        rule.Outcome.Should().Be(outcome);
        rule.CompletionReason.Should().Be(reason);
        if (reason is "legacy_unfinished" or "legacy_status_missing" or "legacy_status_unknown")
        {
            rule.FailureMessage.Should().NotBeNullOrWhiteSpace("a run failed by a rule says why");
        }
    }

    [Fact]
    public void A_backfilled_run_is_finished_with_utc_times_counts_and_its_legacy_reference()
    {
        var row = new LegacyRunRow(LegacyTables.InventorySyncRuns, 42, 1, Guid.NewGuid(), Guid.NewGuid(), "running",
            new DateTime(2025, 2, 1, 10, 0, 0), null, new DateTime(2025, 2, 1, 9, 59, 0), new DateTime(2025, 2, 1, 10, 5, 0),
            null, 5, "someone@old.example", new Dictionary<string, long> { ["items_synced"] = 40, ["items_failed"] = 2 });

        var run = LegacyRunMapping.ToRun(row, initiatorUserId: null);

        run.Outcome.Should().Be(OperationRunOutcome.Failed);
        run.CompletionReason.Should().Be("legacy_unfinished");
        run.CreatedAt.Should().Be(new DateTimeOffset(2025, 2, 1, 9, 59, 0, TimeSpan.Zero));
        run.StartedAt.Should().Be(new DateTimeOffset(2025, 2, 1, 10, 0, 0, TimeSpan.Zero));
        run.CompletedAt.Should().Be(new DateTimeOffset(2025, 2, 1, 10, 5, 0, TimeSpan.Zero), "without finished_at the row's last update ends it");
        run.Summary.Should().BeEquivalentTo(new Dictionary<string, long> { ["succeeded"] = 40, ["failed"] = 2, ["processed"] = 42, ["total"] = 42 });
        run.InitiatorUserId.Should().BeNull();
        run.Reason.Should().Be("legacy import");
        run.Legacy.Should().Be(new LegacyReference("inventory_sync_runs", 42));
        run.Inputs!["legacy"]!["table"]!.GetValue<string>().Should().Be("inventory_sync_runs");
        run.Type.Should().Be(OperationTypes.InventorySync);
    }

    [Theory]
    [InlineData("Array\n(\n    [client_secret] => s3cr3t-value\n    [scope] => x\n)", "s3cr3t-value")]
    [InlineData("['client_id' => 'abc', 'client_secret' => 'hunter2']", "hunter2")]
    [InlineData("array ( \"password\" => \"pa55\" )", "pa55")]
    [InlineData("POST token client_secret=abc123&grant_type=x", "abc123")]
    [InlineData("{\"access_token\":\"eyJraWQiOiJ.abc\"}", "eyJraWQiOiJ.abc")]
    [InlineData("Authorization: Bearer abc.def.ghi", "abc.def.ghi")]
    public void Old_error_messages_lose_their_secrets_including_laravel_dumps(string message, string secret)
    {
        var redacted = LegacyRedactor.Redact(message);

        redacted.Should().NotContain(secret);
        redacted.Should().Contain("redacted");
    }

    [Fact]
    public void A_legacy_schedule_has_one_stable_schedule_id()
    {
        LegacyRunMapping.ScheduleIdOf(7).Should().Be(LegacyRunMapping.ScheduleIdOf(7));
        LegacyRunMapping.ScheduleIdOf(7).Should().NotBe(LegacyRunMapping.ScheduleIdOf(8));
    }
}
