using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Control;

/// <summary>GraphEmulator:GeneratedTenants: a fleet of tenants from one template, with identities anyone can compute.</summary>
public sealed class GeneratedTenantsTests
{
    [Fact]
    public async Task The_standalone_server_makes_the_generated_tenants_from_configuration_and_each_signs_in_with_its_computed_secret()
    {
        var contentRoot = Directory.CreateTempSubdirectory("graph-emulator-").FullName;
        await using var app = GraphEmulatorApp.BuildStandalone(
        [
            "--contentRoot", contentRoot,
            "--urls", "http://127.0.0.1:0",
            "--GraphEmulator:EnableHttps", "false",
            "--GraphEmulator:GeneratedTenants:Count", "3",
            "--GraphEmulator:GeneratedTenants:Template:Policies", "12",
            "--GraphEmulator:GeneratedTenants:Template:Groups", "4",
            "--GraphEmulator:GeneratedTenants:Template:RequestLimit", "1000",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var tenants = await client.GetFromJsonAsync<JsonArray>("_emulator/tenants");
        using var token = await client.PostAsync($"{GeneratedTenants.TenantIdOf(3)}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = GeneratedTenants.AppIdOf(3),
            ["client_secret"] = GeneratedTenants.AppSecretOf(3),
            ["scope"] = "https://graph.microsoft.com/.default",
        }));

        tenants!.Select(t => t!["tenantId"].Str()).Should().BeEquivalentTo(
            GeneratedTenants.TenantIdOf(1), GeneratedTenants.TenantIdOf(2), GeneratedTenants.TenantIdOf(3));
        tenants!.Should().OnlyContain(t => t!["counts"]!["groups"]!.GetValue<int>() == 4);
        token.StatusCode.Should().Be(HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public void Each_generated_tenant_takes_the_template_with_its_own_identity_and_seed()
    {
        var generated = new GeneratedTenants { Count = 2, Template = new TenantSpec { Policies = 300, RequestLimit = 1000, WriteLimit = 100, Seed = 10 } };

        var specs = generated.Specs().ToList();

        specs.Select(s => s.TenantId).Should().Equal("b0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002");
        specs.Select(s => s.AppId).Should().Equal("a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002");
        specs.Select(s => s.AppSecret).Should().Equal("emulator-bench-secret-1", "emulator-bench-secret-2");
        specs.Select(s => s.Seed).Should().Equal(11, 12);
        specs.Should().OnlyContain(s => s.Policies == 300 && s.RequestLimit == 1000 && s.WriteLimit == 100);
        generated.Template.TenantId.Should().BeEmpty("the template itself is not changed");
    }
}
