using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Backup.Tests.Pages;

/// <summary>
/// The recorder sees every outbound HTTP request of the test process, so this runs alone: in parallel, another test
/// class's backup job calling the Graph emulator would be counted against these pages.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutboundHttpCollection
{
    public const string Name = "backup-outbound-http";
}

/// <summary>Spec 004-backup, rule 6: backup pages render from the database only — no Graph call, no other HTTP.</summary>
[Collection(OutboundHttpCollection.Name)]
public sealed class BackupPagesDatabaseOnlyTests(BackupPagesFixture fixture) : IClassFixture<BackupPagesFixture>
{
    [Fact]
    public async Task Backup_pages_render_from_the_database_only()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        using var outbound = new OutboundHttpRecorder();

        foreach (var page in new[] { "list", "new", "schedule", "edit", "sets", "set", "download", "compare" })
        {
            (await client.GetAsync(BackupPageAccessTests.PathOf(fixture, page))).StatusCode.Should().Be(HttpStatusCode.OK, page);
        }

        (await client.GetAsync($"/admin/tenants/{fixture.Demo.ContosoEu}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/admin/backups")).StatusCode.Should().Be(HttpStatusCode.OK);
        outbound.Requests.Should().BeEmpty("backup pages render from the database only, never Graph or any other HTTP");
    }
}
