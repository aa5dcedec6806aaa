using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Tenants.Tests.Tenants;

/// <summary>Spec 000-foundation, "Add a tenant": the form POST is checked on the server, validated, encrypted and audited.</summary>
public sealed class AddTenantFormTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        // Readonly members get a 403 page without the form, so take a token from a page every signed-in user can open.
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");
        var form = new Dictionary<string, string>(fields) { ["_handler"] = "tenant", ["__RequestVerificationToken"] = token };
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    private static Dictionary<string, string> Valid(string name, string secret = "s3cr3t-value~with.symbols") => new()
    {
        ["Input.DisplayName"] = name,
        ["Input.EntraTenantId"] = Guid.NewGuid().ToString(),
        ["Input.ClientId"] = Guid.NewGuid().ToString(),
        ["Input.ClientSecret"] = secret,
        ["Input.GraphBaseUrl"] = "",
        ["Input.AuthorityHost"] = "",
    };

    private Task<long> TenantCountAsync(string name) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM tenants.tenants WHERE display_name = $1", name);

    [Fact]
    public async Task Owner_adds_a_tenant_the_secret_is_encrypted_and_it_is_audited()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        var name = "Contoso-APAC-" + Guid.NewGuid().ToString("N")[..6];
        const string secret = "Zq8~plaintext-secret-value";

        var response = await PostAsync(client, $"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new", Valid(name, secret));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().StartWith("/admin/tenants/");
        var stored = await fixture.Database.ScalarAsync<string>("SELECT protected_client_secret FROM tenants.tenants WHERE display_name = $1", name);
        stored.Should().NotBeNullOrEmpty().And.NotContain(secret).And.NotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)));
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE action = 'tenant.created' AND summary LIKE $1 AND actor_user_id = $2", $"%{name}%", fixture.Demo.Owner))
            .Should().Be(1);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE summary LIKE $1", $"%{secret}%")).Should().Be(0);
    }

    [Fact]
    public async Task Readonly_post_is_403_and_saves_nothing()
    {
        var client = await fixture.SignedInAsync("readonly@demo.test");
        var name = "Sneaky-" + Guid.NewGuid().ToString("N")[..6];

        var response = await PostAsync(client, $"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new", Valid(name));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await TenantCountAsync(name)).Should().Be(0);
    }

    [Fact]
    public async Task Operator_post_is_403_and_saves_nothing()
    {
        var client = await fixture.SignedInAsync("operator@demo.test");
        var name = "Sneaky-" + Guid.NewGuid().ToString("N")[..6];

        var response = await PostAsync(client, $"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new", Valid(name));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await TenantCountAsync(name)).Should().Be(0);
    }

    [Fact]
    public async Task Outsider_post_is_404_and_saves_nothing()
    {
        var client = await fixture.SignedInAsync("outsider@demo.test");
        var name = "Sneaky-" + Guid.NewGuid().ToString("N")[..6];

        var response = await PostAsync(client, $"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new", Valid(name));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await TenantCountAsync(name)).Should().Be(0);
    }

    [Fact]
    public async Task Anonymous_post_is_redirected_to_sign_in()
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");
        var form = Valid("Anon");
        form["__RequestVerificationToken"] = token;
        form["_handler"] = "tenant";

        var response = await client.PostAsync($"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new", new FormUrlEncodedContent(form));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().StartWith("/Account/Login");
    }

    [Theory]
    [InlineData("Input.EntraTenantId", "not-a-guid", "Entra tenant id is a GUID")]
    [InlineData("Input.ClientId", "00000000-0000-0000-0000-000000000000", "client) id is a GUID")]
    [InlineData("Input.DisplayName", "x", "display name of 2 to 200")]
    [InlineData("Input.ClientSecret", "", "client secret value")]
    [InlineData("Input.GraphBaseUrl", "http://graph.example.com", "must be an https URL")]
    public async Task Invalid_input_shows_a_clear_message_and_saves_nothing(string field, string value, string message)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        var name = "Invalid-" + Guid.NewGuid().ToString("N")[..6];
        var form = Valid(name);
        form[field] = value;

        var response = await PostAsync(client, $"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new", form);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM tenants.tenants WHERE display_name = $1 OR display_name = 'x'", name)).Should().Be(0);
    }

    [Fact]
    public async Task Editing_with_a_blank_secret_keeps_it_and_a_new_secret_is_audited_as_credential_change()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        var before = await fixture.Database.ScalarAsync<string>("SELECT protected_client_secret FROM tenants.tenants WHERE id = $1", fixture.Demo.ContosoUs);
        var form = Valid("Contoso-US");
        form["Input.EntraTenantId"] = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        form["Input.ClientId"] = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
        form["Input.ClientSecret"] = "";
        form["Input.DisplayName"] = "Contoso-US renamed";

        var rename = await PostAsync(client, $"/admin/tenants/{fixture.Demo.ContosoUs}/edit", form);

        rename.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await fixture.Database.ScalarAsync<string>("SELECT protected_client_secret FROM tenants.tenants WHERE id = $1", fixture.Demo.ContosoUs)).Should().Be(before);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = 'tenant.updated' AND tenant_id = $1", fixture.Demo.ContosoUs)).Should().Be(1);

        form["Input.ClientSecret"] = "rotated-secret-value";
        var rotate = await PostAsync(client, $"/admin/tenants/{fixture.Demo.ContosoUs}/edit", form);

        rotate.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await fixture.Database.ScalarAsync<string>("SELECT protected_client_secret FROM tenants.tenants WHERE id = $1", fixture.Demo.ContosoUs)).Should().NotBe(before);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = 'tenant.credential_changed' AND tenant_id = $1", fixture.Demo.ContosoUs)).Should().Be(1);
    }
}
