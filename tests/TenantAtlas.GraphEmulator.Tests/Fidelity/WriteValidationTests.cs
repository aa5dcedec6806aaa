using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Fidelity;

/// <summary>
/// Writes are checked against the emulator's schema like Graph's OData reader checks them, with bodies written here
/// (no Microsoft example needed, so these run everywhere): unknown properties, values of the wrong kind, a missing
/// concrete type and a missing name answer 400 in Graph's envelope, and nothing is stored.
/// </summary>
public sealed class WriteValidationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Configurations = "beta/deviceManagement/deviceConfigurations";

    private static JsonObject Windows10(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
            ["displayName"] = $"WIN - Validation {Guid.NewGuid():N}",
            ["description"] = "Written by the test",
            ["passwordRequired"] = true,
            ["passwordMinimumLength"] = 8,
            ["roleScopeTagIds"] = new JsonArray("0"),
        };
        change?.Invoke(body);
        return body;
    }

    private static JsonObject Group(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["displayName"] = $"Validation {Guid.NewGuid():N}",
            ["mailEnabled"] = false,
            ["mailNickname"] = "validation",
            ["securityEnabled"] = true,
        };
        change?.Invoke(body);
        return body;
    }

    [Fact]
    public async Task A_body_of_the_schemas_kinds_is_created_and_reads_back_with_every_property_of_the_type()
    {
        var (tenant, client) = Start();
        using (client)
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, Configurations, Windows10());
            var created = await response.ReadJsonAsync();
            var read = await client.GetJsonAsync($"{Configurations}/{created["id"]}");

            response.StatusCode.Should().Be(HttpStatusCode.Created, created.ToJsonString());
            read["passwordMinimumLength"]!.GetValue<int>().Should().Be(8);
            var schema = Shapes.GraphSchema.Get("microsoft.graph.windows10GeneralConfiguration");
            schema.Properties.Should().HaveCountGreaterThan(100);
            read.Select(p => p.Key).Should().Contain(schema.Properties.Select(p => p.Name), "a created object reads back in full, like Graph's");
            tenant.List(GraphFamilies.DeviceConfigurations).Should().Contain(p => p["id"]!.ToString() == created["id"]!.ToString());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_property_the_type_does_not_declare_answers_400_in_graphs_envelope_naming_it(bool group)
    {
        var (tenant, client) = Start();
        using (client)
        {
            var url = group ? "v1.0/groups" : Configurations;
            var body = group ? Group(b => b["favouriteColour"] = "blue") : Windows10(b => b["favouriteColour"] = "blue");

            using var response = await client.SendJsonAsync(HttpMethod.Post, url, body);
            var error = await response.ReadJsonAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            error["error"]!["code"].Str().Should().Be(group ? "Request_BadRequest" : "BadRequest");
            MessageOf(error).Should().StartWith(
                $"The property 'favouriteColour' does not exist on type 'microsoft.graph.{(group ? "group" : "windows10GeneralConfiguration")}'. "
                + "Make sure to only use property names that are defined by the type or mark the type as open type.");
            error["error"]!["innerError"]!["request-id"].Str().Should().NotBeNullOrEmpty();
            Stored(tenant, group ? GraphFamilies.Groups : GraphFamilies.DeviceConfigurations, body).Should().BeFalse("a refused body is not stored");
        }
    }

    [Theory]
    [InlineData("passwordRequired", "\"yes\"", "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.")]
    [InlineData("passwordMinimumLength", "\"8\"", "Cannot convert the literal '8' to the expected type 'Edm.Int32'.")]
    [InlineData("description", "true", "Cannot convert the literal 'true' to the expected type 'Edm.String'.")]
    [InlineData("roleScopeTagIds", "\"0\"", "A node of type 'PrimitiveValue' was read from the JSON reader when trying to read the value of the property 'roleScopeTagIds'; however, a 'StartArray' node was expected.")]
    [InlineData("edgeHomeButtonConfiguration", "\"home\"", "A node of type 'PrimitiveValue' was read from the JSON reader when trying to read the value of the property 'edgeHomeButtonConfiguration'; however, a 'StartObject' node was expected.")]
    [InlineData("passwordRequired", "{}", "A node of type 'StartObject' was read from the JSON reader when trying to read the value of the property 'passwordRequired'; however, a 'PrimitiveValue' node was expected.")]
    public async Task A_value_of_the_wrong_kind_answers_400_with_the_odata_readers_message(string property, string json, string message)
    {
        var (tenant, client) = Start();
        using (client)
        {
            var body = Windows10(b => b[property] = JsonNode.Parse(json));

            using var response = await client.SendJsonAsync(HttpMethod.Post, Configurations, body);
            var error = await response.ReadJsonAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            error["error"]!["code"].Str().Should().Be("BadRequest");
            MessageOf(error).Should().StartWith(message);
            Stored(tenant, GraphFamilies.DeviceConfigurations, body).Should().BeFalse();
        }
    }

    [Fact]
    public async Task A_nested_object_is_checked_against_its_complex_types_schema()
    {
        var (_, client) = Start();
        using (client)
        {
            var body = Windows10(b => b["edgeHomeButtonConfiguration"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.edgeHomeButtonConfiguration",
                ["notAnEdgeSetting"] = 1,
            });

            using var response = await client.SendJsonAsync(HttpMethod.Post, Configurations, body);
            var error = await response.ReadJsonAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            MessageOf(error).Should().StartWith("The property 'notAnEdgeSetting' does not exist on type 'microsoft.graph.edgeHomeButtonConfiguration'.");
        }
    }

    [Theory]
    [InlineData(null, "Cannot create an abstract class.")]
    [InlineData("#microsoft.graph.windows10TeamGeneralConfiguration", "A type named 'microsoft.graph.windows10TeamGeneralConfiguration' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.")]
    public async Task A_create_on_a_polymorphic_family_must_name_a_concrete_type_the_family_knows(string? type, string message)
    {
        var (tenant, client) = Start();
        using (client)
        {
            var body = Windows10(b => b["@odata.type"] = type);
            if (type is null)
            {
                body.Remove("@odata.type");
            }

            using var response = await client.SendJsonAsync(HttpMethod.Post, Configurations, body);
            var error = await response.ReadJsonAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            error["error"]!["code"].Str().Should().Be("BadRequest");
            MessageOf(error).Should().StartWith(message);
            Stored(tenant, GraphFamilies.DeviceConfigurations, body).Should().BeFalse();
        }
    }

    [Theory]
    [InlineData(Configurations, "displayName", "BadRequest", "The property 'displayName' is required.")]
    [InlineData("beta/deviceManagement/configurationPolicies", "name", "BadRequest", "The property 'name' is required.")]
    [InlineData("v1.0/groups", "displayName", "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Group'.")]
    public async Task A_create_without_its_name_answers_400(string url, string nameProperty, string code, string message)
    {
        var (_, client) = Start();
        using (client)
        {
            var body = url switch
            {
                Configurations => Windows10(),
                "v1.0/groups" => Group(),
                _ => new JsonObject { ["name"] = "x", ["platforms"] = "windows10", ["technologies"] = "mdm", ["settings"] = new JsonArray() },
            };
            body[nameProperty] = "  ";

            using var response = await client.SendJsonAsync(HttpMethod.Post, url, body);
            var error = await response.ReadJsonAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            error["error"]!["code"].Str().Should().Be(code);
            MessageOf(error).Should().StartWith(message);
        }
    }

    [Fact]
    public async Task A_patch_is_checked_too_and_read_only_properties_it_carries_are_ignored()
    {
        var (tenant, client) = Start();
        using (client)
        {
            var id = tenant.List(GraphFamilies.DeviceConfigurations).First(p => p["@odata.type"].Str() == "#microsoft.graph.windows10GeneralConfiguration")["id"].Str();
            var before = await client.GetJsonAsync($"{Configurations}/{id}");

            using var unknown = await client.SendJsonAsync(new HttpMethod("PATCH"), $"{Configurations}/{id}", new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
                ["favouriteColour"] = "blue",
            });
            using var readOnly = await client.SendJsonAsync(new HttpMethod("PATCH"), $"{Configurations}/{id}", new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration",
                ["description"] = "Patched",
                ["createdDateTime"] = "2001-01-01T00:00:00Z",
            });
            var after = await client.GetJsonAsync($"{Configurations}/{id}");

            unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            readOnly.StatusCode.Should().Be(HttpStatusCode.NoContent);
            after["description"].Str().Should().Be("Patched");
            after["createdDateTime"].Str().Should().Be(before["createdDateTime"].Str(), "the service sets it");
        }
    }

    [Theory]
    [InlineData("windowsFeatureUpdateProfiles", "featureUpdateVersion")]
    [InlineData("windowsQualityUpdateProfiles", "expeditedUpdateSettings")]
    [InlineData("windowsDriverUpdateProfiles", "approvalType")]
    public async Task An_update_profile_without_what_it_deploys_answers_400_and_is_not_stored(string family, string property)
    {
        var (tenant, client) = Start();
        using (client)
        {
            var body = new JsonObject { ["displayName"] = $"UPD - Validation {Guid.NewGuid():N}", ["description"] = "" };

            using var response = await client.SendJsonAsync(HttpMethod.Post, $"beta/deviceManagement/{family}", body);
            var error = await response.ReadJsonAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            error["error"]!["code"].Str().Should().Be("BadRequest");
            MessageOf(error).Should().StartWith($"The property '{property}' is required.");
            Stored(tenant, family, body).Should().BeFalse();
        }
    }

    [Fact]
    public async Task What_intune_derives_from_an_update_profiles_release_is_the_services_on_create_and_on_patch()
    {
        var (_, client) = Start();
        using (client)
        {
            const string features = "beta/deviceManagement/windowsFeatureUpdateProfiles";
            using var created = await client.SendJsonAsync(HttpMethod.Post, features, new JsonObject
            {
                ["displayName"] = $"FU - Validation {Guid.NewGuid():N}",
                ["featureUpdateVersion"] = "Windows 11, version 23H2",
                ["endOfSupportDate"] = "2001-01-01T00:00:00Z",
                ["deployableContentDisplayName"] = "Sent by the client",
            });
            var id = (await created.ReadJsonAsync())["id"].Str();
            var first = await client.GetJsonAsync($"{features}/{id}");
            using var patched = await client.SendJsonAsync(new HttpMethod("PATCH"), $"{features}/{id}", new JsonObject { ["featureUpdateVersion"] = "Windows 11, version 24H2" });
            var second = await client.GetJsonAsync($"{features}/{id}");

            created.StatusCode.Should().Be(HttpStatusCode.Created);
            first["deployableContentDisplayName"].Str().Should().Be("Windows 11, version 23H2");
            first["endOfSupportDate"].Str().Should().Be("2026-11-10T00:00:00Z", "Intune reports the release's end of servicing, not what a client sent");
            patched.StatusCode.Should().Be(HttpStatusCode.NoContent);
            second["deployableContentDisplayName"].Str().Should().Be("Windows 11, version 24H2");
            second["endOfSupportDate"].Str().Should().Be("2027-10-12T00:00:00Z");
        }
    }

    private (TenantState Tenant, HttpClient Client) Start()
    {
        var tenant = fixture.NewTenant();
        return (tenant, fixture.Host.CreateClient(tenant.TenantId));
    }

    /// <summary>The message of Graph's envelope; Intune nests its own JSON (with "Message") inside it.</summary>
    private static string MessageOf(JsonObject error)
    {
        var message = error["error"]!["message"].Str();
        return message.StartsWith('{') ? JsonNode.Parse(message)!["Message"].Str() : message;
    }

    private static bool Stored(TenantState tenant, string family, JsonObject body) =>
        tenant.List(family).Any(p => p["displayName"]?.ToString() == body["displayName"]?.ToString());
}
