using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>
/// Issue 12, item 8: the plan run follows the run rules by its type's capability (tenant.restore.execute) — in the
/// viewer and in the API — and the API starts restore.plan only for a request into the named tenant.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class PlanRunAccessTests(RestoreFixture fixture)
{
    private async Task<(Guid RequestId, Guid Tenant, OperationRunView Run)> PlannedAsync()
    {
        var (_, tenant) = await fixture.NewTenantAsync();
        var set = await fixture.BackupAsync(tenant, GraphResourceKeys.DeviceConfigurations);
        var created = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(set.Id, tenant, [GraphResourceKeys.DeviceConfigurations], []));
        created.Ok.Should().BeTrue(created.Error);
        var started = await fixture.Requests.PlanAsync(fixture.Demo.Owner, created.Value!.Id);
        return (created.Value.Id, tenant, await fixture.WaitForCompletionAsync(started.Value!.Run!.Id, 120));
    }

    private async Task<HttpClient> TokenClientAsync(Guid userId)
    {
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(userId, "test", 1);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    [Fact]
    public async Task The_plan_run_is_seen_by_owner_and_manager_forbidden_to_operator_and_readonly_unknown_to_outsiders()
    {
        var (_, _, run) = await PlannedAsync();
        var manager = await fixture.App.Services.GetRequiredService<IAccessAdministration>().EnsureUserAsync("manager-planrun@demo.test", SignIn.DemoPassword, false);
        await fixture.App.Services.GetRequiredService<IAccessAdministration>().EnsureMembershipAsync(fixture.Demo.Contoso, manager, WorkspaceRole.Manager);
        var cases = new (string Email, Guid User, HttpStatusCode Expected)[]
        {
            ("owner@demo.test", fixture.Demo.Owner, HttpStatusCode.OK),
            ("manager-planrun@demo.test", manager, HttpStatusCode.OK),
            ("operator@demo.test", fixture.Demo.Operator, HttpStatusCode.Forbidden),
            ("readonly@demo.test", fixture.Demo.Readonly, HttpStatusCode.Forbidden),
            ("outsider@demo.test", fixture.Demo.Outsider, HttpStatusCode.NotFound),
        };

        foreach (var (email, user, expected) in cases)
        {
            using var viewer = await fixture.SignedInAsync(email);
            var page = await viewer.GetAsync($"/admin/operations/{run.Id}");
            page.StatusCode.Should().Be(expected, $"{email} opens the plan run in the viewer");
            using var api = await TokenClientAsync(user);
            var answer = await api.GetAsync($"/api/operations/{run.Id}");
            answer.StatusCode.Should().Be(expected, $"{email} reads the plan run through the API");
        }
    }

    [Fact]
    public async Task The_api_starts_a_plan_for_a_request_into_its_tenant_and_refuses_anything_else_before_a_run_exists()
    {
        var (requestId, tenant, first) = await PlannedAsync();
        var (_, otherTenant, _) = await PlannedAsync();
        using var api = await TokenClientAsync(fixture.Demo.Owner);
        long RunsOf() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE type = 'restore.plan'").GetAwaiter().GetResult();
        var before = RunsOf();

        var missing = await api.PostAsJsonAsync("/api/operations", new JsonObject { ["type"] = "restore.plan", ["tenantId"] = tenant.ToString() });
        var wrongTenant = await api.PostAsJsonAsync("/api/operations",
            new JsonObject { ["type"] = "restore.plan", ["tenantId"] = otherTenant.ToString(), ["restoreRequestId"] = requestId.ToString() });
        var unknown = await api.PostAsJsonAsync("/api/operations",
            new JsonObject { ["type"] = "restore.plan", ["tenantId"] = tenant.ToString(), ["restoreRequestId"] = Guid.NewGuid().ToString() });

        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("restore request");
        wrongTenant.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        RunsOf().Should().Be(before, "a refused start writes nothing");

        var again = await api.PostAsJsonAsync("/api/operations",
            new JsonObject { ["type"] = "restore.plan", ["tenantId"] = tenant.ToString(), ["restoreRequestId"] = requestId.ToString() });
        again.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted);
        var body = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        body["type"]!.GetValue<string>().Should().Be("restore.plan");
        body["id"]!.GetValue<long>().Should().NotBe(first.Id, "the first plan run is completed: planning again is a new run");
        var done = await fixture.WaitForCompletionAsync(body["id"]!.GetValue<long>(), 120);
        done.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.PlanRunId.Should().Be(done.Id, "a plan started through the API is the request's plan too");
    }
}
