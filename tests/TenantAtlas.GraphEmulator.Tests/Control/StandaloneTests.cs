using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Control;

public sealed class StandaloneTests
{
    [Fact]
    public async Task The_standalone_server_seeds_tenants_from_configuration_and_resets_to_them()
    {
        var tenantId = Guid.NewGuid().ToString();
        var contentRoot = Directory.CreateTempSubdirectory("graph-emulator-").FullName;
        await using var app = GraphEmulatorApp.BuildStandalone(
        [
            "--contentRoot", contentRoot,
            "--urls", "http://127.0.0.1:0",
            "--GraphEmulator:HttpsPort", "0",
            "--GraphEmulator:Tenants:0:TenantId", tenantId,
            "--GraphEmulator:Tenants:0:AppId", "11111111-1111-1111-1111-111111111111",
            "--GraphEmulator:Tenants:0:AppSecret", "demo",
            "--GraphEmulator:Tenants:0:Groups", "12",
            "--GraphEmulator:Tenants:0:Policies", "8",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        var http = app.Urls.Select(u => new Uri(u)).First(u => u.Scheme == "http");
        using var client = new HttpClient { BaseAddress = http };

        using var extra = await client.PostAsJsonAsync("_emulator/tenants", new { tenantId = Guid.NewGuid().ToString(), appId = "a", appSecret = "b" });
        var before = await client.GetFromJsonAsync<JsonArray>("_emulator/tenants");
        using var reset = await client.PostAsync("_emulator/reset", null);
        var after = await client.GetFromJsonAsync<JsonArray>("_emulator/tenants");
        var info = await client.GetJsonAsync("_emulator");

        app.Urls.Should().Contain(u => u.StartsWith("https://", StringComparison.Ordinal));
        before!.Should().HaveCount(2);
        reset.StatusCode.Should().Be(HttpStatusCode.NoContent);
        after!.Select(t => t!["tenantId"]!.GetValue<string>()).Should().Equal(tenantId);
        after![0]!["counts"]!["groups"]!.GetValue<int>().Should().Be(12);
        info["addresses"]!.AsArray().Should().HaveCount(2);
        await app.StopAsync();
    }
}
