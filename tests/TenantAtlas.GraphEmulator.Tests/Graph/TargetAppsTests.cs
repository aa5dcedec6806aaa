using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

/// <summary>
/// App protection and MAM app configuration through their platform collections (issue 16): the targeted apps are the
/// <c>apps</c> navigation, served when expanded (paged like assignments) and written only with <c>targetApps</c>
/// (Microsoft's reference: intune-mam-managedappprotection-targetapps, intune-shared-targetedmanagedappconfiguration-targetapps).
/// </summary>
public sealed class TargetAppsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static JsonObject IosApp(string bundleId) => new()
    {
        ["@odata.type"] = "#microsoft.graph.managedMobileApp",
        ["mobileAppIdentifier"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.iosMobileAppIdentifier", ["bundleId"] = bundleId },
    };

    private static JsonObject AndroidApp(string packageId) => new()
    {
        ["@odata.type"] = "#microsoft.graph.managedMobileApp",
        ["mobileAppIdentifier"] = new JsonObject { ["@odata.type"] = "microsoft.graph.androidMobileAppIdentifier", ["packageId"] = packageId },
    };

    [Fact]
    public async Task The_apps_are_served_only_when_expanded_in_graphs_shape_and_page_like_assignments()
    {
        var tenant = fixture.NewTenant(s =>
        {
            s.FamilyCounts = new() { [GraphFamilies.IosManagedAppProtections] = 6 };
            s.ExpandedPageSize = 2;
        });
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var policy = tenant.List(GraphFamilies.IosManagedAppProtections).First(p => p["apps"]!.AsArray().Count > 2);
        var id = policy["id"].Str();

        var plain = await client.GetJsonAsync($"beta/deviceAppManagement/iosManagedAppProtections/{id}");
        var expanded = await client.GetJsonAsync($"beta/deviceAppManagement/iosManagedAppProtections/{id}?$expand=apps,assignments");
        var rest = await client.GetJsonAsync(expanded["apps@odata.nextLink"].Str());

        plain.ContainsKey("apps").Should().BeFalse("a navigation is served only when expanded");
        plain["@odata.type"].Str().Should().Be("#microsoft.graph.iosManagedAppProtection");
        expanded["@odata.context"].Str().Should().EndWith("$metadata#deviceAppManagement/iosManagedAppProtections(apps(),assignments())/$entity");
        expanded["apps"]!.AsArray().Should().HaveCount(2);
        expanded["apps"]!.AsArray().Concat(rest.Values()).Select(a => a!.ToJsonString()).Should().Equal(policy["apps"]!.AsArray().Select(a => a!.ToJsonString()));
        rest.Values().Should().OnlyContain(a => a!["@odata.type"].Str() == "#microsoft.graph.managedMobileApp"
            && a["mobileAppIdentifier"]!["@odata.type"].Str() == "#microsoft.graph.iosMobileAppIdentifier");
    }

    [Fact]
    public async Task TargetApps_replaces_the_apps_with_204_and_names_them_by_identifier()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.AndroidManagedAppProtections] = 2 });
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var policy = tenant.List(GraphFamilies.AndroidManagedAppProtections)[0];
        var id = policy["id"].Str();
        var body = new JsonObject { ["apps"] = new JsonArray(AndroidApp("com.contoso.field"), AndroidApp("com.microsoft.office.outlook")) };

        using var response = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceAppManagement/androidManagedAppProtections/{id}/targetApps", body);
        var stored = tenant.Get(GraphFamilies.AndroidManagedAppProtections, id)!;

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        stored["apps"]!.AsArray().Select(a => a!["id"].Str()).Should().Equal("com.contoso.field.android", "com.microsoft.office.outlook.android");
        stored["apps"]!.AsArray().Should().OnlyContain(a => a!["mobileAppIdentifier"]!["@odata.type"].Str() == "#microsoft.graph.androidMobileAppIdentifier");
        stored["deployedAppCount"]!.GetValue<int>().Should().Be(2);
        stored["version"].Str().Should().NotBe(policy["version"].Str(), "a change gives the policy a new version");
    }

    [Theory]
    [InlineData("create")]
    [InlineData("update")]
    public async Task Apps_inside_the_object_are_refused_they_go_with_targetApps(string write)
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.IosManagedAppProtections] = 1 });
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var body = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.iosManagedAppProtection",
            ["displayName"] = "iOS - App Protection - Restored",
            ["apps"] = new JsonArray(IosApp("com.microsoft.office.outlook")),
        };
        var id = tenant.List(GraphFamilies.IosManagedAppProtections)[0]["id"].Str();

        using var response = write == "create"
            ? await client.SendJsonAsync(HttpMethod.Post, "beta/deviceAppManagement/iosManagedAppProtections", body)
            : await client.SendJsonAsync(HttpMethod.Patch, $"beta/deviceAppManagement/iosManagedAppProtections/{id}", body);
        var error = await response.ReadJsonAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error["error"]!["message"].Str().Should().Contain("targetApps");
        tenant.Count(GraphFamilies.IosManagedAppProtections).Should().Be(1);
    }

    [Fact]
    public async Task TargetApps_refuses_an_app_of_another_platform_an_unknown_property_and_a_missing_identifier()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.IosManagedAppProtections] = 1, [GraphFamilies.TargetedManagedAppConfigurations] = 1 });
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var ios = tenant.List(GraphFamilies.IosManagedAppProtections)[0];
        var mam = tenant.List(GraphFamilies.TargetedManagedAppConfigurations)[0]["id"].Str();
        var url = $"beta/deviceAppManagement/iosManagedAppProtections/{ios["id"].Str()}/targetApps";
        var unknown = IosApp("com.microsoft.office.word");
        unknown["displayName"] = "Word";

        JsonObject[] refused =
        [
            new() { ["apps"] = new JsonArray(AndroidApp("com.microsoft.office.word")) },
            new() { ["apps"] = new JsonArray(unknown) },
            new() { ["apps"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.managedMobileApp" }) },
            new() { ["apps"] = new JsonArray(IosApp("com.microsoft.office.word"), IosApp("com.microsoft.office.word")) },
            new() { ["appz"] = new JsonArray() },
        ];
        foreach (var body in refused)
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, url, body);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body.ToJsonString());
            (await response.ReadJsonAsync())["error"]!["code"].Str().Should().Be("BadRequest");
        }

        tenant.Get(GraphFamilies.IosManagedAppProtections, ios["id"].Str())!["apps"]!.ToJsonString().Should().Be(ios["apps"]!.ToJsonString(), "a refused write changes nothing");
        using var both = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceAppManagement/targetedManagedAppConfigurations/{mam}/targetApps",
            new JsonObject { ["apps"] = new JsonArray(IosApp("com.microsoft.office.word"), AndroidApp("com.microsoft.office.word")) });
        both.StatusCode.Should().Be(HttpStatusCode.NoContent, "MAM app configuration takes apps of both platforms");
    }
}
