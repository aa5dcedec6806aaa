using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>
/// <c>/api/restores</c>: automation creates a request and reads where it stands (the plan id execute needs, freshness,
/// counts) with the same 404/403 rules as the pages; every wrong body is a 400 naming the field, and nothing is written.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class RestoreApiTests(RestoreFixture fixture)
{
    private async Task<HttpClient> TokenClientAsync(Guid userId)
    {
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(userId, "test", 1);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private long Requests() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_requests").GetAwaiter().GetResult();

    [Fact]
    public async Task Automation_creates_a_request_plans_it_through_the_runs_api_and_reads_the_plan_it_would_execute()
    {
        var (_, tenant) = await fixture.NewTenantAsync();
        var set = await fixture.BackupAsync(tenant, GraphResourceKeys.DeviceConfigurations);
        using var api = await TokenClientAsync(fixture.Demo.Owner);

        var created = await api.PostAsJsonAsync("/api/restores", new JsonObject
        {
            ["sourceBackupSetId"] = set.Id.ToString(),
            ["targetTenantId"] = tenant.ToString(),
            ["families"] = new JsonArray(GraphResourceKeys.DeviceConfigurations),
        });

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var request = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = request["id"]!.GetValue<string>();
        created.Headers.Location!.ToString().Should().Be($"/api/restores/{id}");
        request["state"]!.GetValue<string>().Should().Be("draft");
        request["plan"].Should().BeNull();

        var started = await api.PostAsJsonAsync("/api/operations", new JsonObject
        {
            ["type"] = "restore.plan", ["tenantId"] = tenant.ToString(), ["restoreRequestId"] = id,
        });
        started.IsSuccessStatusCode.Should().BeTrue(await started.Content.ReadAsStringAsync());
        var run = await fixture.WaitForCompletionAsync((await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>(), 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded);

        var read = (await api.GetFromJsonAsync<JsonObject>($"/api/restores/{id}"))!;
        read["state"]!.GetValue<string>().Should().Be("planned");
        var plan = read["plan"]!.AsObject();
        plan["runId"]!.GetValue<long>().Should().Be(run.Id);
        plan["stale"]!.GetValue<bool>().Should().BeFalse();
        var stored = await fixture.Database.ScalarAsync<Guid>("SELECT id FROM restore.restore_plans WHERE operation_run_id = $1", run.Id);
        plan["id"]!.GetValue<Guid>().Should().Be(stored, "the plan id is what restore.execute is given");
        (plan["creates"]!.GetValue<int>() + plan["updates"]!.GetValue<int>() + plan["identical"]!.GetValue<int>()
            + plan["conflicts"]!.GetValue<int>() + plan["blocked"]!.GetValue<int>()).Should().Be((int)run.Summary[OperationSummaryKeys.Total]);
        read["links"]!["planRun"]!.GetValue<string>().Should().Be($"/api/operations/{run.Id}");
    }

    [Fact]
    public async Task Every_wrong_body_is_a_400_that_names_the_field_and_writes_nothing()
    {
        var (_, tenant) = await fixture.NewTenantAsync();
        var set = await fixture.BackupAsync(tenant, GraphResourceKeys.DeviceConfigurations);
        using var api = await TokenClientAsync(fixture.Demo.Owner);
        var before = Requests();
        var cases = new (string Body, string Expected)[]
        {
            ("", "JSON"),
            ("{", "JSON"),
            ("[]", "JSON object"),
            ("{\"targetTenantId\":\"" + tenant + "\"}", "sourceBackupSetId"),
            ("{\"sourceBackupSetId\":\"x\",\"targetTenantId\":\"" + tenant + "\"}", "sourceBackupSetId"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":17}", "targetTenantId"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"families\":\"deviceConfigurations\"}", "families"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"itemIds\":[1.5]}", "itemIds"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"itemIds\":[\"1\"]}", "itemIds"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"copySuffix\":false,\"families\":[\"deviceConfigurations\"]}", "copySuffix"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"sourceBackupSetId\":\"" + set.Id + "\"}", "once"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"mode\":\"all\"}", "'mode' is not a field"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\"}", "at least one family or item"),
            ("{\"sourceBackupSetId\":\"" + Guid.NewGuid() + "\",\"targetTenantId\":\"" + tenant + "\",\"families\":[\"deviceConfigurations\"]}", "backup set was not found"),
            ("{\"sourceBackupSetId\":\"" + set.Id + "\",\"targetTenantId\":\"" + tenant + "\",\"families\":[\"deviceConfigurations\"],\"copySuffix\":\"a\\tb\"}", "copy suffix"),
        };

        foreach (var (body, expected) in cases)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var answer = await api.PostAsync("/api/restores", content);
            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
            answer.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
            (await answer.Content.ReadAsStringAsync()).Should().Contain(expected, body);
        }

        Requests().Should().Be(before, "a refused request writes nothing");
    }

    [Fact]
    public async Task Operator_and_readonly_are_forbidden_outsiders_and_unknown_ids_get_404_and_cookies_need_antiforgery()
    {
        var (_, tenant) = await fixture.NewTenantAsync();
        var set = await fixture.BackupAsync(tenant, GraphResourceKeys.DeviceConfigurations);
        var made = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(set.Id, tenant, [GraphResourceKeys.DeviceConfigurations], []));
        made.Ok.Should().BeTrue(made.Error);
        var body = new JsonObject
        {
            ["sourceBackupSetId"] = set.Id.ToString(), ["targetTenantId"] = tenant.ToString(), ["families"] = new JsonArray(GraphResourceKeys.DeviceConfigurations),
        };
        var before = Requests();
        var cases = new (Guid User, HttpStatusCode Expected)[]
        {
            (fixture.Demo.Operator, HttpStatusCode.Forbidden),
            (fixture.Demo.Readonly, HttpStatusCode.Forbidden),
            (fixture.Demo.Outsider, HttpStatusCode.NotFound),
        };

        foreach (var (user, expected) in cases)
        {
            using var api = await TokenClientAsync(user);
            (await api.GetAsync($"/api/restores/{made.Value!.Id}")).StatusCode.Should().Be(expected);
            (await api.PostAsJsonAsync("/api/restores", body)).StatusCode.Should().Be(expected);
        }

        using var owner = await TokenClientAsync(fixture.Demo.Owner);
        (await owner.GetAsync($"/api/restores/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetAsync("/api/restores/not-a-guid")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.App.CreateBrowserLikeClient().GetAsync($"/api/restores/{made.Value!.Id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var browser = await fixture.SignedInAsync("owner@demo.test");
        var withoutToken = await browser.PostAsJsonAsync("/api/restores", body);
        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await withoutToken.Content.ReadAsStringAsync()).Should().Contain("antiforgery");
        Requests().Should().Be(before, "nothing refused was written");
    }
}
