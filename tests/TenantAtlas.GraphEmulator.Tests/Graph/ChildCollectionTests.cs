using System.Net;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Graph;

/// <summary>The child collections stored below an item, each written as its family lets Graph write it.</summary>
public sealed class ChildCollectionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task A_templates_localized_messages_are_one_per_locale_created_changed_and_deleted_below_the_template()
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.NotificationMessageTemplates] = 1 });
        using var client = Host.CreateClient(tenant.TenantId);
        var template = tenant.List(GraphFamilies.NotificationMessageTemplates)[0];
        var url = $"beta/deviceManagement/notificationMessageTemplates/{template["id"].Str()}/localizedNotificationMessages";
        var seededLocale = template["localizedNotificationMessages"]![0]!["locale"].Str();

        using var duplicate = await client.SendJsonAsync(HttpMethod.Post, url, Message(seededLocale.ToUpperInvariant(), "Twice"));
        using var created = await client.SendJsonAsync(HttpMethod.Post, url, Message("sv-se", "Åtgärd krävs"));
        var message = await created.ReadJsonAsync();
        var messageUrl = $"{url}/{message["id"].Str()}";
        using var patched = await client.SendJsonAsync(HttpMethod.Patch, messageUrl, new JsonObject { ["subject"] = "Changed" });
        var read = await client.GetJsonAsync(messageUrl);
        using var deleted = await client.DeleteAsync(new Uri(messageUrl, UriKind.Relative));
        using var gone = await client.GetAsync(new Uri(messageUrl, UriKind.Relative));

        duplicate.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a template has one message per locale, case aside");
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        message["@odata.type"].Str().Should().Be("#microsoft.graph.localizedNotificationMessage");
        message["lastModifiedDateTime"].Str().Should().NotBeNullOrEmpty();
        patched.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (read["subject"].Str(), read["locale"].Str(), read["messageTemplate"].Str()).Should().Be(("Changed", "sv-se", "Åtgärd krävs"));
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(GraphFamilies.WindowsInformationProtectionPolicies)]
    [InlineData(GraphFamilies.MdmWindowsInformationProtectionPolicies)]
    public async Task An_applocker_file_is_created_and_deleted_below_the_policy_but_never_changed_in_place(string family)
    {
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [family] = 1 });
        using var client = Host.CreateClient(tenant.TenantId);
        var url = $"beta/deviceAppManagement/{family}/{tenant.List(family)[0]["id"].Str()}/exemptAppLockerFiles";
        var file = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windowsInformationProtectionAppLockerFile",
            ["displayName"] = "Exempt",
            ["fileHash"] = "hash",
            ["file"] = Convert.ToBase64String("<AppLockerPolicy />"u8.ToArray()),
        };

        using var created = await client.SendJsonAsync(HttpMethod.Post, url, file);
        var fileUrl = $"{url}/{(await created.ReadJsonAsync())["id"].Str()}";
        using var patched = await client.SendJsonAsync(HttpMethod.Patch, fileUrl, new JsonObject { ["displayName"] = "Renamed" });
        var listed = await client.GetJsonAsync(url);
        using var deleted = await client.DeleteAsync(new Uri(fileUrl, UriKind.Relative));
        using var again = await client.DeleteAsync(new Uri(fileUrl, UriKind.Relative));

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        patched.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "Graph has no PATCH for an AppLocker file");
        listed.Values().Select(f => f!["displayName"].Str()).Should().Contain("Exempt").And.NotContain("Renamed");
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        again.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static JsonObject Message(string locale, string text) => new()
    {
        ["@odata.type"] = "#microsoft.graph.localizedNotificationMessage",
        ["locale"] = locale,
        ["subject"] = text,
        ["messageTemplate"] = text,
        ["isDefault"] = false,
    };
}
