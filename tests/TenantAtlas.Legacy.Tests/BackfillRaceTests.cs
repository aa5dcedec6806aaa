using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Racing backfills": two hosts (and two calls in one) backfilling at once create each run once.</summary>
public sealed class BackfillRaceTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    private const int Rows = 12_000;

    [Fact]
    public async Task Backfills_racing_in_two_hosts_create_each_run_once()
    {
        using var files = new LegacyHistoryFiles(await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu), await fixture.EntraIdOfAsync(fixture.Demo.FabrikamTenant));
        var lines = new List<string> { "id,tenant_id,status,started_at,finished_at,error_message,triggered_by_user_id,user_email,created_at,updated_at,items_synced,items_failed" };
        var start = new DateTime(2025, 1, 1, 0, 0, 0);
        for (var i = 1; i <= Rows; i++)
        {
            var at = start.AddMinutes(i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            lines.Add($"{i},{(i % 2) + 1},{(i % 7 == 0 ? "failed" : "completed")},{at},{at},,,,{at},,{i % 50},0");
        }

        files.Write("inventory_sync_runs", [.. lines]);
        (await fixture.LegacyAsync("import", "--csv", files.Directory)).Exit.Should().Be(0);
        var mapped = Rows + 3 + 4 + 2 + 2;

        await using var second = new TenantAtlasApp(fixture.Database.ConnectionString);
        var results = await Task.WhenAll(
            Task.Run(() => LegacyFixture.LegacyAsync(fixture.App.Services, "backfill")),
            Task.Run(() => LegacyFixture.LegacyAsync(second.Services, "backfill")),
            Task.Run(() => LegacyFixture.LegacyAsync(second.Services, "backfill")));

        results.Should().AllSatisfy(r => r.Exit.Should().Be(0, r.Error));
        var added = results.Sum(r => long.Parse(System.Text.RegularExpressions.Regex.Match(r.Output, @"total\s+[\d,]+\s+([\d,]+)").Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture));
        added.Should().Be(mapped, "the three backfills together added each mapped row once");
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL")).Should().Be(mapped);
        (await fixture.CountAsync("SELECT count(*) FROM (SELECT 1 FROM operations.operation_runs WHERE legacy_table IS NOT NULL GROUP BY legacy_table, legacy_id HAVING count(*) > 1) d"))
            .Should().Be(0);
        (await fixture.CountAsync("SELECT count(*) FROM operations.operation_runs WHERE identity_rule = 'strict_schedule' AND legacy_table IS NOT NULL")).Should().Be(2);
    }
}
