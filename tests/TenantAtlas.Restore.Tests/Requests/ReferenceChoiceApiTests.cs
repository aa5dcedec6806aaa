using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>
/// <c>POST /api/restores/{id}/references</c>: automation answers the plan's dependency map like the page — notification
/// templates and reusable settings included — and a wrong kind, action or target is a 400 that says what is accepted.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class ReferenceChoiceApiTests(RestoreFixture fixture)
{
    private async Task<HttpClient> TokenClientAsync(Guid userId)
    {
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(userId, "test", 1);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private Task<long> ChoicesAsync(Guid requestId) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_reference_choices WHERE request_id = $1", requestId);

    [Fact]
    public async Task A_notification_template_is_mapped_and_dropped_through_the_api_and_a_bad_kind_or_target_is_a_400_that_writes_nothing()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => { s.Groups = 0; s.FamilyCounts = new() { [GraphResourceKeys.CompliancePolicies] = 6 }; });
        var set = await fixture.BackupAsync(tenantId, GraphResourceKeys.CompliancePolicies);
        var created = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(set.Id, tenantId, [GraphResourceKeys.CompliancePolicies], []));
        created.Ok.Should().BeTrue(created.Error);
        var requestId = created.Value!.Id;
        var started = await fixture.Requests.PlanAsync(fixture.Demo.Owner, requestId);
        (await fixture.WaitForCompletionAsync(started.Value!.Run!.Id, 120)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        var planJson = await fixture.Database.ScalarAsync<string>("SELECT \"references\"::text FROM restore.restore_plans WHERE request_id = $1", requestId);
        var template = PlanJson.Read<List<PlanReference>>(planJson, []).First(r => r.Kind == ReferenceKind.NotificationTemplate);
        template.Resolution.Should().Be(ReferenceResolution.SameId, "a same-tenant restore finds the template under its id");
        var other = emulated.Ids(GraphResourceKeys.NotificationMessageTemplates).First(id => !string.Equals(id, template.SourceId, StringComparison.OrdinalIgnoreCase));
        using var api = await TokenClientAsync(fixture.Demo.Owner);
        var url = $"/api/restores/{requestId}/references";

        async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(JsonObject body)
        {
            var response = await api.PostAsJsonAsync(url, body);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
        }

        var badKind = await PostAsync(new JsonObject { ["kind"] = "emailTemplate", ["sourceId"] = template.SourceId, ["action"] = "drop" });
        badKind.Status.Should().Be(HttpStatusCode.BadRequest);
        badKind.Body["detail"]!.GetValue<string>().Should().Contain("'kind' must be one of").And.Contain("notificationTemplate").And.Contain("reusableSetting").And.Contain("'emailTemplate'");
        var notInPlan = await PostAsync(new JsonObject { ["kind"] = "reusableSetting", ["sourceId"] = template.SourceId, ["action"] = "drop" });
        notInPlan.Status.Should().Be(HttpStatusCode.BadRequest);
        notInPlan.Body["detail"]!.GetValue<string>().Should().Contain("not part of the request's plan");
        var unknownTarget = await PostAsync(new JsonObject { ["kind"] = "notificationTemplate", ["sourceId"] = template.SourceId, ["action"] = "map", ["targetId"] = "no-such-template" });
        unknownTarget.Status.Should().Be(HttpStatusCode.BadRequest);
        unknownTarget.Body["detail"]!.GetValue<string>().Should().Be("Pick a notification template the plan read from the target tenant.");
        var noTarget = await PostAsync(new JsonObject { ["kind"] = "notificationTemplate", ["sourceId"] = template.SourceId, ["action"] = "map" });
        noTarget.Status.Should().Be(HttpStatusCode.BadRequest);
        (await ChoicesAsync(requestId)).Should().Be(0, "a refused choice writes nothing");

        var mapped = await PostAsync(new JsonObject { ["kind"] = "NotificationTemplate", ["sourceId"] = template.SourceId, ["action"] = "map", ["targetId"] = other });
        mapped.Status.Should().Be(HttpStatusCode.OK, mapped.Body.ToJsonString());
        var view = (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!;
        view.ReferenceChoices.Should().ContainSingle().Which.Should().Match<ReferenceChoiceView>(c =>
            c.Kind == ReferenceKind.NotificationTemplate && c.Action == ReferenceAction.Map && c.TargetId == other
            && c.TargetDisplayName == emulated.Get(GraphResourceKeys.NotificationMessageTemplates, other)!["displayName"]!.GetValue<string>());
        var dropped = await PostAsync(new JsonObject { ["kind"] = "notificationTemplate", ["sourceId"] = template.SourceId, ["action"] = "drop" });
        dropped.Status.Should().Be(HttpStatusCode.OK);
        (await fixture.Requests.GetAsync(fixture.Demo.Owner, requestId)).Value!.ReferenceChoices.Single().Action.Should().Be(ReferenceAction.Drop);

        (await api.PostAsJsonAsync($"/api/restores/{Guid.NewGuid()}/references", new JsonObject { ["kind"] = "notificationTemplate", ["sourceId"] = "x", ["action"] = "drop" }))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
