using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Pages;

/// <summary>
/// Spec 004-backup, rule 6 (issue 7, item 5): the exact 404/403 rules on every backup page and the download, as real HTTP status codes;
/// refused pages reveal nothing; pages render from the database only; the download equals the stored items.
/// </summary>
public sealed class BackupPageAccessTests(BackupPagesFixture fixture) : IClassFixture<BackupPagesFixture>
{
    public static TheoryData<string, string, HttpStatusCode> ViewMatrix()
    {
        var data = new TheoryData<string, string, HttpStatusCode>();
        foreach (var page in new[] { "list", "schedule", "sets", "set", "download", "compare" })
        {
            data.Add(page, "owner@demo.test", HttpStatusCode.OK);
            data.Add(page, "operator@demo.test", HttpStatusCode.OK);
            data.Add(page, "readonly@demo.test", HttpStatusCode.Forbidden);
            data.Add(page, "outsider@demo.test", HttpStatusCode.NotFound);
            data.Add(page, "admin@demo.test", HttpStatusCode.NotFound);
        }

        foreach (var page in new[] { "new", "edit" })
        {
            data.Add(page, "owner@demo.test", HttpStatusCode.OK);
            data.Add(page, "operator@demo.test", HttpStatusCode.Forbidden);
            data.Add(page, "readonly@demo.test", HttpStatusCode.Forbidden);
            data.Add(page, "outsider@demo.test", HttpStatusCode.NotFound);
        }

        return data;
    }

    internal static string PathOf(BackupPagesFixture fixture, string page) => page switch
    {
        "list" => $"/admin/tenants/{fixture.Demo.ContosoEu}/backups",
        "new" => $"/admin/tenants/{fixture.Demo.ContosoEu}/backups/new",
        "schedule" => $"/admin/backup-schedules/{fixture.ScheduleId}",
        "edit" => $"/admin/backup-schedules/{fixture.ScheduleId}/edit",
        "sets" => $"/admin/tenants/{fixture.Demo.ContosoEu}/backups/sets",
        "set" => $"/admin/backup-sets/{fixture.SetId}",
        "download" => $"/admin/backup-sets/{fixture.SetId}/download",
        "compare" => $"/admin/backup-sets/{fixture.SetId}/compare?with=current",
        _ => throw new ArgumentOutOfRangeException(nameof(page)),
    };

