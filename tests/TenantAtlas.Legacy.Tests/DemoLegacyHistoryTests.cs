using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Demo": the demo seed imports and backfills the shipped legacy history, idempotently.</summary>
public sealed class DemoLegacyHistoryTests
{
    [Fact]
    public async Task The_demo_seed_brings_a_year_of_legacy_history_into_the_run_list_once()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = new TenantAtlasApp(database.ConnectionString)
            .WithSetting("Demo:History", "true").WithSetting("Demo:LegacyHistory", "true");

        var demo = await app.SeedDemoAsync();
        var legacyRows = await database.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM legacy.inventory_sync_runs) + (SELECT count(*) FROM legacy.entra_group_sync_runs)
                 + (SELECT count(*) FROM legacy.backup_schedule_runs) + (SELECT count(*) FROM legacy.restore_runs)
                 + (SELECT count(*) FROM legacy.role_definition_sync_runs)
            """);
        var unmappedRows = await database.ScalarAsync<long>("SELECT count(*) FROM legacy.inventory_sync_runs WHERE tenant_id = 4");
        var runs = await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL");
        await app.SeedDemoAsync();

        legacyRows.Should().BeGreaterThan(2500, "a year of history");
        unmappedRows.Should().BeGreaterThan(0, "the old tenant that maps to none is kept");
        runs.Should().BeGreaterThan(1500).And.BeLessThan(legacyRows, "the unmapped tenant's rows have no run");
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL")).Should().Be(runs, "seeding again adds nothing");
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table = 'backup_schedule_runs' AND context ? 'slot_not_taken'"))
            .Should().BeGreaterThan(0, "the slot the old scheduler fired twice");
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL AND status <> 'completed'")).Should().Be(0);

        // The monitoring list filters the history by where it comes from (issue 14, item 5), in the page and the API.
        var queries = app.Services.GetRequiredService<IOperationRunQueries>();
        var legacy = await queries.ListAsync(demo.Owner, new RunFilter { Origin = RunOrigin.Legacy }, null, 200);
        var live = await queries.ListAsync(demo.Owner, new RunFilter { Origin = RunOrigin.Live }, null, 200);
        legacy.Items.Should().NotBeEmpty().And.OnlyContain(r => r.Legacy != null);
        live.Items.Should().NotBeEmpty().And.OnlyContain(r => r.Legacy == null);
        var all = (await queries.CountAsync(demo.Owner, new RunFilter())).Total;
        ((await queries.CountAsync(demo.Owner, new RunFilter { Origin = RunOrigin.Legacy })).Total
            + (await queries.CountAsync(demo.Owner, new RunFilter { Origin = RunOrigin.Live })).Total).Should().Be(all);
        var token = await app.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(demo.Owner, "test", 1);
        using var api = app.CreateBrowserLikeClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        (await api.GetAsync("/api/operations?origin=legacy&limit=5")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        var refused = await api.GetAsync("/api/operations?origin=old");
        refused.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("live or legacy");
        using var browser = await app.SignedInClientAsync("owner@demo.test");
        (await browser.GetStringAsync("/admin/operations?origin=legacy")).Should().Contain("filter-origin");

        // /admin/legacy pages through a year of rows, newest first, by id.
        var newest = await browser.GetStringAsync("/admin/legacy?table=inventory_sync_runs");
        var older = System.Text.RegularExpressions.Regex.Match(newest, "href=\"/admin/legacy\\?table=inventory_sync_runs&amp;before=(\\d+)\"");
        older.Success.Should().BeTrue("a year of history is more than one page");
        var before = long.Parse(older.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var next = await browser.GetStringAsync($"/admin/legacy?table=inventory_sync_runs&before={before}");
        next.Should().Contain($"Rows older than #{before}").And.Contain("legacy-newest");
        System.Text.RegularExpressions.Regex.Matches(next, "<td[^>]*>(\\d+)</td>").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Should().NotBeEmpty().And.OnlyContain(id => id < before);
        (await browser.GetStringAsync("/admin/legacy?table=inventory_sync_runs&before=not-a-number")).Should().Contain("The newest rows");
    }
}
