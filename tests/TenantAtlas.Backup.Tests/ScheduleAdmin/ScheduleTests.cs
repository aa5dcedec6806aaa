using TenantAtlas.Backup.Contracts;

namespace TenantAtlas.Backup.Tests.ScheduleAdmin;

/// <summary>Issue 7, item 1: schedules — validation, capabilities, audit, fire-time preview.</summary>
public sealed class ScheduleTests(BackupFixture fixture) : IClassFixture<BackupFixture>
{
    [Fact]
    public async Task Owner_creates_a_schedule_that_is_stored_and_audited()
    {
        var input = BackupFixture.Nightly() with { KeepDays = 90 };

        var result = await fixture.Schedules.CreateAsync(fixture.Demo.Owner, fixture.Demo.ContosoEu, input);

        result.Saved.Should().BeTrue();
        var (decision, schedule) = await fixture.Schedules.GetAsync(fixture.Demo.Owner, result.ScheduleId!.Value);
        decision.Should().Be(AccessDecision.Allowed);
        schedule!.CronExpression.Should().Be("0 2 * * *");
        schedule.TimeZoneId.Should().Be("Europe/Berlin");
        schedule.Families.Should().Equal(input.Families);
        schedule.KeepLast.Should().Be(30);
        schedule.KeepDays.Should().Be(90);
        schedule.Enabled.Should().BeTrue();
        schedule.WorkspaceId.Should().Be(fixture.Demo.Contoso);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE action = $1 AND tenant_id = $2 AND summary LIKE '%' || $3 || '%'",
            BackupAuditActions.ScheduleCreated, fixture.Demo.ContosoEu, input.Name)).Should().Be(1);
    }

    public static TheoryData<string, string, string, string[], int?, int?, string> InvalidInputs => new()
    {
        { "bad cron", "not a cron", "Europe/Berlin", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.CronExpression) },
        { "six fields", "0 0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.CronExpression) },
        { "out of range", "61 2 * * *", "Europe/Berlin", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.CronExpression) },
        { "never fires", "0 2 30 2 *", "Europe/Berlin", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.CronExpression) },
        { "unknown zone", "0 2 * * *", "Mars/Olympus_Mons", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.TimeZoneId) },
        { "empty zone", "0 2 * * *", "", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.TimeZoneId) },
        { "no families", "0 2 * * *", "Europe/Berlin", [], 5, null, nameof(ScheduleInput.Families) },
        { "not a policy family", "0 2 * * *", "Europe/Berlin", ["groups"], 5, null, nameof(ScheduleInput.Families) },
        { "no retention", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], null, null, nameof(ScheduleInput.KeepLast) },
        { "keep zero", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], 0, null, nameof(ScheduleInput.KeepLast) },
        { "keep absurdly many", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], 1_000_000, null, nameof(ScheduleInput.KeepLast) },
        { "negative days", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], null, -1, nameof(ScheduleInput.KeepDays) },
        { "absurd days", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], 5, 100_000, nameof(ScheduleInput.KeepDays) },
        // What a fuzzer sends (fault suite, issue 15): control characters, oversized text, paths where a zone belongs.
        { "nul in cron", "0 2 * * *\0", "Europe/Berlin", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.CronExpression) },
        { "huge cron", new string('*', 10_000), "Europe/Berlin", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.CronExpression) },
        { "zone as a path", "0 2 * * *", "../../../etc/localtime", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.TimeZoneId) },
        { "nul in zone", "0 2 * * *", "Europe/Berlin\0", ["deviceConfigurations"], 5, null, nameof(ScheduleInput.TimeZoneId) },
        { "huge zone", "0 2 * * *", new string('x', 10_000), ["deviceConfigurations"], 5, null, nameof(ScheduleInput.TimeZoneId) },
        { "nul in family", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations\0"], 5, null, nameof(ScheduleInput.Families) },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Invalid_input_gives_a_clear_message_and_saves_nothing(string name, string cron, string zone, string[] families, int? keepLast, int? keepDays, string field)
    {
        var input = new ScheduleInput("Invalid " + name, cron, zone, families, keepLast, keepDays);

        var result = await fixture.Schedules.CreateAsync(fixture.Demo.Owner, fixture.Demo.ContosoEu, input);

        result.Saved.Should().BeFalse();
        result.Decision.Should().Be(AccessDecision.Allowed);
        result.Errors.Should().ContainKey(field);
        result.Errors[field].Should().NotBeNullOrWhiteSpace();
        (await fixture.SchedulesNamedAsync(input.Name)).Should().Be(0);
    }

    [Fact]
    public async Task A_name_with_a_nul_character_is_refused_with_a_message_not_a_failed_save()
    {
        var input = new ScheduleInput("Nightly\0", "0 2 * * *", "Europe/Berlin", ["deviceConfigurations"], 5, null);

        var result = await fixture.Schedules.CreateAsync(fixture.Demo.Owner, fixture.Demo.ContosoEu, input);

        result.Saved.Should().BeFalse();
        result.Errors.Should().ContainKey(nameof(ScheduleInput.Name));
    }

    [Fact]
    public async Task An_invalid_edit_changes_nothing()
    {
        var id = await fixture.CreateScheduleAsync();

        var result = await fixture.Schedules.UpdateAsync(fixture.Demo.Owner, id, BackupFixture.Nightly() with { CronExpression = "99 * * * *", Name = "Renamed" });

        result.Saved.Should().BeFalse();
        (await fixture.Schedules.GetAsync(fixture.Demo.Owner, id)).Schedule!.CronExpression.Should().Be("0 2 * * *");
        (await fixture.SchedulesNamedAsync("Renamed")).Should().Be(0);
    }

    [Fact]
    public async Task Two_schedules_of_a_tenant_cannot_share_a_name()
    {
        var input = BackupFixture.Nightly();
        await fixture.CreateScheduleAsync(input);

        var second = await fixture.Schedules.CreateAsync(fixture.Demo.Owner, fixture.Demo.ContosoEu, input);

        second.Saved.Should().BeFalse();
        second.Errors.Should().ContainKey(nameof(ScheduleInput.Name));
        (await fixture.SchedulesNamedAsync(input.Name)).Should().Be(1);
    }

    [Fact]
    public async Task Readonly_gets_403_on_every_action_and_no_run_is_created()
    {
        var id = await fixture.CreateScheduleAsync();
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs");
        var ro = fixture.Demo.Readonly;

        (await fixture.Schedules.CreateAsync(ro, fixture.Demo.ContosoEu, BackupFixture.Nightly())).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Schedules.UpdateAsync(ro, id, BackupFixture.Nightly("Hijacked"))).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Schedules.SetEnabledAsync(ro, id, false)).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Schedules.DeleteAsync(ro, id)).Should().Be(AccessDecision.Forbidden);
        (await fixture.BackupRuns.RunNowAsync(ro, id)).Decision.Should().Be(AccessDecision.Forbidden);

        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs")).Should().Be(before);
        var (_, schedule) = await fixture.Schedules.GetAsync(fixture.Demo.Owner, id);
        schedule!.Enabled.Should().BeTrue();
        (await fixture.SchedulesNamedAsync("Hijacked")).Should().Be(0);
    }

    [Fact]
    public async Task Operator_runs_backups_but_cannot_manage_schedules()
    {
        var id = await fixture.CreateScheduleAsync();

        (await fixture.Schedules.CreateAsync(fixture.Demo.Operator, fixture.Demo.ContosoEu, BackupFixture.Nightly())).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Schedules.DeleteAsync(fixture.Demo.Operator, id)).Should().Be(AccessDecision.Forbidden);
        (await fixture.BackupRuns.RunNowAsync(fixture.Demo.Operator, id)).Started.Should().BeTrue();
    }

    [Fact]
    public async Task Someone_from_another_workspace_cannot_tell_a_schedule_exists()
    {
        var id = await fixture.CreateScheduleAsync();
        var outsider = fixture.Demo.Outsider;

        (await fixture.Schedules.GetAsync(outsider, id)).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Schedules.GetAsync(outsider, Guid.NewGuid())).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Schedules.UpdateAsync(outsider, id, BackupFixture.Nightly())).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Schedules.DeleteAsync(outsider, id)).Should().Be(AccessDecision.NotFound);
        (await fixture.BackupRuns.RunNowAsync(outsider, id)).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.BackupRuns.RunNowAsync(outsider, Guid.NewGuid())).Decision.Should().Be(AccessDecision.NotFound);
    }

    [Fact]
    public async Task Owner_disables_and_deletes_with_an_audit_entry_each()
    {
        var id = await fixture.CreateScheduleAsync();

        (await fixture.Schedules.SetEnabledAsync(fixture.Demo.Owner, id, false)).Saved.Should().BeTrue();
        (await fixture.Schedules.GetAsync(fixture.Demo.Owner, id)).Schedule!.Enabled.Should().BeFalse();
        (await fixture.Schedules.DeleteAsync(fixture.Demo.Owner, id)).Should().Be(AccessDecision.Allowed);

        (await fixture.Schedules.GetAsync(fixture.Demo.Owner, id)).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action IN ($1, $2) AND tenant_id = $3",
            BackupAuditActions.ScheduleUpdated, BackupAuditActions.ScheduleDeleted, fixture.Demo.ContosoEu)).Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void The_next_five_fire_times_are_in_the_schedules_zone_across_a_clock_change()
    {
        ScheduleFireTimes.TryParseCron("0 2 * * *", out var cron, out _).Should().BeTrue();
        ScheduleFireTimes.TryFindZone("Europe/Berlin", out var zone, out _).Should().BeTrue();

        var next = ScheduleFireTimes.Next(cron, zone, new DateTimeOffset(2026, 10, 23, 12, 0, 0, TimeSpan.Zero), 5);

        next.Select(t => t.ToString("yyyy-MM-dd HH:mm zzz")).Should().Equal(
            "2026-10-24 02:00 +02:00",
            "2026-10-25 02:00 +02:00",
            "2026-10-26 02:00 +01:00",
            "2026-10-27 02:00 +01:00",
            "2026-10-28 02:00 +01:00");
    }
}
