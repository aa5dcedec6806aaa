using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Pages;

/// <summary>
/// The recorder sees every outbound HTTP request of the test process, so this runs alone: in parallel, another test
/// class's job calling the Graph emulator would be counted against these pages.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutboundHttpCollection
{
    public const string Name = "restore-outbound-http";
}

/// <summary>Issue 12 (rule 5): the restore pages render the stored plan from the database only — no Graph call, no other HTTP.</summary>
[Collection(OutboundHttpCollection.Name)]
public sealed class RestorePagesDatabaseOnlyTests(RestorePagesFixture fixture) : IClassFixture<RestorePagesFixture>
{
    [Fact]
    public async Task Restore_pages_render_from_the_database_only()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        using var outbound = new OutboundHttpRecorder();

        foreach (var path in new[]
        {
            RestorePageTests.PathOf(fixture, "list"), RestorePageTests.PathOf(fixture, "new"), RestorePageTests.PathOf(fixture, "new") + $"?set={fixture.SameSet}",
            RestorePageTests.PathOf(fixture, "detail") + $"?item={fixture.Items["Win10 baseline"]}", $"/admin/restores/{fixture.StaleRequestId}",
            "/admin/restores", $"/admin/tenants/{fixture.Demo.ContosoEu}",
            $"/admin/restores/{fixture.ExecutedRequestId}?result=failed", $"/admin/restores/{fixture.ExecutingRequestId}", $"/admin/restores/{fixture.RollbackRequestId}",
        })
        {
            (await client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);
        }

        outbound.Requests.Should().BeEmpty("restore pages render from the database only, never Graph or any other HTTP");
    }
}
