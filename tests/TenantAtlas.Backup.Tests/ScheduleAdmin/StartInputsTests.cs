using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.ScheduleAdmin;

/// <summary>
/// Issue 19, items 3 and 4: the backup types declare their inputs and the starter checks them after the access decision and
/// before a run exists (400 malformed, 404 for a schedule the caller cannot see, nothing written); any stored run — also
/// one stored before inputs were checked — opens in the viewer and the API.
/// </summary>
public sealed class StartInputsTests(BackupFixture fixture) : IClassFixture<BackupFixture>, IAsyncLifetime
{
    private Guid usSchedule;
    private Guid euSchedule;
    private Guid fabrikamSchedule;

    public async Task InitializeAsync()
    {
        usSchedule = await fixture.CreateScheduleAsync(tenant: fixture.Demo.ContosoUs);
        euSchedule = await fixture.CreateScheduleAsync(tenant: fixture.Demo.ContosoEu);
        var fabrikam = await fixture.Schedules.CreateAsync(Actor.System("test"), fixture.Demo.FabrikamTenant, BackupFixture.Nightly());
        fabrikamSchedule = fabrikam.ScheduleId!.Value;
        // Creating a token is audited: every client exists before a test counts audit entries.
        foreach (var user in new[] { fixture.Demo.Owner, fixture.Demo.Operator, fixture.Demo.Readonly, fixture.Demo.Outsider })
        {
            var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(user, "test", 30);
            var client = fixture.App.CreateBrowserLikeClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            clients[user] = client;
        }
    }

    public Task DisposeAsync()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    private readonly Dictionary<Guid, HttpClient> clients = [];

    private HttpClient TokenClient(Guid userId) => clients[userId];

    private Task<long> RunsAsync() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs");

    private Task<long> AuditEntriesAsync() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries");

    private async Task<(HttpStatusCode Status, JsonObject Problem)> PostAsync(Guid userId, string body)
    {
        using var response = await TokenClient(userId).PostAsync("/api/operations", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadStarts() => new()
    {
        { "run_now without inputs", """{"type":"backup_schedule.run_now","tenantId":"US"}""", HttpStatusCode.BadRequest, "inputs.scheduleId is required" },
        { "run_now without scheduleId", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{}}""", HttpStatusCode.BadRequest, "inputs.scheduleId is required" },
        { "scheduleId null", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":null}}""", HttpStatusCode.BadRequest, "inputs.scheduleId is required" },
        { "scheduleId a number", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":123}}""", HttpStatusCode.BadRequest, "inputs.scheduleId must be a schedule id" },
        { "scheduleId an object", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":{"id":"US_SCHEDULE"}}}""", HttpStatusCode.BadRequest, "inputs.scheduleId must be a schedule id" },
        { "scheduleId not a GUID", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":"not-a-guid"}}""", HttpStatusCode.BadRequest, "inputs.scheduleId must be a schedule id" },
        { "scheduleId 2 KB", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":"LONG"}}""", HttpStatusCode.BadRequest, "inputs.scheduleId must be a schedule id" },
        { "an unknown input", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":"US_SCHEDULE","families":["all"]}}""", HttpStatusCode.BadRequest, "inputs.families is not an input" },
        { "an unknown schedule", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":"UNKNOWN"}}""", HttpStatusCode.NotFound, "No such backup schedule" },
        { "another tenant's schedule", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":"EU_SCHEDULE"}}""", HttpStatusCode.NotFound, "No such backup schedule" },
        { "another workspace's schedule", """{"type":"backup_schedule.run_now","tenantId":"US","inputs":{"scheduleId":"FABRIKAM_SCHEDULE"}}""", HttpStatusCode.NotFound, "No such backup schedule" },
        { "retry of nothing", """{"type":"backup_schedule.retry","tenantId":"US","inputs":{}}""", HttpStatusCode.BadRequest, "inputs.scheduleId is required" },
        { "retry without the run it retries", """{"type":"backup_schedule.retry","tenantId":"US","inputs":{"scheduleId":"US_SCHEDULE"}}""", HttpStatusCode.BadRequest, "names the failed run it retries" },
        { "retry of an unknown run", """{"type":"backup_schedule.retry","tenantId":"US","retryOfRunId":987654321}""", HttpStatusCode.NotFound, "No run #987654321" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_backup_start_with_bad_inputs_is_refused_and_writes_no_run_and_no_audit_entry(string why, string body, HttpStatusCode expected, string detail)
    {
        var runs = await RunsAsync();
        var audit = await AuditEntriesAsync();
        body = body.Replace("\"US\"", $"\"{fixture.Demo.ContosoUs}\"", StringComparison.Ordinal)
            .Replace("US_SCHEDULE", usSchedule.ToString(), StringComparison.Ordinal)
            .Replace("EU_SCHEDULE", euSchedule.ToString(), StringComparison.Ordinal)
            .Replace("FABRIKAM_SCHEDULE", fabrikamSchedule.ToString(), StringComparison.Ordinal)
            .Replace("UNKNOWN", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("LONG", new string('7', 2048), StringComparison.Ordinal);

        var (status, problem) = await PostAsync(fixture.Demo.Owner, body);

        status.Should().Be(expected, why);
        problem["detail"]!.GetValue<string>().Should().Contain(detail, why).And.NotContain("7777", "the answer never echoes a huge input");
        (await RunsAsync()).Should().Be(runs, $"{why}: a refused start creates no run");
        (await AuditEntriesAsync()).Should().Be(audit, $"{why}: a refused start writes no audit entry");
    }

    [Fact]
    public async Task Another_workspaces_schedule_answers_exactly_like_an_unknown_one()
    {
        var other = await PostAsync(fixture.Demo.Owner, $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{fixture.Demo.ContosoUs}}}","inputs":{"scheduleId":"{{{fabrikamSchedule}}}"}}""");
        var unknown = await PostAsync(fixture.Demo.Owner, $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{fixture.Demo.ContosoUs}}}","inputs":{"scheduleId":"{{{Guid.NewGuid()}}}"}}""");

        other.Status.Should().Be(HttpStatusCode.NotFound);
        unknown.Status.Should().Be(HttpStatusCode.NotFound);
        other.Problem["title"]!.GetValue<string>().Should().Be(unknown.Problem["title"]!.GetValue<string>());
        other.Problem["detail"]!.GetValue<string>().Should().Be(unknown.Problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Access_is_decided_before_inputs_a_caller_without_access_learns_nothing_about_them()
    {
        var body = $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{fixture.Demo.ContosoUs}}}","inputs":{"scheduleId":123}}""";

        (await PostAsync(fixture.Demo.Readonly, body)).Status.Should().Be(HttpStatusCode.Forbidden);
        (await PostAsync(fixture.Demo.Outsider, body)).Problem["detail"]!.GetValue<string>().Should().Contain("No such tenant");
    }

