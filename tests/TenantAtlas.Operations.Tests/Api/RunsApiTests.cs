using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Hosting;
using static TenantAtlas.Operations.Tests.Support.AuditSql;

namespace TenantAtlas.Operations.Tests.Api;

/// <summary>Spec 002-monitoring-and-api, "Runs API": tokens, the 401/404/403 matrix, start/dedupe, cancel, bad input.</summary>
public sealed class RunsApiTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private async Task<HttpClient> TokenClientAsync(string email, int days = 30)
    {
        var userId = email switch
        {
            "owner@demo.test" => fixture.Demo.Owner,
            "operator@demo.test" => fixture.Demo.Operator,
            "readonly@demo.test" => fixture.Demo.Readonly,
            "outsider@demo.test" => fixture.Demo.Outsider,
            _ => fixture.Demo.Admin,
        };
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(userId, "test", days);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("GET", "/api/operations/1")]
    [InlineData("GET", "/api/operations")]
    [InlineData("POST", "/api/operations")]
    [InlineData("POST", "/api/operations/1/cancel")]
    public async Task Anonymous_calls_get_401_not_a_redirect(string method, string path)
    {
        var response = await fixture.App.CreateBrowserLikeClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.Location.Should().BeNull();
    }

    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.OK)]
    [InlineData("readonly@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    [InlineData("admin@demo.test", HttpStatusCode.NotFound)]
    public async Task Get_follows_the_viewer_rules(string email, HttpStatusCode expected)
    {
        var run = await fixture.StartAsync(TestOperations.Click);
        var client = await TokenClientAsync(email);

        var response = await client.GetAsync($"/api/operations/{run.Id}");

        response.StatusCode.Should().Be(expected);
        response.Content.Headers.ContentType!.MediaType.Should().Be(expected == HttpStatusCode.OK ? "application/json" : "application/problem+json");
        if (expected == HttpStatusCode.OK)
        {
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            body["id"]!.GetValue<long>().Should().Be(run.Id);
            body["status"]!.GetValue<string>().Should().Be("queued");
            body["links"]!["viewer"]!.GetValue<string>().Should().Be($"/admin/operations/{run.Id}");
        }
        else
        {
            (await response.Content.ReadAsStringAsync()).Should().NotContain(run.IdentityKey);
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    [InlineData("987654321")]
    public async Task Unknown_and_malformed_ids_are_404_problems(string id)
    {
        var client = await TokenClientAsync("owner@demo.test");

        var response = await client.GetAsync($"/api/operations/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Start_creates_201_with_location_then_dedupes_with_200_and_the_same_run()
    {
        var client = await TokenClientAsync("operator@demo.test");
        var body = $$$"""{"type":"{{{TestOperations.Sync}}}","tenantId":"{{{fixture.Demo.ContosoUs}}}","inputs":{"note":"from a script"}}""";

        var first = await client.PostAsync("/api/operations", Json(body));
        var second = await client.PostAsync("/api/operations", Json(body));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = created["id"]!.GetValue<long>();
        first.Headers.Location!.OriginalString.Should().Be($"/api/operations/{id}");
        created["inputs"]!["note"]!.GetValue<string>().Should().Be("from a script");
        created["initiator"]!["label"]!.GetValue<string>().Should().Be("operator@demo.test");
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>().Should().Be(id);

        // The script polls until completed and reads the counts.
        await fixture.RunJobAsync(id);
        var done = (await client.GetFromJsonAsync<JsonObject>($"/api/operations/{id}"))!;
        done["status"]!.GetValue<string>().Should().Be("completed");
        done["outcome"]!.GetValue<string>().Should().Be("succeeded");
        done["summary"]!["processed"]!.GetValue<long>().Should().Be(10);
    }

    [Theory]
    [InlineData("{not json", "Malformed JSON")]
    [InlineData("""{"tenantId":"00000000-0000-0000-0000-000000000001"}""", "Missing type")]
    [InlineData("""{"type":"test.click"}""", "Missing tenant")]
    [InlineData("""{"type":"inventory.everything","tenantId":"TENANT"}""", "Unknown operation type")]
    [InlineData("""{"type":"backup_schedule.scheduled","tenantId":"TENANT"}""", "System-only operation type")]
    [InlineData("""{"type":"test.click","tenantId":"not-a-guid"}""", "Invalid request body")]
    public async Task Bad_input_is_a_400_problem_with_a_clear_title(string body, string title)
    {
        var client = await TokenClientAsync("owner@demo.test");

        var response = await client.PostAsync("/api/operations", Json(body.Replace("TENANT", fixture.Demo.ContosoEu.ToString(), StringComparison.Ordinal)));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>().Should().Be(title);
    }

    [Theory]
    [InlineData("{\"type\":\"test.click\",", "The body is not valid JSON (line 1, position 21).")]
    [InlineData("{\"type\":\"test.click\",\n \"tenantId\": nope}", "The body is not valid JSON (line 2, position 15).")]
    [InlineData("", "The body is empty.")]
    [InlineData("[1,2]", "The body must be a JSON object")]
    [InlineData("""{"type":"test.click","tenantId":"not-a-guid"}""", "'tenantId' must be a GUID")]
    [InlineData("""{"type":"test.click","tenantId":42}""", "'tenantId' must be a GUID")]
    [InlineData("""{"type":7,"tenantId":"TENANT"}""", "'type' must be a string")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","inputs":"scheduleId=1"}""", "'inputs' must be a JSON object")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","inputs":[{"scheduleId":"1"}]}""", "'inputs' must be a JSON object")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","inputs":5}""", "'inputs' must be a JSON object")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","retryOfRunId":"12"}""", "'retryOfRunId' must be the number of the run")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","restoreRequestId":true}""", "'restoreRequestId' must be a GUID")]
    [InlineData("""{"type":"test.click","type":"test.sync","tenantId":"TENANT"}""", "a property may appear only once")]
    [InlineData("""{"type":"test.click","Type":"test.sync","tenantId":"TENANT"}""", "'type' is given more than once")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","inputs":{"a":1,"a":2}}""", "a property may appear only once")]
    public async Task A_body_of_the_wrong_shape_is_a_400_that_says_what_is_wrong_in_the_apis_words(string body, string detail)
    {
        var client = await TokenClientAsync("owner@demo.test");
        var runs = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs");

        var response = await client.PostAsync("/api/operations", Json(body.Replace("TENANT", fixture.Demo.ContosoEu.ToString(), StringComparison.Ordinal)));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        problem.Should().Contain(detail).And.NotContain("TenantAtlas").And.NotContain("System.").And.NotContain("Path:");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs")).Should().Be(runs);
    }

    [Theory]
    [InlineData("readonly@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    public async Task Start_without_the_capability_creates_nothing(string email, HttpStatusCode expected)
    {
        var client = await TokenClientAsync(email);
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs");

        var response = await client.PostAsync("/api/operations", Json($$"""{"type":"test.click","tenantId":"{{fixture.Demo.ContosoEu}}"}"""));

        response.StatusCode.Should().Be(expected);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs")).Should().Be(before);
    }

    [Fact]
    public async Task Cancel_through_the_api()
    {
        var run = await fixture.StartAsync(TestOperations.Click);
        var reader = await TokenClientAsync("readonly@demo.test");
        var owner = await TokenClientAsync("owner@demo.test");

        (await reader.PostAsync($"/api/operations/{run.Id}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var cancel = await owner.PostAsync($"/api/operations/{run.Id}/cancel", null);
        var again = await owner.PostAsync($"/api/operations/{run.Id}/cancel", null);

        cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        (await cancel.Content.ReadFromJsonAsync<JsonObject>())!["run"]!["outcome"]!.GetValue<string>().Should().Be("cancelled");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Revoked_and_expired_tokens_get_401()
    {
        var tokens = fixture.App.Services.GetRequiredService<IPersonalAccessTokens>();
        var revoked = await tokens.CreateAsync(fixture.Demo.Owner, "to revoke", 30);
        var expired = await tokens.CreateAsync(fixture.Demo.Owner, "to expire", 1);
        await tokens.RevokeAsync(fixture.Demo.Owner, revoked.Id);
        await fixture.Database.ExecuteAsync("UPDATE access.personal_access_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1", expired.Id);
        var client = fixture.App.CreateBrowserLikeClient();

        foreach (var token in new[] { revoked.Token, expired.Token, "tat_made-up-token", "not-even-our-format" })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.GetAsync("/api/operations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, token[..8]);
        }
    }

    [Fact]
    public async Task A_burst_of_one_start_from_a_script_creates_one_run_answers_every_call_and_audits_each()
    {
        var client = await TokenClientAsync("outsider@demo.test");
        var body = $$$"""{"type":"{{{TestOperations.Sync}}}","tenantId":"{{{fixture.Demo.FabrikamTenant}}}"}""";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 60).Select(async _ =>
        {
            await gate.Task;
            using var response = await client.PostAsync("/api/operations", Json(body));
            return (response.StatusCode, Id: (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
        }).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(calls);

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(59);
        var id = answers.Select(a => a.Id).Distinct().Should().ContainSingle().Subject;
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM operations.operation_runs WHERE type = $1 AND tenant_id = $2 AND status IN ('queued','running')", TestOperations.Sync, fixture.Demo.FabrikamTenant))
            .Should().Be(1);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE operation_run_id = $1 AND action = 'operation.started' AND actor_label = 'outsider@demo.test'", id)).Should().Be(1);
        (await fixture.Database.ScalarAsync<long>(AuditedCalls + " AND action = 'operation.deduplicated' AND actor_label = 'outsider@demo.test'", id))
            .Should().Be(59, "each call is audited, also when one check answered the whole burst");
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE operation_run_id = $1 AND action = 'operation.deduplicated'", id))
            .Should().BeLessThan(59, "the calls one check answered share one entry that counts them");
        await fixture.RunJobAsync(id);
    }

    [Fact]
    public async Task A_locked_out_users_token_gets_401_from_the_next_call_on()
    {
        var client = await TokenClientAsync("operator@demo.test");
        (await client.GetAsync("/api/operations")).StatusCode.Should().Be(HttpStatusCode.OK);

        await fixture.Database.ExecuteAsync("UPDATE access.users SET lockout_enabled = true, lockout_end = now() + interval '1 hour' WHERE id = $1", fixture.Demo.Operator);
        try
        {
            (await client.GetAsync("/api/operations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        finally
        {
            await fixture.Database.ExecuteAsync("UPDATE access.users SET lockout_end = NULL WHERE id = $1", fixture.Demo.Operator);
        }

        (await client.GetAsync("/api/operations")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_records_when_it_was_last_used()
    {
        var created = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Owner, "last used", 5);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);

        (await client.GetAsync("/api/operations")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await fixture.Database.ScalarAsync<DateTime?>("SELECT last_used_at FROM access.personal_access_tokens WHERE id = $1", created.Id)).Should().NotBeNull();
    }

    [Fact]
    public async Task Tokens_are_stored_hashed()
    {
        var created = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Owner, "hash check", 5);

        var stored = await fixture.Database.ScalarAsync<byte[]>("SELECT token_hash FROM access.personal_access_tokens WHERE id = $1", created.Id);

        stored.Should().HaveCount(32);
        Encoding.UTF8.GetString(stored!).Should().NotContain(created.Token);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.personal_access_tokens WHERE prefix = $1 AND name = 'hash check'", created.Token[..10])).Should().Be(1);
    }

    [Fact]
    public async Task Cookies_read_but_a_cookie_post_needs_antiforgery()
    {
        var run = await fixture.StartAsync(TestOperations.Click);
        var client = await fixture.SignedInAsync("owner@demo.test");

        (await client.GetAsync($"/api/operations/{run.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var withoutToken = await client.PostAsync($"/api/operations/{run.Id}/cancel", null);
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/operations/{run.Id}/cancel");
        request.Headers.Add("RequestVerificationToken", token);
        var withToken = await client.SendAsync(request);

        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await fixture.Runs.FindAsync(run.Id))!.Status.Should().Be(OperationRunStatus.Completed, "the second call cancelled it");
        withToken.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_filters_validate_their_input()
    {
        var client = await TokenClientAsync("owner@demo.test");

        var response = await client.GetAsync("/api/operations?status=done&tenantId=x&limit=5000");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("status", "tenantId", "limit");
    }

    [Fact]
    public async Task The_token_command_prints_a_working_token()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await TenantAtlas.Web.Platform.TokenCommand.RunAsync(fixture.App.Services, ["create", "--user", "operator@demo.test", "--expires", "7", "--name", "ci"], output, error);

        exit.Should().Be(0);
        var token = output.ToString().Trim();
        token.Should().StartWith("tat_");
        error.ToString().Should().NotContain(token);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.GetAsync("/api/operations")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await TenantAtlas.Web.Platform.TokenCommand.RunAsync(fixture.App.Services, ["create", "--user", "nobody@demo.test"], output, error)).Should().Be(1);
        (await TenantAtlas.Web.Platform.TokenCommand.RunAsync(fixture.App.Services, ["create", "--user", "operator@demo.test", "--expires", "9999"], output, error)).Should().Be(2);
    }
}
