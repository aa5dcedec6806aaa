using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Pages;

/// <summary>
/// Spec 004-backup, rule 7 (issue 12, item 6): the compare page over HTTP on the real host and PostgreSQL — exactly the
/// differences the diff engine finds, volatile fields never, added/removed items, the current state from the latest
/// backup and the inventory, never a cross-tenant compare, bad input as a clear message, a corrupt item as "cannot
/// compare", secrets never shown.
/// </summary>
public sealed partial class BackupComparePageTests(BackupPagesFixture fixture) : IClassFixture<BackupPagesFixture>
{
    private static readonly DateTimeOffset Earlier = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_sets_that_differ_in_one_setting_show_exactly_that_setting()
    {
        var older = await AddSetAsync(Earlier, Policy("dc-1", "Win10 baseline", minLength: 8, version: 1), Policy("dc-2", "Kiosk", minLength: 4, version: 3));
        var newer = await AddSetAsync(Earlier.AddDays(1), Policy("dc-1", "Win10 baseline", minLength: 12, version: 2), Policy("dc-2", "Kiosk", minLength: 4, version: 9));
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync($"/admin/backup-sets/{newer}/compare?with={older}&kind=all");

        Rows(html, "ta-compare-item").Should().BeEquivalentTo(["changed dc-1", "identical dc-2"],
            "dc-2 differs only in lastModifiedDateTime, version and @odata.context, which never make a difference");
        FieldChanges(html).Should().Equal(["changed passwordMinimumLength"], "the one setting that differs, and nothing else");
        html.Should().Contain(">8</code>").And.Contain(">12</code>");
        html.Should().NotContain("lastModifiedDateTime").And.NotContain("ta-assignment-change", "the assignments are the same");
        Count(html, "changed").Should().Be(1);
        Count(html, "identical").Should().Be(1);
        Count(html, "added").Should().Be(0);
        Count(html, "removed").Should().Be(0);
    }

    [Fact]
    public async Task Added_and_removed_policies_and_changed_assignments_are_listed_in_either_order_of_the_with_set()
    {
        var older = await AddSetAsync(Earlier, Policy("dc-1", "Baseline", minLength: 8, group: "a0000000-0000-0000-0000-000000000001"), Policy("dc-2", "Gone later", minLength: 8));
        var newer = await AddSetAsync(Earlier.AddDays(1), Policy("dc-1", "Baseline", minLength: 8, group: "b0000000-0000-0000-0000-000000000002"), Policy("dc-3", "New policy", minLength: 8));
        var client = await fixture.SignedInAsync("operator@demo.test");

        var fromNewer = await client.GetStringAsync($"/admin/backup-sets/{newer}/compare?with={older}");
        var fromOlder = await client.GetStringAsync($"/admin/backup-sets/{older}/compare?with={newer}");

        foreach (var html in new[] { fromNewer, fromOlder })
        {
            Rows(html, "ta-compare-item").Should().BeEquivalentTo(["changed dc-1", "removed dc-2", "added dc-3"], "the older set is always the before side");
            html.Should().Contain("class=\"ta-assignment-change\" data-kind=\"removed\"").And.Contain("class=\"ta-assignment-change\" data-kind=\"added\"");
            html.Should().Contain("Group a0000000-0000-0000-0000-000000000001").And.Contain("Group b0000000-0000-0000-0000-000000000002");
            FieldChanges(html).Should().BeEmpty("only the assignments of dc-1 differ");
        }
    }

    [Fact]
    public async Task The_default_compares_with_the_previous_set_of_the_same_policy_types()
    {
        var family = GraphResourceKeys.MobileAppConfigurations;
        var first = await AddSetAsync(Earlier.AddDays(10), [family], Policy("ac-1", "App config", minLength: 1));
        await AddSetAsync(Earlier.AddDays(11), [GraphResourceKeys.ManagedAppPolicies], Policy("ap-1", "Other schedule", minLength: 1));
        var second = await AddSetAsync(Earlier.AddDays(12), [family], Policy("ac-1", "App config", minLength: 2));
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync($"/admin/backup-sets/{second}/compare");
        var firstHtml = await client.GetStringAsync($"/admin/backup-sets/{first}/compare");

        html.Should().Contain($"href=\"/admin/backup-sets/{first}\" id=\"compare-before\"", "the previous set is the newest older one with a common policy type");
        Rows(html, "ta-compare-item").Should().Equal(["changed ac-1"]);
        firstHtml.Should().Contain("data-refusal=\"NoPrevious\"").And.Contain("nothing to compare with");
    }

