namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy: import twice, backfill twice, changed rows reported. Each class has its own database: the legacy tables are global.</summary>
public sealed class ImportAndBackfillTwiceTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task Import_twice_and_backfill_twice_give_identical_counts_and_one_run_per_mapped_row()
    {
        using var files = new LegacyHistoryFiles(await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu), await fixture.EntraIdOfAsync(fixture.Demo.FabrikamTenant));

        var first = await fixture.LegacyAsync("import", "--csv", files.Directory);
        first.Exit.Should().Be(0, first.Error);
        first.Output.Should().MatchRegex(@"inventory_sync_runs\s+13\s+13\s+0\s+0\s+2");
        first.Output.Should().MatchRegex(@"total \(run tables\)\s+24\s+24\s+0\s+0\s+2");
        first.Output.Should().Contain("unmapped old tenant #3 Gone Ltd").And.Contain("No TenantAtlas tenant has this Entra tenant id");
        first.Error.Should().Contain("legacy import: inventory_sync_runs done");

        var second = await fixture.LegacyAsync("import", "--csv", files.Directory);
        second.Exit.Should().Be(0, second.Error);
        second.Output.Should().MatchRegex(@"total \(run tables\)\s+24\s+0\s+24\s+0\s+2", "a re-import adds nothing");
        (await fixture.CountAsync("SELECT count(*) FROM legacy.inventory_sync_runs")).Should().Be(13);
        (await fixture.CountAsync("SELECT count(*) FROM legacy.inventory_sync_runs WHERE tenant_id = 3")).Should().Be(2, "unmapped rows are kept");

        var backfill = await fixture.LegacyAsync("backfill");
        backfill.Exit.Should().Be(0, backfill.Error);
        backfill.Output.Should().MatchRegex($@"total\s+{LegacyHistoryFiles.MappedRuns}\s+{LegacyHistoryFiles.MappedRuns}\s+0\s+2");
        var again = await fixture.LegacyAsync("backfill");
        again.Output.Should().MatchRegex($@"total\s+{LegacyHistoryFiles.MappedRuns}\s+0\s+{LegacyHistoryFiles.MappedRuns}\s+2", "a second backfill adds nothing");

        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL"))
            .Should().Be(LegacyHistoryFiles.MappedRuns);
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL AND status <> 'completed'"))
            .Should().Be(0, "backfilled history is inserted completed, never queued or running");
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE legacy_table = 'inventory_sync_runs' AND legacy_id > 100"))
            .Should().Be(0, "the unmapped tenant's rows have no workspace, so no run yet");

        // A changed row in the source is reported, never overwritten.
        var lines = File.ReadAllLines(Path.Combine(files.Directory, "inventory_sync_runs.csv"));
        lines[1] = lines[1].Replace(",completed,", ",failed,", StringComparison.Ordinal);
        files.Write("inventory_sync_runs", lines);
        var changed = await fixture.LegacyAsync("import", "--csv", files.Directory);
        changed.Output.Should().MatchRegex(@"inventory_sync_runs\s+13\s+0\s+12\s+1\s+2").And.Contain("inventory_sync_runs #1");
        (await fixture.Database.ScalarAsync<string>("SELECT status FROM legacy.inventory_sync_runs WHERE id = 1")).Should().Be("completed");
    }
}

