using System.Net;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Legacy.Contracts;

namespace TenantAtlas.Legacy.Tests;

/// <summary>Spec 006-legacy, "Viewer": a backfilled run says where it came from; runs of legacy history keep the run rules (404/403).</summary>
public sealed class BackfilledRunViewerTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task The_viewer_says_backfilled_from_which_legacy_row_with_the_usual_access_rules()
    {
        using var files = new LegacyHistoryFiles(await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu), await fixture.EntraIdOfAsync(fixture.Demo.FabrikamTenant));
        (await fixture.LegacyAsync("import", "--csv", files.Directory)).Exit.Should().Be(0);
        (await fixture.LegacyAsync("backfill")).Exit.Should().Be(0);
        var runId = (await fixture.Database.ScalarAsync<long?>("SELECT id FROM operations.operation_runs WHERE legacy_table = 'inventory_sync_runs' AND legacy_id = 4"))!.Value;

        var owner = await (await fixture.SignedInAsync("owner@demo.test")).GetAsync($"/admin/operations/{runId}");
        var outsider = await (await fixture.SignedInAsync("outsider@demo.test")).GetAsync($"/admin/operations/{runId}");

        owner.StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.Content.ReadAsStringAsync()).Should().Contain("Backfilled from <code>inventory_sync_runs</code> #4");
        outsider.StatusCode.Should().Be(HttpStatusCode.NotFound);

        // A workspace's backfill run is for those who manage the workspace.
        var backfill = await fixture.App.Services.GetRequiredService<IOperationRuns>()
            .StartAsync(Actor.System("legacy import"), StartRequest.ForWorkspace(LegacyOperationTypes.Backfill, fixture.Demo.Contoso));
        (await (await fixture.SignedInAsync("owner@demo.test")).GetAsync($"/admin/operations/{backfill.Run!.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await fixture.SignedInAsync("operator@demo.test")).GetAsync($"/admin/operations/{backfill.Run.Id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_legacy_page_lists_rows_read_only_by_the_capability_of_their_run_type()
    {
        using var files = new LegacyHistoryFiles(await fixture.EntraIdOfAsync(fixture.Demo.ContosoEu), await fixture.EntraIdOfAsync(fixture.Demo.FabrikamTenant));
        (await fixture.LegacyAsync("import", "--csv", files.Directory)).Exit.Should().Be(0);
        (await fixture.LegacyAsync("backfill")).Exit.Should().Be(0);
        var runId = (await fixture.Database.ScalarAsync<long?>("SELECT id FROM operations.operation_runs WHERE legacy_table = 'inventory_sync_runs' AND legacy_id = 4"))!.Value;

        var owner = await (await fixture.SignedInAsync("owner@demo.test")).GetStringAsync("/admin/legacy?table=inventory_sync_runs");
        var readonlyMember = await (await fixture.SignedInAsync("readonly@demo.test")).GetStringAsync("/admin/legacy?table=inventory_sync_runs");
        var outsiderGroups = await (await fixture.SignedInAsync("outsider@demo.test")).GetStringAsync("/admin/legacy?table=entra_group_sync_runs");

        owner.Should().Contain($"/admin/operations/{runId}").And.Contain("Contoso EU (old)").And.NotContain("Gone Ltd", "unmapped rows belong to no workspace");
        readonlyMember.Should().Contain("legacy-empty", "a readonly member may not see sync runs");
        outsiderGroups.Should().Contain("Fabrikam (old)").And.NotContain("s3cr3t-value").And.NotContain("hunter2");
    }
}
