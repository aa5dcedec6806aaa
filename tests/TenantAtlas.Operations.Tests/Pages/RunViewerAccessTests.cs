using System.Net;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Operations.Tests.Pages;

/// <summary>Spec 001-operation-runs, "Viewer authorization": the exact 404/403 rules, as real HTTP status codes.</summary>
[Collection(OutboundHttpCollection.Name)]
public sealed class RunViewerAccessTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>, IAsyncLifetime
{
    private OperationRunView contosoRun = default!;

    public async Task InitializeAsync() =>
        contosoRun = await fixture.StartAsync(TestOperations.Sync, fixture.Demo.ContosoEu); // needs tenant.inventory.sync

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Anonymous_is_sent_to_sign_in()
    {
        var response = await fixture.App.CreateBrowserLikeClient().GetAsync($"/admin/operations/{contosoRun.Id}");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().StartWith("/Account/Login");
    }

    [Theory]
    [InlineData("owner@demo.test", HttpStatusCode.OK)]
    [InlineData("operator@demo.test", HttpStatusCode.OK)]
    [InlineData("readonly@demo.test", HttpStatusCode.Forbidden)]
    [InlineData("outsider@demo.test", HttpStatusCode.NotFound)]
    [InlineData("admin@demo.test", HttpStatusCode.NotFound)]
    public async Task Viewer_matrix(string email, HttpStatusCode expected)
    {
        var client = await fixture.SignedInAsync(email);

        var response = await client.GetAsync($"/admin/operations/{contosoRun.Id}");

        response.StatusCode.Should().Be(expected);
        var html = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            html.Should().Contain($"Run #{contosoRun.Id}").And.Contain("Test sync").And.Contain("Contoso-EU");
        }
        else
        {
            html.Should().NotContain("Contoso-EU", "a refused viewer reveals nothing about the run");
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    [InlineData("1;drop")]
    [InlineData("987654321")]
    public async Task Unknown_and_malformed_ids_are_404(string id)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync($"/admin/operations/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"not-found\"");
    }

    [Fact]
    public async Task Another_workspaces_run_and_an_unknown_id_give_identical_pages()
    {
        var client = await fixture.SignedInAsync("outsider@demo.test");
        var unknownId = contosoRun.Id + 1_000_000;

        var other = await client.GetAsync($"/admin/operations/{contosoRun.Id}");
        var unknown = await client.GetAsync($"/admin/operations/{unknownId}");

        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        HtmlNormalizer.Normalize(await other.Content.ReadAsStringAsync())
            .Should().Be(HtmlNormalizer.Normalize(await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_role_change_applies_to_the_next_request()
    {
        var email = $"viewer-{Guid.NewGuid():N}@demo.test";
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<IAccessAdministration>();
            var user = await admin.EnsureUserAsync(email, SignIn.DemoPassword, false);
            await admin.EnsureMembershipAsync(fixture.Demo.Contoso, user, WorkspaceRole.Readonly);
            var client = await fixture.App.SignedInClientAsync(email);
            (await client.GetAsync($"/admin/operations/{contosoRun.Id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

            await admin.EnsureMembershipAsync(fixture.Demo.Contoso, user, WorkspaceRole.Operator);

            (await client.GetAsync($"/admin/operations/{contosoRun.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task The_viewer_renders_from_the_database_only()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        var failed = await fixture.StartAsync(TestOperations.Click, fixture.Demo.ContosoEu);
        await fixture.RunJobAsync(failed.Id);
        using var outbound = new OutboundHttpRecorder();

        foreach (var id in new[] { contosoRun.Id, failed.Id })
        {
            (await client.GetAsync($"/admin/operations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        outbound.Requests.Should().BeEmpty("pages render from the database only, never Graph or any other HTTP");
    }

    [Fact]
    public async Task The_recorder_does_see_outbound_http()
    {
        // Guards the DB-only test above: the recorder must notice a real outbound request.
        using var outbound = new OutboundHttpRecorder();
        using var http = new HttpClient();

        try
        {
            await http.GetAsync("http://127.0.0.1:9/nothing-listens-here");
        }
        catch (HttpRequestException)
        {
            // Connection refused is expected.
        }

        outbound.Requests.Should().ContainSingle().Which.Should().Contain("127.0.0.1:9");
    }
}
