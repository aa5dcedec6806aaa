using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Database;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Web.Demo;

namespace TenantAtlas.Access.Tests.Hosting;

/// <summary>The app on a PostgreSQL server of its own, which the test stops and starts again; every other test keeps its database.</summary>
public sealed class OutageFixture : IAsyncLifetime
{
    public LocalPostgres Server { get; private set; } = default!;

    public TenantAtlasApp App { get; private set; } = default!;

    public DemoIds Demo { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Server = await LocalPostgres.StartAsync(crashSafe: true);
        App = new TenantAtlasApp(await TenantAtlasApp.CreateMigratedDatabaseAsync(Server, "tenantatlas"));
        Demo = await App.SeedDemoAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseOutageCollection
{
    public const string Name = "Database outage";
}

/// <summary>
/// Issue 19, item 8: while PostgreSQL is down, a page says the database is unavailable and will work again once it is
/// back (503, not the generic 500), the API answers 503 ProblemDetails with Retry-After — and both recover by themselves.
/// </summary>
[Collection(DatabaseOutageCollection.Name)]
public sealed class DatabaseOutageTests(OutageFixture fixture) : IClassFixture<OutageFixture>
{
    [Fact]
    public async Task While_the_database_is_down_pages_and_the_api_answer_503_and_both_recover_once_it_is_back()
    {
        var browser = await fixture.App.SignedInClientAsync("owner@demo.test");
        var token = await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Owner, "outage", 30);
        var api = fixture.App.CreateBrowserLikeClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var page = $"/admin/tenants/{fixture.Demo.ContosoEu}";
        HttpContent Start() => new StringContent($$"""{"type":"inventory.sync","tenantId":"{{fixture.Demo.ContosoEu}}"}""", Encoding.UTF8, "application/json");
        (await browser.GetAsync(page)).StatusCode.Should().Be(HttpStatusCode.OK, "the page works before the outage");

        await fixture.Server.StopImmediatelyAsync();
        try
        {
            var pageResponse = await browser.GetAsync(page);
            var apiResponse = await api.PostAsync("/api/operations", Start());

            pageResponse.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            pageResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            pageResponse.Headers.RetryAfter.Should().NotBeNull();
            var html = WebUtility.HtmlDecode(await pageResponse.Content.ReadAsStringAsync());
            html.Should().Contain("The database is unavailable").And.Contain("will work again once the database is back")
                .And.NotContain("Something went wrong").And.NotContain("Npgsql");

            apiResponse.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            apiResponse.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            apiResponse.Headers.RetryAfter!.Delta.Should().BePositive();
            var problem = (await apiResponse.Content.ReadFromJsonAsync<JsonObject>())!;
            problem["title"]!.GetValue<string>().Should().Be("Database unavailable");
            problem["status"]!.GetValue<int>().Should().Be(503);
            problem["detail"]!.GetValue<string>().Should().NotContain("Npgsql").And.NotContain("127.0.0.1");
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }

        // Nobody restarts the app: pooled connections that broke with the server are dropped and new ones opened.
        await EventuallyAsync(async () => (await browser.GetAsync(page)).StatusCode == HttpStatusCode.OK, "the page works again");
        (await api.PostAsync("/api/operations", Start())).StatusCode.Should().Be(HttpStatusCode.Created, "the API works again");
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Within 30 s: {what}.");
            }

            await Task.Delay(250);
        }
    }
}
