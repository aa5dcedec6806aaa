using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models.ODataErrors;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

public sealed class ErrorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task Unknown_group_is_a_directory_404_the_sdk_parses_with_request_ids()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);
        var id = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Groups[id].GetAsync(r => r.Headers.Add("client-request-id", "c0ffee00-0000-0000-0000-000000000001")));

        error.ResponseStatusCode.Should().Be(404);
        error.Error!.Code.Should().Be("Request_ResourceNotFound");
        error.Error.Message.Should().Be($"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
        error.Error.InnerError!.RequestId.Should().NotBeNullOrEmpty();
        error.Error.InnerError.ClientRequestId.Should().Be("c0ffee00-0000-0000-0000-000000000001");
        error.ResponseHeaders["request-id"].Should().Equal(error.Error.InnerError.RequestId);
        Host.RequestLog(tenant.TenantId).Should().Contain(e => e.ClientRequestId == "c0ffee00-0000-0000-0000-000000000001" && e.Status == 404);
    }

    [Fact]
    public async Task Unknown_intune_object_is_a_404_with_a_json_message()
    {
        var tenant = fixture.NewTenant();
        var client = GraphSdk.Client(Host, tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.DeviceManagement.DeviceConfigurations[Guid.NewGuid().ToString()].GetAsync());

        error.ResponseStatusCode.Should().Be(404);
        error.Error!.Code.Should().Be("ResourceNotFound");
        var message = JsonNode.Parse(error.Error.Message!)!;
        message["_version"]!.GetValue<int>().Should().Be(3);
        message["Message"].Str().Should().Contain($"Activity ID: {error.Error.InnerError!.RequestId}");
    }

    [Fact]
    public async Task Errors_are_json_and_echo_the_client_request_id_in_headers()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient(tenant.TenantId);
        var request = new HttpRequestMessage(HttpMethod.Get, $"v1.0/groups/{Guid.NewGuid()}");
        request.Headers.Add("client-request-id", "abc-123");

        using var response = await client.SendAsync(request);
        var body = await response.ReadJsonAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Headers.GetValues("client-request-id").Should().Equal("abc-123");
        var requestId = response.Headers.GetValues("request-id").Single();
        body["error"]!["innerError"]!["request-id"].Str().Should().Be(requestId);
        body["error"]!["innerError"]!["client-request-id"].Str().Should().Be("abc-123");
        body["error"]!["innerError"]!["date"].Str().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$");
    }

    [Fact]
    public async Task Missing_or_forged_tokens_get_401_InvalidAuthenticationToken()
    {
        var tenant = fixture.NewTenant();
        using var anonymous = Host.CreateClient();
        using var forged = Host.CreateClient();
        var token = Host.IssueAccessToken(tenant.TenantId);
        forged.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + "AAAA");

        using var missing = await anonymous.GetAsync("v1.0/groups");
        using var tampered = await forged.GetAsync("v1.0/groups");

        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        missing.Headers.WwwAuthenticate.Should().NotBeEmpty();
        (await missing.ReadJsonAsync())["error"]!["code"].Str().Should().Be("InvalidAuthenticationToken");
        tampered.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await tampered.ReadJsonAsync())["error"]!["code"].Str().Should().Be("InvalidAuthenticationToken");
    }

    [Fact]
    public async Task A_missing_intune_permission_is_a_403_naming_the_permission()
    {
        var tenant = fixture.NewTenant(s => s.Permissions = [GraphPermissions.GroupRead]);
        var client = GraphSdk.Client(Host, tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.DeviceManagement.DeviceConfigurations.GetAsync());
        var groups = await client.Groups.GetAsync();

        error.ResponseStatusCode.Should().Be(403);
        error.Error!.Code.Should().Be("Forbidden");
        JsonNode.Parse(error.Error.Message!)!["Message"].Str().Should()
            .Contain("Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All");
        groups!.Value.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_missing_directory_permission_is_Authorization_RequestDenied()
    {
        var tenant = fixture.NewTenant(s => s.Permissions = [GraphPermissions.DeviceManagementConfigurationRead]);
        var client = GraphSdk.Client(Host, tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Groups.GetAsync());

        error.ResponseStatusCode.Should().Be(403);
        error.Error!.Code.Should().Be("Authorization_RequestDenied");
        error.Error.Message.Should().Be("Insufficient privileges to complete the operation.");
    }

    [Fact]
    public async Task Writes_need_a_read_write_permission()
    {
        var tenant = fixture.NewTenant(s => s.Permissions = [GraphPermissions.DeviceManagementConfigurationRead]);
        using var client = Host.CreateClient(tenant.TenantId);

        using var response = await client.PostJsonAsync("beta/deviceManagement/deviceConfigurations", new Dictionary<string, object>
        {
            ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
            ["displayName"] = "x",
        });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.ReadJsonAsync())["error"]!["message"].Str().Should().Contain("DeviceManagementConfiguration.ReadWrite.All");
    }

    [Fact]
    public async Task Permissions_changed_later_apply_to_new_tokens_only()
    {
        var tenant = fixture.NewTenant();
        using var before = Host.CreateClient(tenant.TenantId);
        tenant.SetPermissions([GraphPermissions.DeviceManagementConfigurationRead]);
        using var after = Host.CreateClient(tenant.TenantId);

        using var old = await before.GetAsync("v1.0/groups");
        using var fresh = await after.GetAsync("v1.0/groups");

        old.StatusCode.Should().Be(HttpStatusCode.OK);
        fresh.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