/// <summary>Spec 006-legacy: every status as stored, initiators, redaction, duplicate slots, restore identities. Each class has its own database: the legacy tables are global.</summary>
public sealed class StatusAndSlotBackfillTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task Every_status_is_stored_as_its_rule_says_and_duplicate_slots_never_break_the_strict_index()
    {
        using var files = new LegacyHistoryFiles(await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu), await fixture.EntraIdOfAsync(fixture.Demo.FabrikamTenant));
        (await fixture.LegacyAsync("import", "--csv", files.Directory)).Exit.Should().Be(0);
        (await fixture.LegacyAsync("backfill")).Exit.Should().Be(0);

        var inventory = await fixture.RunsOfAsync("inventory_sync_runs");
        string?[] expected = ["succeeded", "succeeded", "partially_succeeded", "failed", "failed", "cancelled", "failed", "failed", "failed", "succeeded", "failed"];
        string?[] reasons = [null, null, null, null, null, "cancelled", "legacy_unfinished", "legacy_unfinished", "legacy_status_missing", null, "legacy_status_unknown"];
        for (var i = 0; i < LegacyHistoryFiles.Statuses.Length; i++)
        {
            inventory[i + 1].Outcome.Should().Be(expected[i], $"status '{LegacyHistoryFiles.Statuses[i]}'");
            inventory[i + 1].Reason.Should().Be(reasons[i], $"status '{LegacyHistoryFiles.Statuses[i]}'");
        }

        // The mapped email is the initiator; an unknown one leaves the system as initiator.
        (await fixture.Database.ScalarAsync<Guid?>("SELECT initiator_user_id FROM operations.operation_runs WHERE legacy_table = 'inventory_sync_runs' AND legacy_id = 1"))
            .Should().Be(fixture.Demo.Owner);
        (await fixture.Database.ScalarAsync<string>("SELECT initiator_kind || '/' || initiator_reason FROM operations.operation_runs WHERE legacy_table = 'entra_group_sync_runs' AND legacy_id = 3"))
            .Should().Be("system/legacy import");

        // Laravel dumps lose their secrets on the way into failures.
        var failures = await fixture.Database.ScalarAsync<string>("SELECT string_agg(failures::text, ' ') FROM operations.operation_runs WHERE legacy_table = 'entra_group_sync_runs'");
        failures.Should().NotContain("s3cr3t-value").And.NotContain("hunter2").And.Contain("redacted");

        // Three legacy rows for one slot: the first holds the strict slot, the others are recorded without it and say so.
        var backups = await fixture.RunsOfAsync("backup_schedule_runs");
        backups.Should().HaveCount(4);
        backups[1].Rule.Should().Be("strict_schedule");
        backups[2].Rule.Should().Be("unique_per_click");
        backups[3].Rule.Should().Be("unique_per_click");
        backups[4].Rule.Should().Be("strict_schedule");
        (await fixture.Database.ScalarAsync<string>("SELECT context->'slot_not_taken'->>'reason' FROM operations.operation_runs WHERE legacy_table = 'backup_schedule_runs' AND legacy_id = 3"))
            .Should().Contain("recorded without the slot key");
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE identity_rule = 'strict_schedule' AND legacy_table = 'backup_schedule_runs' GROUP BY schedule_id, scheduled_for ORDER BY 1 DESC LIMIT 1"))
            .Should().Be(1);

        // A restore without its request keeps its legacy identity; one with a request links it.
        var restores = await fixture.RunsOfAsync("restore_runs");
        restores[1].Rule.Should().Be("unique_per_click");
        restores[2].Rule.Should().Be("dedupe");
    }
}

/// <summary>Spec 006-legacy: an unmapped tenant's rows are kept, reported, and backfilled once it maps. Each class has its own database: the legacy tables are global.</summary>
public sealed class UnmappedTenantTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task An_unmapped_tenants_rows_are_backfilled_once_its_tenant_exists()
    {
        using var files = new LegacyHistoryFiles(await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu), await fixture.EntraIdOfAsync(fixture.Demo.FabrikamTenant), Guid.NewGuid());
        (await fixture.LegacyAsync("import", "--csv", files.Directory)).Exit.Should().Be(0);
        (await fixture.LegacyAsync("backfill")).Exit.Should().Be(0);
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE legacy_table = 'inventory_sync_runs' AND legacy_id > 100")).Should().Be(0);

        var entra = Guid.Parse((await fixture.Database.ScalarAsync<string>("SELECT entra_tenant_id FROM legacy.tenants WHERE id = 3"))!);
        await fixture.App.Services.GetRequiredService<TenantAtlas.Tenants.Contracts.ITenantAdministration>().EnsureTenantAsync(
            fixture.Demo.Fabrikam, "Gone Ltd (back)", entra, Guid.NewGuid(), "secret", new Uri("https://graph.example"), new Uri("https://login.example"));

        var import = await fixture.LegacyAsync("import", "--csv", files.Directory);
        import.Output.Should().NotContain("unmapped old tenant #3");
        var backfill = await fixture.LegacyAsync("backfill");
        backfill.Output.Should().MatchRegex(@"inventory_sync_runs\s+13\s+2\s+11\s+0");
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE legacy_table = 'inventory_sync_runs' AND legacy_id > 100 AND workspace_id = $1", fixture.Demo.Fabrikam))
            .Should().Be(2);
    }
}

/// <summary>Spec 006-legacy: bad input to the importer. Each class has its own database: the legacy tables are global.</summary>
public sealed class ImportInputTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task Bad_input_is_refused_in_words()
    {
        (await fixture.LegacyAsync("import")).Exit.Should().Be(2);
        var missing = await fixture.LegacyAsync("import", "--csv", "/nonexistent/legacy");
        missing.Exit.Should().Be(1);
        missing.Error.Should().Contain("There is no directory");

        using var files = new LegacyHistoryFiles(Guid.NewGuid(), Guid.NewGuid());
        files.Write("restore_runs", "id,tenant_id,status,created_at", "1,1,completed,not-a-date");
        var bad = await fixture.LegacyAsync("import", "--csv", files.Directory);
        bad.Exit.Should().Be(1);
        bad.Error.Should().Contain("restore_runs.csv:2: created_at 'not-a-date' is not a timestamp");
    }
}