    [Theory]
    [MemberData(nameof(ViewMatrix))]
    public async Task Every_page_answers_by_role(string page, string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        var response = await client.GetAsync(PathOf(fixture, page));

        response.StatusCode.Should().Be(expected);
        var body = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            body.Should().Contain(page == "download" ? "Win10 baseline" : "Contoso-EU");
        }
        else
        {
            body.Should().NotContain("Nightly pages", "a refused page reveals nothing of the schedule").And.NotContain("Win10 baseline");
            body.Should().Contain(expected == HttpStatusCode.Forbidden ? "id=\"forbidden\"" : "id=\"not-found\"");
        }
    }

    [Fact]
    public async Task Pages_have_titles_that_say_where_you_are()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        (await client.GetStringAsync(PathOf(fixture, "list"))).Should().Contain("<title>Backups · Contoso-EU</title>");
        (await client.GetStringAsync(PathOf(fixture, "schedule"))).Should().Contain("<title>Nightly pages · Backups · Contoso-EU</title>");
        (await client.GetStringAsync(PathOf(fixture, "sets"))).Should().Contain("<title>Backup sets · Contoso-EU</title>");
        (await client.GetStringAsync(PathOf(fixture, "new"))).Should().Contain("<title>New backup schedule · Contoso-EU</title>");
    }

    [Theory]
    [InlineData("/admin/backup-schedules/{0}")]
    [InlineData("/admin/backup-schedules/{0}/edit")]
    [InlineData("/admin/backup-sets/{0}")]
    [InlineData("/admin/backup-sets/{0}/download")]
    [InlineData("/admin/backup-sets/{0}/compare")]
    [InlineData("/admin/backup-sets/{0}/compare?with=current")]
    [InlineData("/admin/tenants/{0}/backups")]
    [InlineData("/admin/tenants/{0}/backups/new")]
    [InlineData("/admin/tenants/{0}/backups/sets")]
    public async Task Unknown_and_malformed_ids_are_404(string pattern)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        (await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Guid.NewGuid()))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, "not-a-guid"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_workspaces_schedule_and_an_unknown_id_give_identical_pages()
    {
        var client = await fixture.SignedInAsync("outsider@demo.test");

        var other = await client.GetAsync($"/admin/backup-schedules/{fixture.ScheduleId}");
        var unknown = await client.GetAsync($"/admin/backup-schedules/{Guid.NewGuid()}");

        HtmlNormalizer.Normalize(await other.Content.ReadAsStringAsync()).Should().Be(HtmlNormalizer.Normalize(await unknown.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/admin/tenants/{0}/backups")]
    [InlineData("/admin/backup-sets/{1}/download")]
    public async Task Anonymous_is_sent_to_sign_in(string pattern)
    {
        var response = await fixture.App.CreateBrowserLikeClient().GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, fixture.Demo.ContosoEu, fixture.SetId));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().StartWith("/Account/Login");
    }

    [Theory]
    [InlineData("/backup/schedules/{0}", "/admin/backup-schedules/{0}")]
    [InlineData("/backup/schedules/{0}/edit?from=mail", "/admin/backup-schedules/{0}/edit?from=mail")]
    [InlineData("/backup/sets/{1}", "/admin/backup-sets/{1}")]
    [InlineData("/backup/sets/{1}/download", "/admin/backup-sets/{1}/download")]
    public async Task Old_backup_addresses_redirect_permanently_to_their_admin_pages(string old, string moved)
    {
        string Fill(string pattern) => string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, fixture.ScheduleId, fixture.SetId);

        // Anonymous on purpose: the redirect comes before any access check, so it cannot tell a known id from an unknown one.
        var response = await fixture.App.CreateBrowserLikeClient().GetAsync(Fill(old));
        var unknown = await fixture.App.CreateBrowserLikeClient().GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, old, Guid.Empty, Guid.Empty));

        response.StatusCode.Should().Be(HttpStatusCode.PermanentRedirect);
        response.Headers.Location!.OriginalString.Should().Be(Fill(moved));
        unknown.StatusCode.Should().Be(HttpStatusCode.PermanentRedirect);
        var owner = await fixture.SignedInAsync("owner@demo.test");
        (await owner.GetAsync(response.Headers.Location)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_backups_overview_lists_every_schedule_the_user_may_see_across_tenants_and_nothing_else()
    {
        var owner = await (await fixture.SignedInAsync("owner@demo.test")).GetStringAsync("/admin/backups");
        var outsider = await (await fixture.SignedInAsync("outsider@demo.test")).GetStringAsync("/admin/backups");
        var reader = await (await fixture.SignedInAsync("readonly@demo.test")).GetStringAsync("/admin/backups");

        owner.Should().Contain("<title>Backups · TenantAtlas</title>").And.Contain("id=\"backups-overview\"");
        owner.Should().Contain($"href=\"/admin/backup-schedules/{fixture.ScheduleId}\"").And.Contain("Nightly pages");
        owner.Should().Contain($"href=\"/admin/tenants/{fixture.Demo.ContosoEu}/backups\"", "each row links to its tenant's backups");
        owner.Should().Contain($"href=\"/admin/operations/{fixture.RunId}\" class=\"ta-last-run\"").And.Contain("ta-next-fire");
        owner.Should().Contain("id=\"nav-backups\"", "the drawer leads here for whoever may see backups");
        owner.Should().NotContain(fixture.Demo.FabrikamTenant.ToString(), "the owner is no member of Fabrikam");
        outsider.Should().NotContain(fixture.ScheduleId.ToString()).And.NotContain(fixture.Demo.ContosoEu.ToString());
        reader.Should().Contain("id=\"backups-overview-empty\"", "a readonly role includes no backups").And.NotContain(fixture.ScheduleId.ToString());
        reader.Should().NotContain("id=\"nav-backups\"");
    }

    [Fact]
    public async Task The_list_shows_next_fire_time_last_run_badge_linking_to_the_run_and_missed_slots()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync(PathOf(fixture, "list"));

        html.Should().Contain("Nightly pages").And.Contain("0 2 * * *").And.Contain("Europe/Berlin");
        html.Should().Contain($"href=\"/admin/operations/{fixture.RunId}\" class=\"ta-last-run\"").And.Contain("data-status=\"queued\"");
        html.Should().Contain("ta-next-fire").And.Contain("02:00 (Europe/Berlin");
        html.Should().Contain("ta-missed");
    }

    [Fact]
    public async Task The_schedule_shows_its_run_history_and_sets_and_owner_actions()
    {
        var owner = await fixture.SignedInAsync("owner@demo.test");
        var @operator = await fixture.SignedInAsync("operator@demo.test");

        var html = await owner.GetStringAsync(PathOf(fixture, "schedule"));
        var operatorHtml = await @operator.GetStringAsync(PathOf(fixture, "schedule"));

        html.Should().Contain($"data-run=\"{fixture.RunId}\"").And.Contain($"data-set=\"{fixture.SetId}\"").And.Contain("ta-fire-time");
        html.Should().Contain("id=\"run-now\"").And.Contain("id=\"edit-schedule\"").And.Contain("id=\"delete-schedule\"");
        operatorHtml.Should().Contain("id=\"run-now\"").And.NotContain("id=\"edit-schedule\"").And.NotContain("id=\"delete-schedule\"");
    }

    [Fact]
    public async Task The_set_page_groups_items_by_family_and_links_the_download()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync(PathOf(fixture, "set"));

        html.Should().Contain("data-family=\"deviceConfigurations\"").And.Contain("data-family=\"configurationPolicies\"");
        html.Should().Contain("Win10 baseline").And.Contain("Edge settings").And.Contain($"/admin/backup-sets/{fixture.SetId}/download");
    }

    [Fact]
    public async Task The_download_is_a_json_file_whose_items_equal_the_stored_items()
    {
        var client = await fixture.SignedInAsync("operator@demo.test");

        var response = await client.GetAsync(PathOf(fixture, "download"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').Should().EndWith(".json");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        document["id"]!.GetValue<string>().Should().Be(fixture.SetId.ToString());
        document["operationRunId"]!.GetValue<long>().Should().Be(fixture.RunId);
        document["itemCount"]!.GetValue<int>().Should().Be(3);

        var stored = await StoredItemsAsync();
        var items = document["items"]!.AsArray();
        items.Should().HaveCount(stored.Count);
        foreach (var item in items.Select(i => i!.AsObject()))
        {
            var row = stored.Single(s => s.GraphId == item["graphId"]!.GetValue<string>());
            item["family"]!.GetValue<string>().Should().Be(row.Family);
            item["displayName"]!.GetValue<string>().Should().Be(row.DisplayName);
            item["contentHash"]!.GetValue<string>().Should().Be(row.ContentHash);
            JsonNode.DeepEquals(item["content"], JsonNode.Parse(row.Content)).Should().BeTrue($"content of {row.GraphId} equals the stored jsonb");
            JsonNode.DeepEquals(item["assignments"], JsonNode.Parse(row.Assignments)).Should().BeTrue();
        }
    }

    private async Task<List<(string GraphId, string Family, string DisplayName, string ContentHash, string Content, string Assignments)>> StoredItemsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT graph_id, family, display_name, content_hash, content::text, assignments::text FROM backup.backup_items WHERE backup_set_id = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = fixture.SetId });
        var rows = new List<(string, string, string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return rows;
    }

    [Fact]
    public async Task The_tenant_overview_links_to_the_backups()
    {
        var owner = await fixture.SignedInAsync("owner@demo.test");
        var reader = await fixture.SignedInAsync("readonly@demo.test");

        var html = await owner.GetStringAsync($"/admin/tenants/{fixture.Demo.ContosoEu}");
        var readerHtml = await reader.GetStringAsync($"/admin/tenants/{fixture.Demo.ContosoEu}");

        html.Should().Contain("id=\"backup-panel\"").And.Contain($"/admin/tenants/{fixture.Demo.ContosoEu}/backups");
        readerHtml.Should().Contain("id=\"backup-panel\"").And.Contain("does not include backups").And.NotContain("Nightly pages");
    }
}
