using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Control;

public sealed class ControlApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    private static object NewTenantBody(string tenantId, string appId, string secret, params string[] permissions) => new
    {
        tenantId,
        displayName = "Contoso (control API)",
        domain = $"c{tenantId[..8]}.onmicrosoft.com",
        appId,
        appSecret = secret,
        permissions = permissions.Length == 0 ? null : permissions,
        seed = 7,
        groups = 25,
        policies = 16,
    };

    [Fact]
    public async Task A_tenant_created_over_http_serves_graph_to_its_app()
    {
        using var control = Host.CreateClient();
        var (tenantId, appId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        using var created = await control.PostAsJsonAsync("_emulator/tenants", NewTenantBody(tenantId, appId, "pa55"));
        var summary = await created.ReadJsonAsync();
        var credential = GraphSdk.Credential(Host, tenantId, appId, "pa55");
        var token = await credential.GetTokenAsync(new TokenRequestContext(GraphSdk.Scopes), default);
        using var graph = Host.CreateClient();
        graph.DefaultRequestHeaders.Authorization = new("Bearer", token.Token);
        var groups = await graph.GetJsonAsync("v1.0/groups");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        summary["counts"]!["groups"]!.GetValue<int>().Should().Be(25);
        summary.ContainsKey("appSecret").Should().BeFalse();
        groups.Values().Should().HaveCount(25);
    }

    [Fact]
    public async Task Faults_are_scripted_listed_and_cleared_over_http()
    {
        var tenant = fixture.NewTenant();
        using var control = Host.CreateClient();
        using var graph = Host.CreateClient(tenant.TenantId);

        using var added = await control.PostAsJsonAsync("_emulator/faults", new { tenantId = tenant.TenantId, pattern = "/v1.0/groups*", status = 429, retryAfterSeconds = 3, times = 1 });
        using var throttled = await graph.GetAsync("v1.0/groups");
        using var recovered = await graph.GetAsync("v1.0/groups");
        var rules = await control.GetFromJsonAsync<JsonArray>("_emulator/faults");
        using var cleared = await control.DeleteAsync($"_emulator/faults?tenantId={tenant.TenantId}");

        added.StatusCode.Should().Be(HttpStatusCode.Created);
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
        recovered.StatusCode.Should().Be(HttpStatusCode.OK);
        rules!.Should().Contain(r => r!["spec"]!["tenantId"]!.GetValue<string>() == tenant.TenantId && r["hits"]!.GetValue<int>() == 1 && r["remaining"]!.GetValue<int>() == 0);
        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Host.State.FaultRules.Should().NotContain(r => r.Spec.TenantId == tenant.TenantId);
    }

    [Fact]
    public async Task Data_mutations_over_http_show_in_graph_and_delta()
    {
        var tenant = fixture.NewTenant();
        using var control = Host.CreateClient();
        using var graph = Host.CreateClient(tenant.TenantId);
        var latest = await graph.GetJsonAsync("v1.0/groups/delta?$deltatoken=latest");
        var victim = tenant.Ids(GraphFamilies.Groups)[0];
        var renamed = tenant.Ids(GraphFamilies.Groups)[1];

        using var group = await control.PostAsJsonAsync($"_emulator/tenants/{tenant.TenantId}/data/groups", new { displayName = "SG-From-Control" });
        using var rename = await control.PatchAsJsonAsync($"_emulator/tenants/{tenant.TenantId}/data/groups/{renamed}", new { displayName = "SG-Renamed-By-Control" });
        using var delete = await control.DeleteAsync($"_emulator/tenants/{tenant.TenantId}/data/groups/{victim}?permanent=true");
        using var policy = await control.PostAsJsonAsync($"_emulator/tenants/{tenant.TenantId}/data/configurationPolicies", new { displayName = "SC - From Control" });
        using var typed = await control.PostAsJsonAsync($"_emulator/tenants/{tenant.TenantId}/data/deviceConfigurations",
            new { displayName = "iOS - From Control", odataType = "#microsoft.graph.iosGeneralDeviceConfiguration" });
        var changes = await graph.GetJsonAsync(latest["@odata.deltaLink"].Str());
        var policies = await graph.GetJsonAsync("beta/deviceManagement/configurationPolicies?$filter=name eq 'SC - From Control'");

        group.StatusCode.Should().Be(HttpStatusCode.Created);
        rename.StatusCode.Should().Be(HttpStatusCode.OK);
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        policy.StatusCode.Should().Be(HttpStatusCode.Created);
        changes.Values().Should().HaveCount(3);
        changes.Values().Should().Contain(c => c!["displayName"] != null && c["displayName"]!.GetValue<string>() == "SG-Renamed-By-Control");
        changes.Values().Should().Contain(c => c!["id"]!.GetValue<string>() == victim && c["@removed"]!["reason"]!.GetValue<string>() == "deleted");
        policies.Values().Should().ContainSingle();
        var created = await typed.ReadJsonAsync();
        created["@odata.type"].Str().Should().Be("#microsoft.graph.iosGeneralDeviceConfiguration");
        created["displayName"].Str().Should().Be("iOS - From Control");
        created.ContainsKey("assignments").Should().BeFalse();
    }

    [Fact]
    public async Task The_request_log_tells_what_was_called_and_can_be_cleared()
    {
        var tenant = fixture.NewTenant();
        using var control = Host.CreateClient();
        using var graph = Host.CreateClient(tenant.TenantId);
        var request = new HttpRequestMessage(HttpMethod.Get, "beta/deviceManagement/roleScopeTags?$top=2");
        request.Headers.Add("client-request-id", "log-me");
        using var _ = await graph.SendAsync(request);

        var log = await control.GetFromJsonAsync<JsonArray>($"_emulator/requests?tenantId={tenant.TenantId}");
        var entry = log!.Single()!;
        using var cleared = await control.DeleteAsync("_emulator/requests");

        entry["kind"]!.GetValue<string>().Should().Be("graph");
        entry["method"]!.GetValue<string>().Should().Be("GET");
        entry["pathAndQuery"]!.GetValue<string>().Should().Be("/beta/deviceManagement/roleScopeTags?$top=2");
        entry["tenantId"]!.GetValue<string>().Should().Be(tenant.TenantId);
        entry["status"]!.GetValue<int>().Should().Be(200);
        entry["isBatchItem"]!.GetValue<bool>().Should().BeFalse();
        entry["clientRequestId"]!.GetValue<string>().Should().Be("log-me");
        entry["timestamp"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Host.RequestLog(tenant.TenantId).Should().BeEmpty();
    }

    [Fact]
    public async Task Permissions_expiry_and_reset_are_scriptable_over_http()
    {
        var tenant = fixture.NewTenant();
        using var control = Host.CreateClient();
        using var oldToken = Host.CreateClient(tenant.TenantId);
        var delta = await oldToken.GetJsonAsync("v1.0/groups/delta?$deltatoken=latest");
        tenant.AddGroup("SG-Before-Reset");

        using var permissions = await control.PutAsJsonAsync($"_emulator/tenants/{tenant.TenantId}/permissions", new { permissions = new[] { GraphPermissions.GroupRead } });
        using var newToken = Host.CreateClient(tenant.TenantId);
        using var forbidden = await newToken.GetAsync("beta/deviceManagement/deviceConfigurations");
        using var expire = await control.PostAsync($"_emulator/tenants/{tenant.TenantId}/delta/expire", null);
        using var gone = await newToken.GetAsync(delta["@odata.deltaLink"].Str());
        using var reset = await control.PostAsync($"_emulator/tenants/{tenant.TenantId}/reset", null);

        permissions.StatusCode.Should().Be(HttpStatusCode.OK);
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        expire.StatusCode.Should().Be(HttpStatusCode.NoContent);
        gone.StatusCode.Should().Be(HttpStatusCode.Gone);
        reset.StatusCode.Should().Be(HttpStatusCode.OK);
        Host.Tenant(tenant.TenantId).List(GraphFamilies.Groups).Should().NotContain(g => g["displayName"]!.GetValue<string>() == "SG-Before-Reset");
    }

    [Fact]
    public async Task Control_api_reports_bad_input_and_unknown_tenants()
    {
        using var control = Host.CreateClient();

        using var unknown = await control.GetAsync($"_emulator/tenants/{Guid.NewGuid()}");
        using var badFamily = await control.GetAsync($"_emulator/tenants/{fixture.NewTenant().TenantId}/data/nonsense");
        using var badRegex = await control.PostAsJsonAsync("_emulator/faults", new { pattern = "([", isRegex = true, status = 429 });
        var info = await control.GetJsonAsync("_emulator");
        using var pem = await control.GetAsync("_emulator/certificate");

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        badFamily.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        badRegex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        info["certificateThumbprint"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        (await pem.Content.ReadAsStringAsync()).Should().StartWith("-----BEGIN CERTIFICATE-----");
    }
}
