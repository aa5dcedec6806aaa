using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

/// <summary>
/// Endpoint security intents (issue 16): made from a template of the tenant with createInstance, their settings changed
/// with updateSettings, each setting checked against the template (Microsoft's reference:
/// intune-deviceintent-devicemanagementtemplate-createinstance, intune-deviceintent-devicemanagementintent-updatesettings);
/// an expanded assignments collection answers empty, as Graph's does.
/// </summary>
public sealed class EndpointSecurityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Antivirus = "e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a01";
    private const string RealTime = "deviceConfiguration--windows10GeneralConfiguration_defenderRequireRealTimeMonitoring";
    private const string MaxCpu = "deviceConfiguration--windows10GeneralConfiguration_defenderScanMaxCpu";

    private static JsonObject Setting(string type, string definitionId, string valueJson) => new()
    {
        ["@odata.type"] = "#microsoft.graph." + type,
        ["definitionId"] = definitionId,
        ["valueJson"] = valueJson,
    };

    [Fact]
    public async Task CreateInstance_makes_an_intent_with_every_setting_of_the_template_and_the_sent_values()
    {
        var tenant = fixture.NewTenant(s => s.Intents = 0);
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var body = new JsonObject
        {
            ["displayName"] = "AV - Pilot",
            ["description"] = "made here",
            ["settingsDelta"] = new JsonArray(Setting("deviceManagementIntegerSettingInstance", MaxCpu, "20")),
            ["roleScopeTagIds"] = new JsonArray("0"),
        };

        using var response = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/templates/{Antivirus}/createInstance", body);
        var created = await response.ReadJsonAsync();
        var settings = await client.GetJsonAsync($"beta/deviceManagement/intents/{created["id"].Str()}/settings");
        var template = await client.GetJsonAsync($"beta/deviceManagement/templates/{Antivirus}");

        response.StatusCode.Should().Be(HttpStatusCode.OK, created.ToJsonString());
        created["@odata.context"].Str().Should().EndWith("$metadata#deviceManagement/intents/$entity");
        created["templateId"].Str().Should().Be(Antivirus);
        settings.Values().Should().HaveCount(4, "every setting of the template");
        var cpu = settings.Values().Single(s => s!["definitionId"].Str() == MaxCpu)!;
        cpu["valueJson"].Str().Should().Be("20");
        cpu["value"]!.GetValue<int>().Should().Be(20);
        settings.Values().Single(s => s!["definitionId"].Str() == RealTime)!["valueJson"].Str().Should().Be("true", "the template's default");
        template["intentCount"]!.GetValue<int>().Should().Be(1);
    }

    [Theory]
    [InlineData("missing-template", "deviceManagementIntegerSettingInstance", MaxCpu, "20", HttpStatusCode.NotFound)]
    [InlineData(Antivirus, "deviceManagementBooleanSettingInstance", MaxCpu, "true", HttpStatusCode.BadRequest)]
    [InlineData(Antivirus, "deviceManagementIntegerSettingInstance", "deviceConfiguration--notInTheTemplate", "20", HttpStatusCode.BadRequest)]
    [InlineData(Antivirus, "deviceManagementIntegerSettingInstance", MaxCpu, "\"twenty\"", HttpStatusCode.BadRequest)]
    [InlineData(Antivirus, "deviceManagementFooSettingInstance", MaxCpu, "20", HttpStatusCode.BadRequest)]
    [InlineData("e5a4c0b8-9f3e-4a61-a7d2-0c1e7f5b2a05", "deviceManagementBooleanSettingInstance", RealTime, "true", HttpStatusCode.BadRequest)]
    public async Task CreateInstance_refuses_a_missing_or_deprecated_template_and_a_setting_the_template_does_not_have_as_sent(
        string templateId, string type, string definitionId, string valueJson, HttpStatusCode expected)
    {
        var tenant = fixture.NewTenant(s => s.Intents = 0);
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var body = new JsonObject
        {
            ["displayName"] = "AV - Pilot",
            ["settingsDelta"] = new JsonArray(Setting(type, definitionId, valueJson)),
        };

        using var response = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/templates/{templateId}/createInstance", body);
        var error = await response.ReadJsonAsync();

        response.StatusCode.Should().Be(expected);
        error["error"]!["code"].Str().Should().NotBeNullOrEmpty();
        tenant.List(GraphFamilies.Intents).Should().BeEmpty("nothing is created on a refusal");
    }

    [Fact]
    public async Task UpdateSettings_replaces_the_values_it_names_and_leaves_the_others()
    {
        var tenant = fixture.NewTenant(s => s.Intents = 1);
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var id = tenant.List(GraphFamilies.Intents)[0]["id"].Str();
        var before = await client.GetJsonAsync($"beta/deviceManagement/intents/{id}/settings");

        using var response = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/intents/{id}/updateSettings",
            new JsonObject { ["settings"] = new JsonArray(Setting("deviceManagementBooleanSettingInstance", RealTime, "false")) });
        var after = await client.GetJsonAsync($"beta/deviceManagement/intents/{id}/settings");
        using var wrong = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/intents/{id}/updateSettings",
            new JsonObject { ["settings"] = new JsonArray(Setting("deviceManagementBooleanSettingInstance", RealTime, "\"no\"")) });

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var realTime = after.Values().Single(s => s!["definitionId"].Str() == RealTime)!;
        realTime["valueJson"].Str().Should().Be("false");
        realTime["value"]!.GetValue<bool>().Should().BeFalse();
        after.Values().Where(s => s!["definitionId"].Str() != RealTime).Select(s => s!.ToJsonString())
            .Should().Equal(before.Values().Where(s => s!["definitionId"].Str() != RealTime).Select(s => s!.ToJsonString()));
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_intents_expanded_assignments_answer_empty_while_the_navigation_has_them()
    {
        var tenant = fixture.NewTenant(s => s.Intents = 8);
        using var client = fixture.Host.CreateClient(tenant.TenantId);
        var intent = tenant.List(GraphFamilies.Intents).First(i => i["assignments"] is JsonArray { Count: > 0 });
        var id = intent["id"].Str();

        var expanded = await client.GetJsonAsync($"beta/deviceManagement/intents/{id}?$expand=assignments");
        var navigation = await client.GetJsonAsync($"beta/deviceManagement/intents/{id}/assignments");

        expanded["assignments"]!.AsArray().Should().BeEmpty();
        navigation.Values().Should().HaveCount(intent["assignments"]!.AsArray().Count);
        expanded["isAssigned"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task The_template_catalog_is_read_only()
    {
        var tenant = fixture.NewTenant();
        using var client = fixture.Host.CreateClient(tenant.TenantId);

        using var create = await client.SendJsonAsync(HttpMethod.Post, "beta/deviceManagement/templates", new JsonObject { ["displayName"] = "mine" });
        using var delete = await client.DeleteAsync(new Uri($"beta/deviceManagement/templates/{Antivirus}", UriKind.Relative));

        create.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        delete.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        tenant.Get(GraphFamilies.Templates, Antivirus).Should().NotBeNull();
    }
}
