using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Hosting;

/// <summary>
/// Issue 19, item 2: text PostgreSQL cannot store (NUL, an unpaired surrogate) is refused at the host's boundary with a
/// 400 that names the value — query values, form fields and JSON bodies alike — instead of reaching SQL as a 500.
/// </summary>
public sealed class StorableInputTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private async Task<HttpClient> TokenClientAsync()
    {
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Owner, "test", 30);
        var client = fixture.App.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    public static TheoryData<string, string> PageQueries => new()
    {
        { "/admin/tenants/{eu}/inventory?q=%00", "q" },
        { "/admin/tenants/{eu}/inventory?family=x%00y", "family" },
        { "/admin/tenants/{eu}/inventory?platform=%00", "platform" },
        { "/admin/tenants/{eu}/directory?q=a%00", "q" },
        { "/admin/operations?type=%00", "type" },
        { "/admin/operations?initiator=owner%00@demo.test", "initiator" },
    };

    [Theory]
    [MemberData(nameof(PageQueries))]
    public async Task Nul_byte_in_a_page_query_value_answers_a_400_page_naming_the_value(string path, string name)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync(path.Replace("{eu}", fixture.Demo.ContosoEu.ToString(), StringComparison.Ordinal));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.Should().Contain($"The query value '{name}' contains a character that cannot be stored (NUL).")
            .And.NotContain("\0");
    }

    [Fact]
    public async Task Nul_byte_in_an_api_query_value_answers_a_400_problem_naming_the_value()
    {
        var client = await TokenClientAsync();

        var response = await client.GetAsync("/api/operations?initiator=%00");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["detail"]!.GetValue<string>().Should().Be("The query value 'initiator' contains a character that cannot be stored (NUL).");
    }

    [Fact]
    public async Task Nul_byte_in_a_query_parameter_name_answers_400_without_echoing_the_name()
    {
        var client = await TokenClientAsync();

        var response = await client.GetAsync("/api/operations?ini%00tiator=x");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["detail"]!.GetValue<string>().Should().Be("A query parameter name contains a character that cannot be stored (NUL).");
    }

    [Theory]
    [InlineData("""{"type":"test.click\u0000","tenantId":"TENANT"}""", "NUL")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","inputs":{"note":"a\u0000b"}}""", "NUL")]
    [InlineData("""{"type":"test.click","tenantId":"TENANT","inputs":{"note":"\ud800"}}""", "an unpaired surrogate")]
    public async Task Unstorable_text_in_a_json_body_answers_a_400_problem(string body, string what)
    {
        var client = await TokenClientAsync();
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs");

        var response = await client.PostAsync("/api/operations", new StringContent(
            body.Replace("TENANT", fixture.Demo.ContosoEu.ToString(), StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["detail"]!.GetValue<string>().Should().Be($"The JSON body contains a character that cannot be stored ({what}).");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs")).Should().Be(before, "nothing may start from a refused body");
    }

    [Fact]
    public async Task An_escaped_backslash_before_u0000_is_ordinary_text_not_a_nul()
    {
        var client = await TokenClientAsync();

        // JSON "a\\u0000" is the six characters a\u0000 — storable; the API answers as usual (unknown type).
        var response = await client.PostAsync("/api/operations", new StringContent(
            $$"""{"type":"x\\u0000","tenantId":"{{fixture.Demo.ContosoEu}}"}""", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>().Should().Be("Unknown operation type");
    }

    [Fact]
    public async Task Nul_byte_in_a_form_field_answers_a_400_page_saying_so()
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "owner\0@demo.test",
            ["Input.Password"] = SignIn.DemoPassword,
        }));

        // ASP.NET Core's form reader refuses the NUL before any field can be named (an empty 400 before).
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.Should().Contain("Bad request").And.Contain("The form could not be read").And.Contain("a character that cannot be stored (such as NUL)");
    }

    [Fact]
    public async Task Nul_byte_in_a_multipart_form_field_answers_a_400_page_naming_the_field()
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");

        var response = await client.PostAsync("/Account/Login", new MultipartFormDataContent
        {
            { new StringContent("login"), "_handler" },
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("owner\0@demo.test"), "Input.Email" },
            { new StringContent(SignIn.DemoPassword), "Input.Password" },
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.Should().Contain("The form field 'Input.Email' contains a character that cannot be stored (NUL).").And.NotContain("\0");
    }

    [Fact]
    public async Task Ordinary_query_values_still_reach_the_page()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}/inventory?q=%C3%A9t%C3%A9%20%F0%9F%98%80");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
