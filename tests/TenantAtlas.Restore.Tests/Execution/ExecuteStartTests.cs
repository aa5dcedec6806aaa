using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Execution;

/// <summary>
/// Issue 13, item 2: who may start restore.execute (through IRestoreExecutions and the runs API) and when it is refused —
/// with a message and nothing written (no run, no ledger row, no audit entry).
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class ExecuteStartTests(RestoreFixture fixture)
{
    private const string Configs = GraphResourceKeys.DeviceConfigurations;

    private readonly ExecuteSupport support = new(fixture);

    /// <summary>A tenant with one changed policy, backed up, and <paramref name="requests"/> planned requests of that set.</summary>
    private async Task<(Guid Tenant, string EmulatedId, List<(Guid Request, Guid Plan)> Requests)> PlannedAsync(int requests = 1)
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Policies = 6);
        // Without the groups in the directory cache every assignment's group is unresolved and blocks its item.
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs);
        emulated.Update(Configs, emulated.Ids(Configs)[0], new JsonObject { ["description"] = "changed in the portal" });
        var planned = new List<(Guid, Guid)>();
        for (var i = 0; i < requests; i++)
        {
            var requestId = await support.RequestAsync(set.Id, tenantId, Configs);
            planned.Add((requestId, (await support.PlanAsync(requestId)).Id));
        }

        return (tenantId, emulated.TenantId, planned);
    }

    private async Task<HttpClient> TokenClientAsync(Guid userId)
    {
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(userId, "test", 1);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private static JsonObject ApiBody(Guid tenantId, Guid requestId) =>
        new() { ["type"] = OperationTypes.RestoreExecute, ["tenantId"] = tenantId.ToString(), ["inputs"] = new JsonObject { ["restoreRequestId"] = requestId.ToString() } };

    private Task<long> ExecuteAuditsAsync(Guid tenantId) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE tenant_id = $1 AND action = $2", tenantId, RestoreAuditActions.ExecuteStarted);

    private async Task ShouldBeRefusedAsync(Guid tenantId, Guid requestId, Guid planId, string because, params string[] messageParts)
    {
        var runs = await support.ExecuteRunsAsync(tenantId);
        var audits = await ExecuteAuditsAsync(tenantId);
        var ledger = await support.LedgerRowsAsync(requestId);

        var refused = await support.Executions.ExecuteAsync(fixture.Demo.Owner, requestId, planId);
        using var api = await TokenClientAsync(fixture.Demo.Owner);
        var answer = await api.PostAsJsonAsync("/api/operations", ApiBody(tenantId, requestId));

        refused.Decision.Should().Be(AccessDecision.Allowed, because);
        refused.Ok.Should().BeFalse(because);
        refused.Error.Should().ContainAll(messageParts);
        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest, because + " (the runs API)");
        (await answer.Content.ReadAsStringAsync()).Should().ContainAll(messageParts);
        (await support.ExecuteRunsAsync(tenantId)).Should().Be(runs, because + ": no run is written");
        (await ExecuteAuditsAsync(tenantId)).Should().Be(audits);
        (await support.LedgerRowsAsync(requestId)).Should().Be(ledger);
    }

    [Fact]
    public async Task A_stale_plan_an_older_plan_a_blocked_write_a_cancelled_request_and_an_active_execute_are_refused_and_nothing_is_written()
    {
        var (tenantId, emulatedId, requests) = await PlannedAsync(5);

        // Stale: older than Restore:PlanMaxAge.
        var (stale, stalePlan) = requests[0];
        await fixture.Database.ExecuteAsync("UPDATE restore.restore_plans SET created_at = created_at - interval '2 hours' WHERE id = $1", stalePlan);
        await ShouldBeRefusedAsync(tenantId, stale, stalePlan, "the plan is stale", "stale", "older than");

        // Not the newest plan: planned again after the review.
        var (replanned, olderPlan) = requests[1];
        var newer = await support.PlanAsync(replanned);
        newer.Id.Should().NotBe(olderPlan);
        var old = await support.Executions.ExecuteAsync(fixture.Demo.Owner, replanned, olderPlan);
        old.Ok.Should().BeFalse();
        old.Error.Should().Contain("not the request's newest plan");
        (await support.ExecuteRunsAsync(tenantId)).Should().Be(0);

        // The plan has an unresolved reference (its item is blocked): nothing of the plan is executed until the admin
        // maps or drops it, not even the items it does not hold.
        var (blocked, blockedPlan) = requests[2];
        await fixture.Database.ExecuteAsync(
            """UPDATE restore.restore_plan_items SET action = 'Blocked', blockers = '[{"kind":"Group","sourceId":"0f0f0f0f-0000-0000-0000-000000000000"}]'::jsonb WHERE plan_id = $1 AND action = 'Update'""",
            blockedPlan);
        await fixture.Database.ExecuteAsync(
            """UPDATE restore.restore_plans SET "references" = "references" || '[{"kind":"Group","sourceId":"0f0f0f0f-0000-0000-0000-000000000000","sourceDisplayName":null,"resolution":"Unresolved","targetId":null,"targetDisplayName":null,"candidates":[],"usedBy":1}]'::jsonb WHERE id = $1""",
            blockedPlan);
        await ShouldBeRefusedAsync(tenantId, blocked, blockedPlan, "an unresolved reference blocks a write", "Unresolved references", "0f0f0f0f-0000-0000-0000-000000000000");

        // Cancelled.
        var (cancelled, cancelledPlan) = requests[3];
        (await fixture.Requests.CancelAsync(fixture.Demo.Owner, cancelled)).Ok.Should().BeTrue();
        await ShouldBeRefusedAsync(tenantId, cancelled, cancelledPlan, "the request is cancelled", "cancelled");

        // An execute of the request is running: a second start is refused (held by slow Graph reads in the emulator).
        var (active, activePlan) = requests[4];
        fixture.Emulator.AddFault(FaultSpec.Latency("*", 1500, emulatedId));
        try
        {
            var first = await support.Executions.ExecuteAsync(fixture.Demo.Owner, active, activePlan);
            first.Ok.Should().BeTrue(first.Error);
            await ShouldBeRefusedAsync(tenantId, active, activePlan, "an execute is active", "already being executed", $"#{first.Value!.Run!.Id}");
            fixture.Emulator.ClearFaults(emulatedId);
            (await fixture.WaitForCompletionAsync(first.Value.Run.Id, 120)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        }
        finally
        {
            fixture.Emulator.ClearFaults(emulatedId);
        }

        (await support.ExecuteRunsAsync(tenantId)).Should().Be(1, "only the one allowed execute ran");
    }

    [Fact]
    public async Task Owner_and_manager_may_execute_operator_and_readonly_are_forbidden_outsiders_learn_nothing_through_the_service_and_the_api()
    {
        // Two tenants: an execute changes its target, which would make a second plan of the same target stale.
        var (tenantId, _, requests) = await PlannedAsync();
        var (apiTenant, _, apiRequests) = await PlannedAsync();
        var (request, plan) = requests[0];
        var manager = await fixture.App.Services.GetRequiredService<IAccessAdministration>().EnsureUserAsync("manager-execute@demo.test", SignIn.DemoPassword, false);
        await fixture.App.Services.GetRequiredService<IAccessAdministration>().EnsureMembershipAsync(fixture.Demo.Contoso, manager, WorkspaceRole.Manager);

        foreach (var (user, decision) in new[] { (fixture.Demo.Operator, AccessDecision.Forbidden), (fixture.Demo.Readonly, AccessDecision.Forbidden), (fixture.Demo.Outsider, AccessDecision.NotFound) })
        {
            var result = await support.Executions.ExecuteAsync(user, request, plan);
            result.Decision.Should().Be(decision);
            using var api = await TokenClientAsync(user);
            var answer = await api.PostAsJsonAsync("/api/operations", ApiBody(tenantId, request));
            answer.StatusCode.Should().Be(decision == AccessDecision.Forbidden ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound);
        }

        (await support.ExecuteRunsAsync(tenantId)).Should().Be(0, "a denied start writes nothing");

        // The request given twice, differently: refused before anything else.
        using (var twice = await TokenClientAsync(fixture.Demo.Owner))
        {
            var body = ApiBody(tenantId, request);
            body["restoreRequestId"] = Guid.NewGuid().ToString();
            var answer = await twice.PostAsJsonAsync("/api/operations", body);
            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await answer.Content.ReadAsStringAsync()).Should().Contain("give it once");
        }

        var byManager = await support.Executions.ExecuteAsync(manager, request, plan);
        byManager.Ok.Should().BeTrue(byManager.Error);
        byManager.Value!.Created.Should().BeTrue();
        (await fixture.WaitForCompletionAsync(byManager.Value.Run!.Id, 120)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE tenant_id = $1 AND action = $2 AND actor_user_id = $3",
            tenantId, RestoreAuditActions.ExecuteStarted, manager)).Should().Be(1);

        // The runs API starts it with the request as an input, for the newest plan, and the run names that plan.
        using var owner = await TokenClientAsync(fixture.Demo.Owner);
        var (apiRequest, apiPlan) = apiRequests[0];
        var started = await owner.PostAsJsonAsync("/api/operations", ApiBody(apiTenant, apiRequest));
        started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        var run = await fixture.WaitForCompletionAsync(runId, 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        run.RestoreRequestId.Should().Be(apiRequest);
        run.Inputs.GetGuid("planId").Should().Be(apiPlan);
        run.Count(OperationSummaryKeys.Updated).Should().Be(1);
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, apiRequest)).Value!.ExecuteRunId.Should().Be(runId);
    }
}