    [Fact]
    public async Task A_set_of_another_tenant_or_workspace_is_refused_like_an_unknown_id()
    {
        var own = await AddSetAsync(Earlier, Policy("dc-1", "Own policy", minLength: 8));
        var otherTenant = await AddSetAsync(Earlier, [GraphResourceKeys.DeviceConfigurations], fixture.Demo.ContosoUs, fixture.Demo.Contoso, Policy("dc-1", "Contoso-US secret name", minLength: 9));
        var otherWorkspace = await AddSetAsync(Earlier, [GraphResourceKeys.DeviceConfigurations], fixture.Demo.FabrikamTenant, fixture.Demo.Fabrikam, Policy("dc-1", "Fabrikam secret name", minLength: 9));
        var client = await fixture.SignedInAsync("owner@demo.test");

        var unknown = await client.GetAsync($"/admin/backup-sets/{own}/compare?with={Guid.NewGuid()}");
        var unknownHtml = await unknown.Content.ReadAsStringAsync();
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknownHtml.Should().Contain("id=\"not-found\"");

        foreach (var with in new[] { otherTenant, otherWorkspace })
        {
            var response = await client.GetAsync($"/admin/backup-sets/{own}/compare?with={with}");
            var html = await response.Content.ReadAsStringAsync();

            response.StatusCode.Should().Be(HttpStatusCode.NotFound, "never a cross-tenant compare");
            html.Should().NotContain("secret name").And.NotContain("ta-compare-item");
            HtmlNormalizer.Normalize(html).Should().Be(HtmlNormalizer.Normalize(unknownHtml), "another tenant's set answers exactly like an unknown id");
        }
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("12345")]
    [InlineData("<script>")]
    public async Task A_with_that_is_neither_a_set_id_nor_current_is_a_clear_400(string with)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/backup-sets/{fixture.SetId}/compare?with={Uri.EscapeDataString(with)}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("data-refusal=\"BadWith\"").And.Contain("must be the id of another backup set of this tenant, or &#x27;current&#x27;");
    }

    [Fact]
    public async Task A_set_compared_with_itself_is_a_clear_message()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/backup-sets/{fixture.SetId}/compare?with={fixture.SetId}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("data-refusal=\"SameSet\"").And.Contain("Cannot compare a backup set with itself");
    }

    [Fact]
    public async Task An_item_stored_as_other_json_than_an_object_is_shown_as_cannot_compare()
    {
        var older = await AddSetAsync(Earlier, Policy("dc-1", "Readable", minLength: 8), Policy("dc-2", "Corrupt", minLength: 8), Policy("dc-3", "Bad assignments", minLength: 8));
        var newer = await AddSetAsync(Earlier.AddDays(1), Policy("dc-1", "Readable", minLength: 10), Policy("dc-2", "Corrupt", minLength: 8), Policy("dc-3", "Bad assignments", minLength: 8));
        await fixture.Database.ExecuteAsync("UPDATE backup.backup_items SET content = '\"just a string\"'::jsonb WHERE backup_set_id = $1 AND graph_id = 'dc-2'", newer);
        await fixture.Database.ExecuteAsync("UPDATE backup.backup_items SET assignments = '{\"not\": \"a list\"}'::jsonb WHERE backup_set_id = $1 AND graph_id = 'dc-3'", older);
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/backup-sets/{newer}/compare?with={older}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, "a corrupt item never fails the page");
        Rows(html, "ta-compare-item").Should().BeEquivalentTo(["changed dc-1", "cannot-compare dc-2", "cannot-compare dc-3"]);
        html.Should().Contain("the stored policy is not a JSON object").And.Contain("the stored assignments are not a JSON list");
        FieldChanges(html).Should().Equal(["changed passwordMinimumLength"]);
    }

    [Fact]
    public async Task Encrypted_values_are_never_shown_and_never_differ()
    {
        var older = await AddSetAsync(Earlier, Custom("oma-1", "BLOB-OLD-4f1a", "./Vendor/MSFT/Old"));
        var newer = await AddSetAsync(Earlier.AddDays(1), Custom("oma-1", "BLOB-NEW-9c2e", "./Vendor/MSFT/New"));
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync($"/admin/backup-sets/{newer}/compare?with={older}&kind=all");

        Rows(html, "ta-compare-item").Should().Equal(["changed oma-1"]);
        FieldChanges(html).Should().Equal(["changed omaSettings[./Vendor/MSFT/Secret].displayName"], "the encrypted value is masked on both sides");
        html.Should().NotContain("BLOB-OLD").And.NotContain("BLOB-NEW");
    }

    [Fact]
    public async Task Against_the_current_state_the_inventory_tells_what_was_deleted_or_appeared_since_the_latest_backup()
    {
        var family = GraphResourceKeys.DeviceManagementScripts;
        var old = await AddSetAsync(Earlier.AddDays(20), [family], Policy("sc-1", "Kept", minLength: 1), Policy("sc-2", "Deleted since", minLength: 1), Policy("sc-3", "Changed", minLength: 1));
        var latestAt = Earlier.AddDays(21);
        await AddSetAsync(latestAt, [family], Policy("sc-1", "Kept", minLength: 1), Policy("sc-2", "Deleted since", minLength: 1), Policy("sc-3", "Changed", minLength: 5));
        await InventoryAsync(family, "sc-1", "Kept", seen: latestAt.AddHours(1), deleted: null);
        await InventoryAsync(family, "sc-2", "Deleted since", seen: latestAt.AddHours(-1), deleted: latestAt.AddHours(1));
        await InventoryAsync(family, "sc-4", "Created since", seen: latestAt.AddHours(1), deleted: null);
        await InventoryAsync(family, "sc-5", "Seen only before the backup", seen: latestAt.AddHours(-5), deleted: null);
        var client = await fixture.SignedInAsync("owner@demo.test");

        var html = await client.GetStringAsync($"/admin/backup-sets/{old}/compare?with=current&kind=all");

        Rows(html, "ta-compare-item").Should().BeEquivalentTo(["identical sc-1", "removed sc-2", "changed sc-3", "not-backed-up sc-4"],
            "sc-5 is live in a stale inventory but not in the newer backup: the backup is the newer witness");
        html.Should().Contain("Deleted from the tenant after its latest backup").And.Contain("not yet backed up: no content to compare");
        html.Should().Contain("id=\"compare-after-current\"");
        FieldChanges(html).Should().Equal(["changed passwordMinimumLength"]);
    }

    [Fact]
    public async Task The_set_list_and_the_set_page_link_to_the_compare_page()
    {
        var family = GraphResourceKeys.WindowsAutopilotDeploymentProfiles;
        var first = await AddSetAsync(Earlier.AddDays(30), [family], Policy("ap-1", "Profile", minLength: 1));
        var second = await AddSetAsync(Earlier.AddDays(31), [family], Policy("ap-1", "Profile", minLength: 1));
        var client = await fixture.SignedInAsync("owner@demo.test");

        var list = await client.GetStringAsync($"/admin/tenants/{fixture.Demo.ContosoEu}/backups/sets");
        var secondPage = await client.GetStringAsync($"/admin/backup-sets/{second}");
        var firstPage = await client.GetStringAsync($"/admin/backup-sets/{first}");

        list.Should().Contain($"href=\"/admin/backup-sets/{second}/compare\"").And.Contain("Compare with previous");
        list.Should().NotContain($"href=\"/admin/backup-sets/{first}/compare\"", "the first set of its policy types has no previous");
        secondPage.Should().Contain("id=\"compare-with-previous\"").And.Contain($"/admin/backup-sets/{second}/compare?with=current");
        firstPage.Should().NotContain("id=\"compare-with-previous\"").And.Contain("id=\"compare-with-current\"");
    }

    private static JsonObject Policy(string id, string name, int minLength, int version = 1, string group = "c0000000-0000-0000-0000-000000000003") => new()
    {
        ["@odata.context"] = $"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations/$entity?v={version}",
        ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
        ["id"] = id,
        ["displayName"] = name,
        ["lastModifiedDateTime"] = $"2026-11-0{1 + (version % 8)}T10:00:00Z",
        ["version"] = version,
        ["passwordRequired"] = true,
        ["passwordMinimumLength"] = minLength,
        ["assignments"] = new JsonArray(new JsonObject
        {
            ["id"] = $"{id}_{version}", ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = group },
        }),
    };

    private static JsonObject Custom(string id, string blob, string label) => new()
    {
        ["@odata.type"] = "#microsoft.graph.windows10CustomConfiguration",
        ["id"] = id,
        ["displayName"] = "Custom",
        ["omaSettings"] = new JsonArray(new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.omaSettingString", ["displayName"] = label, ["omaUri"] = "./Vendor/MSFT/Secret",
            ["isEncrypted"] = true, ["secretReferenceValueId"] = "ref-1", ["value"] = blob,
        }),
        ["assignments"] = new JsonArray(),
    };

    private Task<Guid> AddSetAsync(DateTimeOffset at, params JsonObject[] policies) =>
        AddSetAsync(at, [GraphResourceKeys.DeviceConfigurations], fixture.Demo.ContosoEu, fixture.Demo.Contoso, policies);

    private Task<Guid> AddSetAsync(DateTimeOffset at, string[] families, params JsonObject[] policies) =>
        AddSetAsync(at, families, fixture.Demo.ContosoEu, fixture.Demo.Contoso, policies);

    /// <summary>A set as the backup job stores it (content without its assignments, which are a column of their own).</summary>
    private async Task<Guid> AddSetAsync(DateTimeOffset at, string[] families, Guid tenant, Guid workspace, params JsonObject[] policies)
    {
        var set = new BackupSet
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = workspace,
            TenantId = tenant,
            OperationRunId = Random.Shared.NextInt64(1L << 40, long.MaxValue),
            RunType = OperationTypes.BackupRunNow,
            Families = [.. families],
            CreatedAt = at,
        };
        foreach (var source in policies)
        {
            var content = (JsonObject)source.DeepClone();
            var assignments = content["assignments"]!.ToJsonString();
            content.Remove("assignments");
            var protectedValues = content["omaSettings"] is JsonArray ? "[{\"path\":\"/omaSettings/0/value\",\"protectedValue\":\"CfDJ8-not-a-real-payload\"}]" : "[]";
            var bytes = Encoding.UTF8.GetBytes(content.ToJsonString() + "\n" + assignments);
            set.Items.Add(new BackupItem
            {
                BackupSetId = set.Id,
                Family = families[0],
                GraphId = content["id"]!.GetValue<string>(),
                DisplayName = content["displayName"]!.GetValue<string>(),
                ODataType = content["@odata.type"]?.GetValue<string>(),
                Content = content.ToJsonString(),
                Assignments = assignments,
                ProtectedValues = protectedValues,
                ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                SizeBytes = bytes.Length,
            });
        }

        set.ItemCount = set.Items.Count;
        set.SizeBytes = set.Items.Sum(i => i.SizeBytes);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync();
        db.Sets.Add(set);
        await db.SaveChangesAsync();
        return set.Id;
    }

    private Task<int> InventoryAsync(string family, string graphId, string name, DateTimeOffset seen, DateTimeOffset? deleted) =>
        fixture.Database.ExecuteAsync(
            "INSERT INTO inventory.inventory_items (tenant_id, family, graph_id, display_name, content_hash, first_seen_at, last_seen_at, changed_at, last_seen_run_id, deleted_at) " +
            "VALUES ($1, $2, $3, $4, 'hash', $5, $6, $6, 1, $7)",
            fixture.Demo.ContosoEu, family, graphId, name, seen.AddDays(-30), seen, deleted is { } d ? d : DBNull.Value);

    /// <summary>"kind graph-id" of each row of a class, in page order.</summary>
    private static List<string> Rows(string html, string cssClass) =>
        [.. Regex.Matches(html, $"<tr class=\"{cssClass}\" data-kind=\"([^\"]+)\" data-family=\"[^\"]+\" data-graph-id=\"([^\"]+)\"").Select(m => m.Groups[1].Value + " " + m.Groups[2].Value)];

    /// <summary>"kind path" of each field change of the page's diffs.</summary>
    private static List<string> FieldChanges(string html) =>
        [.. FieldChangePattern().Matches(html).Select(m => m.Groups[1].Value + " " + WebUtility.HtmlDecode(m.Groups[2].Value))];

    private static int Count(string html, string kind)
    {
        var match = Regex.Match(html, $"<b class=\"ml-1 ta-count\" data-kind=\"{kind}\">(\\d+)</b>");
        match.Success.Should().BeTrue($"the summary shows a count of {kind}");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<tr class=\"ta-field-change\" data-kind=\"([^\"]+)\"[^>]*>.*?<code class=\"ta-diff-path\">([^<]*)</code>", RegexOptions.Singleline)]
    private static partial Regex FieldChangePattern();
}