    [Fact]
    public async Task A_valid_run_now_and_a_retry_through_the_api_are_created()
    {
        var (status, created) = await PostAsync(fixture.Demo.Operator,
            $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{fixture.Demo.ContosoUs}}}","inputs":{"scheduleId":"{{{usSchedule}}}"}}""");
        status.Should().Be(HttpStatusCode.Created);
        var runId = created["id"]!.GetValue<long>();
        await fixture.Database.ExecuteAsync("UPDATE operations.operation_runs SET status = 'completed', outcome = 'failed', completed_at = now() WHERE id = $1", runId);

        var (retryStatus, retry) = await PostAsync(fixture.Demo.Operator,
            $$$"""{"type":"backup_schedule.retry","tenantId":"{{{fixture.Demo.ContosoUs}}}","retryOfRunId":{{{runId}}}}""");
        var (otherTenant, _) = await PostAsync(fixture.Demo.Operator,
            $$$"""{"type":"backup_schedule.retry","tenantId":"{{{fixture.Demo.ContosoEu}}}","retryOfRunId":{{{runId}}}}""");

        retryStatus.Should().Be(HttpStatusCode.Created, retry.ToJsonString());
        retry["retryOfRunId"]!.GetValue<long>().Should().Be(runId);
        retry["inputs"]!["scheduleId"]!.GetValue<string>().Should().Be(usSchedule.ToString(), "a retry repeats its run's inputs");
        otherTenant.Should().Be(HttpStatusCode.NotFound, "a run of another tenant is not one this start can retry");
    }

    [Theory]
    [InlineData("D")] // 3f2504e0-4f89-…, the stored spelling
    [InlineData("N")] // without hyphens
    [InlineData("B")] // in braces
    public async Task A_schedule_id_in_another_spelling_is_accepted_and_stored_in_the_one_its_history_finds(string format)
    {
        var given = usSchedule.ToString(format).ToUpperInvariant();

        var (status, created) = await PostAsync(fixture.Demo.Operator,
            $$$"""{"type":"backup_schedule.run_now","tenantId":"{{{fixture.Demo.ContosoUs}}}","inputs":{"scheduleId":"{{{given}}}"}}""");

        status.Should().Be(HttpStatusCode.Created, created.ToJsonString());
        created["inputs"]!["scheduleId"]!.GetValue<string>().Should().Be(usSchedule.ToString(), "the schedule's run history looks runs up by the lowercase id");
    }

    [Fact]
    public async Task Run_now_and_retry_from_the_pages_still_start()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 3, 8, 0, 0, TimeSpan.Zero));
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly(cron: "30 * * * *"), fixture.SchedulesAt(clock));
        clock.Advance(TimeSpan.FromHours(1));
        var missed = (await fixture.SchedulerAt(clock).TickAsync([schedule], CancellationToken.None)).Missed.Single();

        var runNow = await fixture.BackupRuns.RunNowAsync(fixture.Demo.Owner, schedule);
        var retry = await fixture.BackupRuns.RetryAsync(fixture.Demo.Owner, missed);

        runNow.Started.Should().BeTrue(runNow.Message);
        retry.Started.Should().BeTrue(retry.Message);
    }

    [Fact]
    public async Task The_backup_job_reads_a_stored_schedule_id_of_the_wrong_shape_as_missing_and_fails_with_invalid_input()
    {
        var run = new FakeRunContext(OperationTypes.BackupRunNow, fixture.Demo.Contoso, fixture.Demo.ContosoUs, usSchedule);
        run.Inputs["scheduleId"] = 123;
        await using var scope = fixture.App.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredKeyedService<IOperationJob>(OperationTypes.BackupRunNow).RunAsync(run, CancellationToken.None);

        result.Should().Be(OperationJobResult.Failed);
        run.Failures.Should().ContainSingle().Which.Code.Should().Be("invalid_input");
    }

    public static TheoryData<string, string, string, string> OddRuns() => new()
    {
        // The run of the issue: stored before inputs were checked.
        { "a number", """{"scheduleId":123}""", "{}", "[]" },
        { "nested", """{"scheduleId":{"id":[1,2,{"x":null}]},"other":true}""", "{}", "[]" },
        { "null", """{"scheduleId":null}""", "{}", "[]" },
        { "not an object", "[1,2,3]", "{}", "[]" },
        { "a string", "\"just text\"", "{}", "[]" },
        { "huge", "{\"scheduleId\":\"" + new string('x', 20_000) + "\"}", "{}", "[]" },
        { "odd counts and failures", """{"scheduleId":"not-a-guid"}""", """{"total":"many","processed":1.5,"failed":2}""",
            """[{"code":"InvalidOperationException","message":"old","at":"2026-01-01T00:00:00Z"},{"code":7},"just text",null]""" },
    };

    [Theory]
    [MemberData(nameof(OddRuns))]
    public async Task Any_stored_run_opens_in_the_viewer_and_the_api(string why, string inputs, string summary, string failures)
    {
        var runId = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO operations.operation_runs
                (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
                 initiator_kind, initiator_user_id, initiator_label, created_at, started_at, completed_at)
            VALUES ($1, $2, 'backup_schedule.run_now', 'completed', 'failed', 'unique_per_click', 'backup_schedule.run_now|click:' || gen_random_uuid(), '{}',
                    $3::jsonb, $4::jsonb, $5::jsonb, 'user', $6, 'owner@demo.test', now(), now(), now())
            RETURNING id
            """, fixture.Demo.Contoso, fixture.Demo.ContosoUs, inputs, summary, failures, fixture.Demo.Owner);
        var browser = await fixture.SignedInAsync("operator@demo.test");
        var api = TokenClient(fixture.Demo.Operator);

        var page = await browser.GetAsync($"/admin/operations/{runId}");
        var dto = await api.GetAsync($"/api/operations/{runId}");

        page.StatusCode.Should().Be(HttpStatusCode.OK, why);
        (await page.Content.ReadAsStringAsync()).Should().Contain($"Run #{runId}", why);
        dto.StatusCode.Should().Be(HttpStatusCode.OK, why);
        (await dto.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>().Should().Be(runId, why);
    }

    [Fact]
    public async Task The_viewer_shows_an_input_of_an_unexpected_shape_as_json()
    {
        var runId = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO operations.operation_runs
                (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
                 initiator_kind, initiator_user_id, initiator_label, created_at)
            VALUES ($1, $2, 'backup_schedule.run_now', 'completed', 'failed', 'unique_per_click', 'backup_schedule.run_now|click:' || gen_random_uuid(), '{}',
                    '{"scheduleId":123}'::jsonb, '{}'::jsonb, '[]'::jsonb, 'user', $3, 'owner@demo.test', now())
            RETURNING id
            """, fixture.Demo.Contoso, fixture.Demo.ContosoUs, fixture.Demo.Owner);
        var browser = await fixture.SignedInAsync("owner@demo.test");

        var html = await (await browser.GetAsync($"/admin/operations/{runId}")).Content.ReadAsStringAsync();

        html.Should().Contain("scheduleId").And.Contain("<code>123</code>");
    }
}
