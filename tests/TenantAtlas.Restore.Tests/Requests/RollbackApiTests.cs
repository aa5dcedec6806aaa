using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Restore.Tests.Execution;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>
/// <c>POST /api/restores/{id}/rollback</c> on a request executed for real: the owner gets the rollback request (201, the
/// same one again), the rest the usual 403/404, a request with nothing to roll back a 409 with the reason; a refusal writes nothing.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class RollbackApiTests(RestoreFixture fixture)
{
    private const string Configs = GraphResourceKeys.DeviceConfigurations;

    private readonly ExecuteSupport support = new(fixture);

    private async Task<HttpClient> TokenClientAsync(Guid userId)
    {
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(userId, "test", 1);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private Task<long> RequestsAsync() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_requests");

    [Fact]
    public async Task Rollback_answers_201_with_the_same_request_twice_403_to_operator_and_readonly_404_to_outsiders_and_unknown_ids_and_409_with_the_reason()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var set = await fixture.BackupAsync(tenantId, Configs);
        emulated.Update(Configs, emulated.Ids(Configs)[0], new JsonObject { ["description"] = "changed in the portal" });
        var executedId = await support.RequestAsync(set.Id, tenantId, Configs);
        var plan = await support.PlanAsync(executedId);
        (await support.ExecuteAsync(executedId, plan.Id)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var neverId = await support.RequestAsync(set.Id, tenantId, Configs);
        var before = await RequestsAsync();

        foreach (var (user, expected) in new[]
        {
            (fixture.Demo.Operator, HttpStatusCode.Forbidden),
            (fixture.Demo.Readonly, HttpStatusCode.Forbidden),
            (fixture.Demo.Outsider, HttpStatusCode.NotFound),
        })
        {
            using var api = await TokenClientAsync(user);
            (await api.PostAsync($"/api/restores/{executedId}/rollback", null)).StatusCode.Should().Be(expected, user.ToString());
        }

        using var owner = await TokenClientAsync(fixture.Demo.Owner);
        (await owner.PostAsync($"/api/restores/{Guid.NewGuid()}/rollback", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.PostAsync("/api/restores/not-a-guid/rollback", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var never = await owner.PostAsync($"/api/restores/{neverId}/rollback", null);
        never.StatusCode.Should().Be(HttpStatusCode.Conflict);
        never.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await never.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().Should().Be("The request was never executed: there is nothing to roll back.");
        (await RequestsAsync()).Should().Be(before, "a refused rollback writes nothing");

        var created = await owner.PostAsync($"/api/restores/{executedId}/rollback", null);

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var rollback = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var rollbackId = rollback["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().Should().Be($"/api/restores/{rollbackId}");
        rollback["rollbackOfRequestId"]!.GetValue<Guid>().Should().Be(executedId);
        rollback["targetTenantId"]!.GetValue<Guid>().Should().Be(tenantId);
        rollback["planRunId"]!.GetValue<long>().Should().BePositive("the rollback is planned at once");
        (await RequestsAsync()).Should().Be(before + 1);

        var again = await owner.PostAsync($"/api/restores/{executedId}/rollback", null);

        again.StatusCode.Should().Be(HttpStatusCode.Created);
        (await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>().Should().Be(rollbackId, "a request has one rollback");
        (await RequestsAsync()).Should().Be(before + 1);
        (await fixture.WaitForCompletionAsync(rollback["planRunId"]!.GetValue<long>(), 120)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
    }
}
